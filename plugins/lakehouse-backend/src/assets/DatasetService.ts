import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  Classification,
  DatasetAccessView,
  DatasetDetail,
  DatasetPreview,
  isSensitive,
  lakehouseDatasetPreviewPermission,
  lakehouseDatasetReadPermission,
  ListDatasetsQuery,
  ListDatasetsResponse,
  MASKED_VALUE,
} from '@lakeport/plugin-lakehouse-common';
import { LakehouseEngine } from '@lakeport/plugin-lakehouse-node';
import { conditionsToFilter } from '../permissions/datasetRules';
import { authorizeOne } from '../permissions/authorize';
import { DatasetStore, schemaDrift, StoredDataset } from './DatasetStore';
import { computeFreshness } from './freshness';

const PREVIEW_TIMEOUT_MS = 15_000;

/** Dataset logic behind the HTTP API: permissions, freshness, masking. */
export class DatasetService {
  constructor(
    private readonly deps: {
      store: DatasetStore;
      engine: LakehouseEngine;
      permissions: PermissionsService;
      userInfo: UserInfoService;
      auth: AuthService;
      /** Classifications lineage derives for columns the contract leaves open. */
      derivedClassifications?: (
        datasetId: string,
      ) => Promise<Map<string, Classification>>;
      /** Columns active access grants to these principals cover. */
      grantedColumns?: (
        datasetId: string,
        principals: string[],
      ) => Promise<'all' | Set<string>>;
    },
  ) {}

  private authorizeOne(
    permission: ResourcePermission | BasicPermission,
    credentials: BackstageCredentials,
    resourceRef?: string,
  ) {
    return authorizeOne(
      this.deps.permissions,
      permission,
      credentials,
      resourceRef,
    );
  }

  async list(
    query: ListDatasetsQuery,
    credentials: BackstageCredentials,
  ): Promise<ListDatasetsResponse> {
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission: lakehouseDatasetReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `Not allowed: ${lakehouseDatasetReadPermission.name}`,
      );
    }
    const filter =
      decision.result === AuthorizeResult.CONDITIONAL
        ? conditionsToFilter(decision.conditions)
        : undefined;
    return this.deps.store.list(query, filter);
  }

  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<DatasetDetail> {
    // Permission first, so callers who may not read learn nothing, not even existence.
    await this.authorizeOne(lakehouseDatasetReadPermission, credentials, id);
    const dataset = await this.deps.store.get(id);
    if (!dataset) throw new NotFoundError(`No dataset ${id}`);
    const {
      seq,
      freshnessSlaHours,
      freshnessElement,
      partitionColumns,
      partitionCount,
      latestPartition,
      fileCount,
      location,
      ...rest
    } = dataset;
    void seq;
    void location;
    return {
      ...rest,
      stats: {
        rowCount: dataset.rowCount,
        sizeBytes: dataset.sizeBytes,
        fileCount,
        partitionColumns,
        partitionCount,
        latestPartition,
        lastModified: dataset.lastModified,
      },
      freshness: computeFreshness({
        freshnessSlaHours,
        freshnessElement,
        partitionColumns,
        latestPartition,
        lastModified: dataset.lastModified,
        stream: dataset.layer === 'stream',
      }),
      drift: schemaDrift(dataset.columns),
    };
  }

  /**
   * Which columns the caller sees masked: those classified pii or
   * confidential, by the contract or (where it is silent) by lineage, unless
   * the caller belongs to the owner group or an active access grant (to them
   * or a group of theirs) covers the column. Previews and quality samples
   * use it.
   */
  async masking(
    dataset: StoredDataset,
    credentials: BackstageCredentials,
  ): Promise<{
    classified: Map<string, Classification | undefined>;
    masked: Set<string>;
  }> {
    const ownership = this.deps.auth.isPrincipal(credentials, 'user')
      ? [
          credentials.principal.userEntityRef,
          ...(await this.deps.userInfo.getUserInfo(credentials))
            .ownershipEntityRefs,
        ]
      : [];
    const owner = !!dataset.owner && ownership.includes(dataset.owner);
    const granted = owner
      ? 'all'
      : (await this.deps.grantedColumns?.(dataset.id, ownership)) ?? new Set();
    const classified = new Map<string, Classification | undefined>(
      dataset.columns.map(c => [c.name, c.classification]),
    );
    const derived =
      (await this.deps.derivedClassifications?.(dataset.id)) ?? new Map();
    for (const [name, classification] of derived) {
      if (!classified.get(name)) classified.set(name, classification);
    }
    const masked = new Set(
      granted === 'all'
        ? []
        : [...classified]
            .filter(([, classification]) => isSensitive(classification))
            .map(([name]) => name)
            .filter(name => !granted.has(name)),
    );
    return { classified, masked };
  }

  /**
   * Sample rows. Columns classified pii or confidential are masked unless the
   * caller belongs to the owner group or holds an active grant for them.
   * A column the contract does not classify takes what lineage derives, so
   * PII copied into it stays masked; a contract classification wins.
   */
  /**
   * What the caller reads of a dataset: `unmasked`, or `masked` with the
   * columns they would see masked (the dataset picker shows it).
   */
  async myAccess(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<DatasetAccessView> {
    await this.authorizeOne(lakehouseDatasetReadPermission, credentials, id);
    const dataset = await this.deps.store.get(id);
    if (!dataset) throw new NotFoundError(`No dataset ${id}`);
    const { masked } = await this.masking(dataset, credentials);
    return {
      datasetId: id,
      access: masked.size ? 'masked' : 'unmasked',
      maskedColumns: [...masked].sort(),
    };
  }

  async preview(
    id: string,
    limit: number,
    credentials: BackstageCredentials,
  ): Promise<DatasetPreview> {
    await this.authorizeOne(lakehouseDatasetPreviewPermission, credentials, id);
    const dataset = await this.deps.store.get(id);
    if (!dataset) throw new NotFoundError(`No dataset ${id}`);
    if (dataset.status === 'removed') {
      throw new NotFoundError(
        `Dataset ${id} was removed from the lakehouse on ${dataset.removedAt}`,
      );
    }
    if (dataset.namespace !== this.deps.engine.namespace) {
      // A topic (or another system's dataset): the engine cannot read it.
      throw new InputError(
        `Dataset ${id} is not a table of the lakehouse engine (${this.deps.engine.namespace}); previews read tables only`,
      );
    }
    const { classified, masked: sensitive } = await this.masking(
      dataset,
      credentials,
    );
    const sample = await this.deps.engine.sampleRows(dataset.name, {
      limit,
      timeoutMs: PREVIEW_TIMEOUT_MS,
    });
    const masked = sample.columns
      .filter(c => sensitive.has(c.name))
      .map(c => c.name);
    const rows = sample.rows.map(row => {
      const copy = { ...row };
      for (const name of masked)
        if (copy[name] !== null) copy[name] = MASKED_VALUE;
      return copy;
    });
    return {
      columns: sample.columns.map(c => ({
        ...c,
        classification: classified.get(c.name),
      })),
      rows,
      masked,
    };
  }
}
