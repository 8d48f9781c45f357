import { createHash } from 'node:crypto';
import {
  MetadataAsset,
  MetadataField,
  MetadataInput,
  MetadataSnapshot,
  MetadataSource,
} from '@lakeport/plugin-lakehouse-node';
import {
  FeastRegistryClient,
  FeastResponseError,
  Json,
} from './FeastRegistryClient';

/** Feast's placeholder entity of entity-less feature views. */
const DUMMY_ENTITY = '__dummy';

/**
 * One Feast registry as a metadata source: entities, feature views
 * (batch, stream and on-demand) and feature services of its projects, with
 * what each reads. Ids: `<kind>:<registry>/<project>:<name>`.
 */
export class FeastSource implements MetadataSource {
  readonly kind = 'feast';
  readonly id: string;

  constructor(
    private readonly options: {
      name: string;
      client: FeastRegistryClient;
      /** Only these projects (default: all the registry has). */
      projects?: string[];
    },
  ) {
    this.id = `feast:${options.name}`;
  }

  async read({
    signal,
  }: { signal?: AbortSignal } = {}): Promise<MetadataSnapshot> {
    const { client } = this.options;
    const projects = this.options.projects ?? (await client.projects(signal));
    const assets: MetadataAsset[] = [];
    for (const project of projects) {
      const q = { project };
      const [entities, views, services] = await Promise.all([
        client.list('/api/v1/entities', 'entities', q, signal),
        client.list('/api/v1/feature_views', 'featureViews', q, signal),
        client.list('/api/v1/feature_services', 'featureServices', q, signal),
      ]);
      const ns = `${this.options.name}/${project}`;
      const viewAssets = views.map((v, i) =>
        featureView(ns, project, v, `feature_views[${i}]`),
      );
      const entitiesOf = new Map(
        viewAssets.map(v => [v.name, v.entities ?? []]),
      );
      assets.push(
        ...entities
          .filter(e => e.spec?.name !== DUMMY_ENTITY)
          .map((e, i) => entity(ns, project, e, `entities[${i}]`)),
        ...viewAssets,
        ...services.map((s, i) =>
          featureService(ns, project, s, entitiesOf, `feature_services[${i}]`),
        ),
      );
    }
    return { assets };
  }
}

const assetId = (kind: string, ns: string, name: string) =>
  `${kind}:${ns}:${name}`;

function spec(item: Json, where: string): Json {
  const s = item?.spec;
  if (!s || typeof s !== 'object' || typeof s.name !== 'string' || !s.name)
    throw new FeastResponseError(`${where}: no spec.name`);
  return s;
}

