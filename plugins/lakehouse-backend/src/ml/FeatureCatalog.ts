import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Classification,
  ColumnClassification,
  DatasetSummary,
  datasetEntityName,
  FEATURE_FACETS,
  FeatureAssetDetail,
  FeatureAssetSummary,
  FeatureFacetName,
  FeatureFreshness,
  lakehouseFeatureReadPermission,
  ListFeaturesQuery,
  ListFeaturesResponse,
  mostSensitive,
  QualityGrade,
} from '@lakeport/plugin-lakehouse-common';
import { searchWords } from '../database/searchDialect';
import { featureConditionsToFilter } from '../permissions/featureRules';
import { facetedList } from './facetedList';
import {
  AssetFilter,
  MetadataAssetStore,
  StoredAsset,
  whereSearchWords,
} from './MetadataAssetStore';

const KIND_NAMES: Record<string, string> = {
  featureview: 'feature view',
  featureservice: 'feature service',
  entity: 'entity',
};
const LISTED_KINDS = ['featureview', 'featureservice'];
const SLIM_COLUMNS = [
  'm.id',
  'm.kind',
  'm.project',
  'm.name',
  'm.entities',
  'm.owner',
  'm.online',
  'm.classification',
  'm.quality_grade',
  'm.feature_count',
  'm.updated_at',
];

/** Catalog entity name of a feature-store asset: `<kind>-<registry>-<project>-<name>`. */
export function featureEntityName(id: string): string {
  const [kind, namespace, name] = id.split(':');
  return datasetEntityName(`${kind}-${namespace}-${name}`);
}

type Slim = {
  id: string;
  kind: string;
  project: string;
  name: string;
  entities: string[];
  owner?: string;
  online?: boolean;
  classification?: string;
  grade?: string;
  featureCount: number;
  updatedAt: string;
};

const facetValues = (s: Slim): Record<FeatureFacetName, string[]> => ({
  kind: [s.kind],
  project: [s.project],
  entity: s.entities,
  owner: s.owner ? [s.owner] : ['unknown'],
  online: s.online === undefined ? [] : [String(s.online)],
  classification: s.classification ? [s.classification] : [],
  grade: s.grade ? [s.grade] : [],
});

/** What an asset's features read of one dataset, and which views read it. */
export interface SourceColumns {
  columns: Set<string>;
  views: Set<string>;
}

/**
 * Reads of feature views and services for people: search with facets,
 * pages, and each asset's page with features, sources, freshness and what
 * uses it. Every read goes through `lakehouse.feature.read`.
 *
 * Search reads slim rows (ids and facet columns) of the assets matching the
 * words, then counts facets, sorts and pages in memory and loads only the
 * page's full rows: feature stores hold thousands of views, not millions.
 */
export class FeatureCatalog {
  constructor(
    private readonly deps: {
      store: MetadataAssetStore;
      permissions: PermissionsService;
      datasetSummaries: (ids: string[]) => Promise<Map<string, DatasetSummary>>;
      classify: (id: string) => Promise<ColumnClassification[]>;
    },
  ) {}

  private async filter(
    credentials: BackstageCredentials,
  ): Promise<AssetFilter | undefined> {
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission: lakehouseFeatureReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError(
        `Not allowed: ${lakehouseFeatureReadPermission.name}`,
      );
    return decision.result === AuthorizeResult.CONDITIONAL
      ? featureConditionsToFilter(decision.conditions)
      : undefined;
  }

  async list(
    query: ListFeaturesQuery,
    credentials: BackstageCredentials,
  ): Promise<ListFeaturesResponse> {
    const filter = await this.filter(credentials);
    const words = searchWords(query.q);
    const db = this.deps.store.db;
    const q = db('metadata_assets as m')
      .whereIn('m.kind', LISTED_KINDS)
      .select(SLIM_COLUMNS);
    whereSearchWords(q, words);
    filter?.(q);
    const rows: Slim[] = (await q).map((r: any) => ({
      id: r.id,
      kind: r.kind,
      project: r.project,
      name: r.name,
      entities: String(r.entities).split('|').filter(Boolean),
      owner: r.owner ?? undefined,
      online:
        r.online === null || r.online === undefined
          ? undefined
          : Boolean(r.online),
      classification: r.classification ?? undefined,
      grade: r.quality_grade ?? undefined,
      featureCount: Number(r.feature_count),
      updatedAt: r.updated_at,
    }));

    const list = facetedList(rows, {
      facets: FEATURE_FACETS,
      values: facetValues,
      selected: query,
      words,
      sort: query.sort ?? (words.length ? 'relevance' : 'name'),
      order: query.order,
      keys: {
        updatedAt: s => s.updatedAt,
        featureCount: s => s.featureCount,
      },
      limit: query.limit ?? 25,
      cursor: query.cursor,
    });
    const page = list.page;
    const full = await this.deps.store.getMany(page.map(p => p.id));
    return {
      items: page.map(p => {
        const asset = full.get(p.id)!;
        return query.include?.includes('features')
          ? { ...summary(asset, words), features: asset.fields }
          : summary(asset, words);
      }),
      totalCount: list.totalCount,
      nextCursor: list.nextCursor,
      facets: list.facets,
      sources: await this.deps.store.sourceStatuses(),
    };
  }

