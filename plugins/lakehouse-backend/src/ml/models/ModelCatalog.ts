import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Classification,
  DatasetSummary,
  datasetEntityName,
  lakehouseModelReadPermission,
  ListModelsQuery,
  ListModelsResponse,
  MODEL_FACETS,
  ModelAliasState,
  ModelDetail,
  ModelFacetName,
  ModelSummary,
  ModelTrainingData,
  ModelVersionSummary,
  worstGrade,
  QualityGrade,
  TrainingAccessStatus,
  TrainingInput,
} from '@lakeport/plugin-lakehouse-common';
import { searchWords } from '../../database/searchDialect';
import { modelConditionsToFilter } from '../../permissions/modelRules';
import {
  AssetFilter,
  fromRow,
  MetadataAssetStore,
  StoredAsset,
  whereSearchWords,
} from '../MetadataAssetStore';
import { featureEntityName, SourceColumns } from '../FeatureCatalog';
import { facetedList } from '../facetedList';
import { PromotionPolicy } from './promotionGates';
import { AliasStateRow, PromotionStore } from './PromotionStore';

/** Catalog entity name of a registered model: `model-<server>-<name>`. */
export function modelEntityName(id: string): string {
  const [, server, name] = id.split(':');
  return datasetEntityName(`model-${server}-${name}`);
}

/** `model:<server>:<name>` of a version id `modelversion:<server>:<name>/<version>`. */
export function modelIdOfVersion(versionId: string): string {
  const [, server, rest] = versionId.split(':');
  return `model:${server}:${rest.slice(0, rest.lastIndexOf('/'))}`;
}

type Details = {
  aliases?: Array<{ alias: string; version: string }>;
  versions?: string[];
  latestStatus?: string;
};

/**
 * Registered models for people: search with facets, a model's page with
 * versions and alias states, and the training data of each version with
 * grades, classifications and the caller's access. Reads go through
 * `lakehouse.model.read`.
 */
export class ModelCatalog {
  constructor(
    private readonly deps: {
      store: MetadataAssetStore;
      promotions: PromotionStore;
      permissions: PermissionsService;
      policy: PromotionPolicy;
      datasetSummaries: (ids: string[]) => Promise<Map<string, DatasetSummary>>;
      /** Lakehouse columns an asset reads, per dataset, through any features, and the views reading them. */
      sourceColumns: (id: string) => Promise<Map<string, SourceColumns>>;
      /** What the caller sees of a dataset's columns (masked) and has asked for. */
      access: (
        datasetId: string,
        columns: string[],
        credentials: BackstageCredentials,
      ) => Promise<TrainingAccessStatus | undefined>;
    },
  ) {}

  async readFilter(
    credentials: BackstageCredentials,
  ): Promise<AssetFilter | undefined> {
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission: lakehouseModelReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError(
        `Not allowed: ${lakehouseModelReadPermission.name}`,
      );
    return decision.result === AuthorizeResult.CONDITIONAL
      ? modelConditionsToFilter(decision.conditions)
      : undefined;
  }