/** `meta.lastUpdatedTimestamp`, or a hash of the object when a registry leaves it out. */
function version(item: Json): string {
  const updated = item.meta?.lastUpdatedTimestamp;
  return typeof updated === 'string'
    ? updated
    : createHash('sha256').update(JSON.stringify(item)).digest('hex');
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const tags = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' ? (v as Record<string, string>) : {};

function fields(list: unknown, where: string): MetadataField[] {
  if (list === undefined) return [];
  if (!Array.isArray(list))
    throw new FeastResponseError(`${where}: features is not a list`);
  return list.map((f: Json, i) => {
    if (typeof f?.name !== 'string')
      throw new FeastResponseError(`${where}.features[${i}]: no name`);
    return {
      name: f.name,
      type: str(f.valueType),
      description: str(f.description),
      tags: f.tags ? tags(f.tags) : undefined,
    };
  });
}

/** `"172800s"` → 172800. */
function seconds(duration: unknown): number | undefined {
  if (typeof duration === 'number') return duration;
  const m = typeof duration === 'string' && /^(\d+(?:\.\d+)?)s$/.exec(duration);
  return m ? Number(m[1]) : undefined;
}

/**
 * Where a data source's data lives: the file path or URI of file sources,
 * the table (or topic) of the others. Keys vary by source class, so any
 * `*Options` object is looked at.
 */
export function sourceLocation(source: Json | undefined): {
  path?: string;
  table?: string;
  topic?: string;
} {
  if (!source) return {};
  const uri = str(source.fileOptions?.uri);
  if (uri) return { path: uri };
  for (const [key, options] of Object.entries(source)) {
    if (!key.endsWith('Options') || !options || typeof options !== 'object')
      continue;
    const o = options as Json;
    const topic = str(o.topic) ?? str(o.kafkaTopic);
    if (topic) return { topic };
    const table = str(o.table) ?? str(o.tableRef) ?? str(o.tableName);
    if (table)
      return { table: [str(o.database), table].filter(Boolean).join('.') };
    const path = str(o.path) ?? str(o.uri);
    if (path) return { path };
  }
  return {};
}

function describeSource(source: Json | undefined) {
  if (!source) return undefined;
  const location = sourceLocation(source);
  return {
    name: str(source.name) ?? '',
    type: str(source.type) ?? 'UNKNOWN',
    location: location.path ?? location.table ?? location.topic,
    fieldMapping: source.fieldMapping ? tags(source.fieldMapping) : undefined,
    timestampField: str(source.timestampField),
    description: str(source.description),
  };
}

function entity(ns: string, project: string, item: Json, where: string) {
  const s = spec(item, where);
  return {
    id: assetId('entity', ns, s.name),
    kind: 'entity',
    project,
    name: s.name,
    description: str(s.description),
    owner: str(s.owner),
    tags: tags(s.tags),
    fields: [
      ...(s.joinKey ? [{ name: s.joinKey, type: str(s.valueType) }] : []),
    ],
    inputs: [],
    version: version(item),
    details: { joinKey: str(s.joinKey), valueType: str(s.valueType) },
  } satisfies MetadataAsset;
}

function featureView(
  ns: string,
  project: string,
  item: Json,
  where: string,
): MetadataAsset {
  const s = spec(item, where);
  const type = str(item.type) ?? 'featureView';
  const features = fields(s.features, where);
  const inputs: MetadataInput[] = [];
  const details: Record<string, unknown> = {
    ttlSeconds: seconds(s.ttl),
    materializationIntervals: Array.isArray(item.meta?.materializationIntervals)
      ? item.meta.materializationIntervals
      : [],
    createdAt: str(item.meta?.createdTimestamp),
    state: str(item.meta?.state),
    sources: [] as unknown[],
  };
  const sources = details.sources as unknown[];
  if (type === 'onDemandFeatureView') {
    // The transformation is code: each output may read every input, so
    // each feature is taken to derive from all of them.
    const inputFields: Array<{ name: string; type?: string }> = [];
    for (const [key, src] of Object.entries((s.sources ?? {}) as Json)) {
      const projection = (src as Json)?.featureViewProjection;
      const request = (src as Json)?.requestDataSource;
      if (projection) {
        const view = str(projection.featureViewName) ?? key;
        const cols = fields(
          projection.featureColumns,
          `${where}.sources.${key}`,
        );
        inputs.push({
          assetId: assetId('featureview', ns, view),
          fields: features.flatMap(f =>
            cols.map(c => ({ source: c.name, target: f.name })),
          ),
        });
        sources.push({ name: view, type: 'FEATURE_VIEW' });
      } else if (request) {
        const schema = request.requestDataOptions?.schema ?? [];
        for (const f of fields(schema, `${where}.sources.${key}`))
          inputFields.push({ name: f.name, type: f.type });
        sources.push({
          name: str(request.name) ?? key,
          type: 'REQUEST_SOURCE',
          fields: inputFields,
          description: str(request.description),
        });
      }
    }
    details.mode = str(s.mode);
  } else {
    for (const src of [s.batchSource, s.streamSource]) {
      const described = describeSource(src);
      if (!described) continue;
      sources.push(described);
      const location = sourceLocation(src);
      if (!location.path && !location.table) continue;
      // Feast reads a source column of the feature's name unless the
      // field mapping renames it (source column → feature).
      const renamed = new Map(
        Object.entries(described.fieldMapping ?? {}).map(([col, feat]) => [
          feat,
          col,
        ]),
      );
      inputs.push({
        dataset: location.path
          ? { path: location.path }
          : { table: location.table },
        fields: features.map(f => ({
          source: renamed.get(f.name) ?? f.name,
          target: f.name,
        })),
      });
    }
  }
  const entities = (Array.isArray(s.entities) ? s.entities : []).filter(
    (e: unknown) => typeof e === 'string' && e !== DUMMY_ENTITY,
  ) as string[];
  return {
    id: assetId('featureview', ns, s.name),
    kind: 'featureview',
    project,
    name: s.name,
    type,
    description: str(s.description),
    owner: str(s.owner),
    tags: tags(s.tags),
    fields: features,
    inputs,
    entities,
    online: type === 'onDemandFeatureView' ? undefined : s.online === true,
    version: version(item),
    details,
  };
}

function featureService(
  ns: string,
  project: string,
  item: Json,
  entitiesOf: Map<string, string[]>,
  where: string,
): MetadataAsset {
  const s = spec(item, where);
  const projections = Array.isArray(s.features) ? (s.features as Json[]) : [];
  const selected: MetadataField[] = [];
  const inputs: MetadataInput[] = [];
  const entities = new Set<string>();
  projections.forEach((p, i) => {
    const view = str(p.featureViewName);
    if (!view)
      throw new FeastResponseError(
        `${where}.features[${i}]: no featureViewName`,
      );
    const alias = str(p.featureViewNameAlias) ?? view;
    const cols = fields(p.featureColumns, `${where}.features[${i}]`);
    // A service's features are referenced as `<view>:<feature>`.
    selected.push(...cols.map(c => ({ ...c, name: `${alias}:${c.name}` })));
    inputs.push({
      assetId: assetId('featureview', ns, view),
      fields: cols.map(c => ({ source: c.name, target: `${alias}:${c.name}` })),
    });
    (entitiesOf.get(view) ?? []).forEach(e => entities.add(e));
  });
  return {
    id: assetId('featureservice', ns, s.name),
    kind: 'featureservice',
    project,
    name: s.name,
    description: str(s.description),
    owner: str(s.owner),
    tags: tags(s.tags),
    fields: selected,
    inputs,
    entities: [...entities],
    version: version(item),
    details: {
      createdAt: str(item.meta?.createdTimestamp),
      views: projections.map(p => str(p.featureViewName)),
    },
  };
}