  /**
   * The lakehouse columns an asset's features are computed from, per
   * dataset, through the views it reads (on-demand views: every column of
   * their input views), with the views that read each dataset directly.
   */
  async sourceColumns(id: string): Promise<Map<string, SourceColumns>> {
    const out = new Map<string, SourceColumns>();
    const add = (dataset: string, column: string, view: string) => {
      const entry = out.get(dataset) ?? {
        columns: new Set(),
        views: new Set(),
      };
      entry.columns.add(column);
      entry.views.add(view);
      out.set(dataset, entry);
    };
    const visit = async (
      assetId: string,
      wanted: Set<string> | 'all',
      seen: Set<string>,
    ) => {
      if (seen.has(assetId)) return;
      seen.add(assetId);
      const asset = await this.deps.store.get(assetId);
      for (const input of asset?.inputs ?? []) {
        const fields = input.fields.filter(
          f => wanted === 'all' || wanted.has(f.target),
        );
        if (input.id.startsWith('dataset:')) {
          fields.forEach(f => add(input.id, f.source, assetId));
        } else {
          const computed = asset?.type === 'onDemandFeatureView';
          await visit(
            input.id,
            computed ? 'all' : new Set(fields.map(f => f.source)),
            new Set(seen),
          );
        }
      }
    };
    await visit(id, 'all', new Set());
    return out;
  }

  /**
   * Access to a feature view or service is access to the lakehouse columns
   * its features are computed from: one request per source dataset, at
   * least as sensitive as the asset (a service carrying PII goes through a
   * steward even when each source column alone would not). All are
   * validated before any is written.
   */
  async requestAccess(
    id: string,
    body: Record<string, unknown>,
    credentials: BackstageCredentials,
    access: {
      create(
        body: unknown,
        credentials: BackstageCredentials,
        options?: { atLeast?: Classification; dryRun?: boolean },
      ): Promise<{ id: string; status: string }>;
    },
  ): Promise<FeatureAccessResult> {
    const asset = await this.get(id, credentials);
    const sources = await this.sourceColumns(id);
    if (!sources.size)
      throw new InputError(
        `${asset.name} reads no lakehouse dataset: there is nothing to ask access to`,
      );
    const requests: FeatureAccessResult['requests'] = [...sources].map(
      ([datasetId, { columns }]) => ({
        datasetId,
        columns: [...columns].sort(),
      }),
    );
    const bodyFor = (r: { datasetId: string; columns: string[] }) => ({
      ...body,
      datasetId: r.datasetId,
      columns: r.columns,
      purpose:
        typeof body.purpose === 'string' && body.purpose.trim()
          ? `${body.purpose.trim()} (for ${KIND_NAMES[asset.kind]} ${
              asset.name
            })`
          : body.purpose,
    });
    const options = { atLeast: asset.classification };
    for (const r of requests) {
      try {
        await access.create(bodyFor(r), credentials, {
          ...options,
          dryRun: true,
        });
      } catch (e) {
        // An open request for the same data is not a reason to refuse the rest.
        if ((e as Error).name === 'ConflictError')
          r.skipped = (e as Error).message;
        else throw e;
      }
    }
    for (const r of requests.filter(x => !x.skipped)) {
      const created = await access.create(bodyFor(r), credentials, options);
      r.id = created.id;
      r.status = created.status;
    }
    return { asset: id, classification: asset.classification, requests };
  }

  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<FeatureAssetDetail> {
    const filter = await this.filter(credentials);
    const asset = await this.deps.store.get(id, filter);
    if (!asset) {
      // Same answer whether it is missing or not readable: no existence leak.
      throw new NotFoundError(`No feature view, service or entity ${id}`);
    }
    const inputIds = asset.inputs.map(i => i.id);
    const [columns, datasets, inputAssets, users] = await Promise.all([
      asset.kind === 'entity' ? Promise.resolve([]) : this.deps.classify(id),
      this.deps.datasetSummaries(
        inputIds.filter(i => i.startsWith('dataset:')),
      ),
      this.deps.store.getMany(inputIds.filter(i => !i.startsWith('dataset:'))),
      this.deps.store.usedBy(id),
    ]);
    const classOf = new Map(
      columns.map(c => [c.column, mostSensitive([c.declared, c.derived])]),
    );
    // The page shows the classification lineage derives now; the stored one
    // (lists, facets, permission rules) follows when it differs.
    const classification = mostSensitive([...classOf.values()]);
    if ((classification ?? undefined) !== asset.classification) {
      await this.deps.store.updateDerived([
        { id, classification: classification ?? null },
      ]);
      asset.classification = classification;
    }
    const sourceOf = new Map<string, { id: string; column: string }>();
    for (const input of asset.inputs)
      for (const f of input.fields)
        if (!sourceOf.has(f.target))
          sourceOf.set(f.target, { id: input.id, column: f.source });

    const details = asset.details as Record<string, any>;
    const [, namespace] = id.split(':');
    const entityAssets = await this.deps.store.getMany(
      asset.entities.map(e => `entity:${namespace}:${e}`),
    );
    // Request fields of on-demand views: its own, or those of the views a service selects.
    const requestFields = [asset, ...inputAssets.values()].flatMap(a =>
      ((a.details as any).sources ?? [])
        .filter((s: any) => s.type === 'REQUEST_SOURCE')
        .flatMap((s: any) => s.fields ?? []),
    );
    const datasetInputs = asset.inputs.filter(i => i.id.startsWith('dataset:'));
    const sources = ((details.sources ?? []) as any[]).map(s => {
      const input = datasetInputs.find(i => i.location === s.location);
      const dataset = input && datasets.get(input.id);
      return {
        name: s.name,
        type: s.type,
        location: s.location,
        fieldMapping: s.fieldMapping,
        dataset: input
          ? {
              id: input.id,
              title: dataset?.title,
              qualityGrade: dataset?.qualityGrade as QualityGrade | undefined,
              qualityScore: dataset?.qualityScore,
              entityRef: dataset?.entityRef,
            }
          : undefined,
      };
    });
    return {
      ...summary(asset, []),
      classification: classification as Classification | undefined,
      features: asset.fields.map(f => ({
        ...f,
        classification: classOf.get(f.name) as Classification | undefined,
        source: sourceOf.get(f.name),
        view:
          asset.kind === 'featureservice' ? f.name.split(':')[0] : undefined,
      })),
      ttlSeconds: details.ttlSeconds,
      freshness:
        asset.kind === 'featureview' && asset.type !== 'onDemandFeatureView'
          ? freshness(asset, details)
          : undefined,
      sources,
      inputViews: asset.inputs
        .filter(i => i.id.startsWith('featureview:'))
        .map(i => i.id),
      usedBy: users.map(u => ({ id: u.id, kind: u.kind, name: u.name })),
      entityKeys: asset.entities.map(e => {
        const entity = entityAssets.get(`entity:${namespace}:${e}`);
        const d = (entity?.details ?? {}) as Record<string, string | undefined>;
        return { entity: e, joinKey: d.joinKey ?? e, type: d.valueType };
      }),
      requestFields: [
        ...new Map(
          requestFields.map((f: { name: string; type?: string }) => [
            f.name,
            f,
          ]),
        ).values(),
      ],
      views: asset.inputs
        .filter(i => i.id.startsWith('featureview:'))
        .map(i => ({
          id: i.id,
          name: inputAssets.get(i.id)?.name ?? i.id.split(':').at(-1)!,
          features: i.fields.map(f => f.source),
        })),
    };
  }
}