  /** The model if the caller may read it; 404 alike for missing and hidden. */
  async model(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<StoredAsset> {
    if (!id.startsWith('model:'))
      throw new InputError(
        `Invalid model id "${id}": use model:<server>:<name>`,
      );
    const asset = await this.deps.store.get(
      id,
      await this.readFilter(credentials),
    );
    if (!asset || asset.kind !== 'model')
      throw new NotFoundError(`No registered model ${id}`);
    return asset;
  }

  async list(
    query: ListModelsQuery,
    credentials: BackstageCredentials,
  ): Promise<ListModelsResponse> {
    const filter = await this.readFilter(credentials);
    const words = searchWords(query.q);
    const q = this.deps.store
      .db('metadata_assets as m')
      .where('m.kind', 'model')
      .select('m.*');
    whereSearchWords(q, words);
    filter?.(q);
    const [rows, ungoverned] = await Promise.all([
      q,
      this.deps.promotions.ungovernedModelIds(),
    ]);
    const models = rows.map((r: any) =>
      summary(fromRow(r), ungoverned.get(r.id) ?? []),
    );
    const list = facetedList(models, {
      facets: MODEL_FACETS,
      values: (m): Record<ModelFacetName, string[]> => ({
        owner: [m.owner ?? 'unknown'],
        alias: m.aliases.map(a => a.alias),
        status: m.status ? [m.status] : [],
        classification: m.classification ? [m.classification] : [],
      }),
      selected: query,
      words,
      sort: query.sort ?? (words.length ? 'relevance' : 'updatedAt'),
      order: query.order,
      keys: {
        updatedAt: m => m.updatedAt,
        versionCount: m => m.versionCount,
      },
      limit: query.limit ?? 25,
      cursor: query.cursor,
    });
    return {
      items: list.page,
      totalCount: list.totalCount,
      nextCursor: list.nextCursor,
      facets: list.facets,
      sources: (await this.deps.store.sourceStatuses()).filter(
        s => s.kind === 'mlflow',
      ),
    };
  }

  /** The version assets of a model, newest first. */
  async versions(model: StoredAsset): Promise<StoredAsset[]> {
    const found = await this.deps.store.getMany(model.inputs.map(i => i.id));
    return [...found.values()]
      .filter(v => v.kind === 'modelversion')
      .sort(
        (a, b) =>
          Number((b.details as any).version) -
          Number((a.details as any).version),
      );
  }

  /**
   * Datasets a version was trained on, directly or through features, with
   * their columns; `via` is the feature view that reads a dataset, and
   * `views` the views each feature service input reaches.
   */
  async trainingDatasets(version: StoredAsset): Promise<{
    datasets: Array<{ id: string; columns: string[]; via?: string }>;
    views: Array<{ id: string; via: string }>;
  }> {
    const out = new Map<
      string,
      { id: string; columns: Set<string>; via?: string }
    >();
    const views = new Map<string, string>();
    for (const input of version.inputs) {
      const direct = input.id.startsWith('dataset:');
      const found: Map<string, SourceColumns> = direct
        ? new Map([
            [
              input.id,
              {
                columns: new Set(input.fields.map(f => f.source)),
                views: new Set<string>(),
              },
            ],
          ])
        : await this.deps.sourceColumns(input.id);
      for (const [id, read] of found) {
        const view = [...read.views][0];
        const entry = out.get(id) ?? {
          id,
          columns: new Set<string>(),
          via: direct ? undefined : view ?? input.id,
        };
        read.columns.forEach(c => entry.columns.add(c));
        out.set(id, entry);
        for (const v of read.views)
          if (v !== input.id && !views.has(v)) views.set(v, input.id);
      }
    }
    return {
      datasets: [...out.values()].map(e => ({
        id: e.id,
        columns: [...e.columns].sort(),
        via: e.via,
      })),
      views: [...views].map(([id, via]) => ({ id, via })),
    };
  }

  /**
   * The datasets each version was trained on, with their grades and
   * classifications now (grades move with quality runs), by version id.
   */
  async trainingInputs(
    versions: StoredAsset[],
  ): Promise<Map<string, TrainingInput[]>> {
    const reads = await this.trainingReads(versions);
    return new Map([...reads].map(([id, r]) => [id, r.datasets]));
  }

  /** Per version id: its training datasets as inputs, and the feature views its services reach. */
  private async trainingReads(versions: StoredAsset[]): Promise<
    Map<
      string,
      {
        datasets: TrainingInput[];
        views: Array<{ id: string; via: string }>;
      }
    >
  > {
    const readsOf = await Promise.all(
      versions.map(async v => [v.id, await this.trainingDatasets(v)] as const),
    );
    const summaries = await this.deps.datasetSummaries([
      ...new Set(readsOf.flatMap(([, r]) => r.datasets.map(d => d.id))),
    ]);
    return new Map(
      readsOf.map(([versionId, reads]) => [
        versionId,
        {
          views: reads.views,
          datasets: reads.datasets.map((d): TrainingInput => {
            const s = summaries.get(d.id);
            return {
              id: d.id,
              kind: 'dataset',
              name: s?.name ?? d.id.replace(/^dataset:/, ''),
              entityRef: s?.entityRef,
              qualityGrade: s?.qualityGrade as QualityGrade | undefined,
              qualityScore: s?.qualityScore,
              classification: s?.classification as Classification | undefined,
              columns: d.columns,
              via: d.via,
            };
          }),
        },
      ]),
    );
  }

  /** Version summaries with their training data's grade, now (grades move with quality runs). */
  async versionSummaries(
    versions: StoredAsset[],
  ): Promise<ModelVersionSummary[]> {
    const inputsOf = await this.trainingInputs(versions);
    return versions.map(v => {
      const d = v.details as Record<string, any>;
      return {
        id: v.id,
        version: String(d.version),
        aliases: d.aliases ?? [],
        status: d.status,
        stage: d.stage,
        creator: d.creator,
        createdAt: d.createdAt,
        description: v.description,
        runId: d.runId,
        loggedModelId: d.loggedModelId,
        source: d.source,
        metrics: d.metrics ?? {},
        metricHistory: d.metricHistory ?? {},
        params: d.params ?? {},
        signature: d.signature,
        tags: v.tags,
        trainingGrade: worstGrade(
          (inputsOf.get(v.id) ?? []).map(x => x.qualityGrade),
        ),
        classification: v.classification as Classification | undefined,
        featureService: d.featureService,
      };
    });
  }

  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ModelDetail> {
    const model = await this.model(id, credentials);
    const [versions, states] = await Promise.all([
      this.versions(model),
      this.deps.promotions.aliasStates([id]),
    ]);
    const versionSummaries = await this.versionSummaries(versions);
    const base = summary(
      model,
      states.filter(s => s.ungoverned).map(s => s.alias),
    );
    const metricNames = [
      ...new Set(versionSummaries.flatMap(v => Object.keys(v.metrics))),
    ];
    const configured = [
      ...this.deps.policy.requiredMetrics,
      ...this.deps.policy.metrics.map(m => m.name),
    ].filter((m, i, all) => all.indexOf(m) === i && metricNames.includes(m));
    return {
      ...base,
      qualityGrade: worstGrade(versionSummaries.map(v => v.trainingGrade)),
      aliasStates: aliasStates(base, states, this.deps.policy.governedAliases),
      versions: versionSummaries,
      keyMetrics: [
        ...configured,
        ...metricNames.filter(m => !configured.includes(m)).sort(),
      ],
    };
  }

  async trainingData(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ModelTrainingData> {
    const model = await this.model(id, credentials);
    const versions = await this.versions(model);
    const reads = await this.trainingReads(versions);
    // Feature services and views the versions read, and the views those
    // services reach: each links to its page.
    const featureIds = [
      ...new Set(
        versions.flatMap(v => [
          ...v.inputs.filter(i => !i.id.startsWith('dataset:')).map(i => i.id),
          ...(reads.get(v.id)?.views ?? []).map(w => w.id),
        ]),
      ),
    ];
    const features = await this.deps.store.getMany(featureIds);
    const featureInput = (fid: string, via?: string): TrainingInput => {
      const f = features.get(fid);
      return {
        id: fid,
        kind: fid.startsWith('featureservice:')
          ? 'featureservice'
          : 'featureview',
        name: f?.name ?? fid.split(':').at(-1)!,
        qualityGrade: f?.qualityGrade as QualityGrade | undefined,
        classification: f?.classification as Classification | undefined,
        entityRef: f ? `resource:default/${featureEntityName(fid)}` : undefined,
        via,
      };
    };
    // One lookup per dataset and column set, shared by the versions.
    const accessOf = new Map<
      string,
      Promise<TrainingAccessStatus | undefined>
    >();
    const access = (d: TrainingInput) => {
      const key = `${d.id}|${d.columns!.join(',')}`;
      if (!accessOf.has(key))
        accessOf.set(key, this.deps.access(d.id, d.columns!, credentials));
      return accessOf.get(key)!;
    };
    return {
      model: id,
      versions: await Promise.all(
        versions.map(async v => ({
          version: String((v.details as any).version),
          inputs: [
            ...v.inputs
              .filter(i => !i.id.startsWith('dataset:'))
              .map(i => featureInput(i.id)),
            ...(reads.get(v.id)?.views ?? []).map(w =>
              featureInput(w.id, w.via),
            ),
            ...(await Promise.all(
              (reads.get(v.id)?.datasets ?? []).map(async d => ({
                ...d,
                access: await access(d),
              })),
            )),
          ],
        })),
      ),
    };
  }
}

function aliasStates(
  model: ModelSummary,
  rows: AliasStateRow[],
  governed: string[],
): ModelAliasState[] {
  const names = [
    ...new Set([...model.aliases.map(a => a.alias), ...rows.map(r => r.alias)]),
  ].sort();
  const states = names.map(alias => {
    const now = model.aliases.find(a => a.alias === alias)?.version;
    const row = rows.find(r => r.alias === alias);
    return {
      alias,
      version: now,
      governed: governed.includes(alias),
      governedVersion: row?.version,
      setBy: row?.setBy,
      setAt: row?.setAt,
      via: row?.via,
      promotionId: row?.promotionId,
      ungoverned: row?.ungoverned
        ? { version: row.ungovernedVersion, seenAt: row.ungovernedSeenAt! }
        : undefined,
    };
  });
  // A governed alias never set (and not set now) says nothing.
  return states.filter(
    s =>
      s.version !== undefined ||
      s.governedVersion !== undefined ||
      s.ungoverned,
  );
}

function summary(a: StoredAsset, ungoverned: string[]): ModelSummary {
  const d = a.details as Details;
  const versions = d.versions ?? [];
  return {
    id: a.id,
    server: a.project,
    name: a.name,
    description: a.description,
    owner: a.owner,
    tags: a.tags,
    aliases: (d.aliases ?? []).map(x => ({
      alias: x.alias,
      version: String(x.version),
    })),
    latestVersion: [...versions].sort((x, y) => Number(y) - Number(x))[0],
    versionCount: versions.length,
    status: d.latestStatus,
    classification: a.classification as Classification | undefined,
    qualityGrade: a.qualityGrade as QualityGrade | undefined,
    entityRef: `resource:default/${modelEntityName(a.id)}`,
    ungovernedAliases: ungoverned,
    updatedAt: a.updatedAt,
  };
}