/** What a request for access to a feature asset becomes: one request per source dataset. */
export interface FeatureAccessResult {
  asset: string;
  classification?: Classification;
  requests: Array<{
    datasetId: string;
    columns: string[];
    id?: string;
    status?: string;
    /** Why no request was made (e.g. one is already open). */
    skipped?: string;
  }>;
}

function summary(a: StoredAsset, words: string[]): FeatureAssetSummary {
  const [, namespace] = a.id.split(':');
  const [registry] = namespace.split('/');
  const matchedFeatures = words.length
    ? a.fields
        .filter(f => {
          const text = searchWords(
            [
              f.name,
              f.description,
              ...Object.entries(f.tags ?? {}).flat(),
            ].join(' '),
          );
          return words.some(w => text.some(t => t.startsWith(w)));
        })
        .map(f => f.name)
    : undefined;
  return {
    id: a.id,
    kind: a.kind as FeatureAssetSummary['kind'],
    namespace,
    registry,
    project: a.project,
    name: a.name,
    type: a.type,
    description: a.description,
    ownerEmail: a.ownerEmail,
    owner: a.owner,
    tags: a.tags,
    entities: a.entities,
    online: a.online,
    classification: a.classification as Classification | undefined,
    domain: a.domain,
    system: a.system,
    qualityGrade: a.qualityGrade as QualityGrade | undefined,
    featureCount: a.fields.length,
    matchedFeatures: matchedFeatures?.length ? matchedFeatures : undefined,
    entityRef: `resource:default/${featureEntityName(a.id)}`,
    updatedAt: a.updatedAt,
  };
}

/** The latest materialization against the TTL: older than the TTL is stale. */
export function freshness(
  asset: StoredAsset,
  details: Record<string, any>,
  now = Date.now(),
): FeatureFreshness {
  const ttlSeconds: number | undefined = details.ttlSeconds;
  if (!asset.online) return { status: 'not-online', ttlSeconds };
  const ends = ((details.materializationIntervals ?? []) as any[])
    .map(i => i?.endTime)
    .filter((t): t is string => typeof t === 'string')
    .sort();
  const until = ends.at(-1);
  if (!until) return { status: 'never', ttlSeconds };
  const ageSeconds = Math.max(0, Math.round((now - Date.parse(until)) / 1000));
  return {
    status: ttlSeconds && ageSeconds > ttlSeconds ? 'stale' : 'fresh',
    materializedUntil: until,
    ttlSeconds,
    ageSeconds,
  };
}
