import { InputError } from '@backstage/errors';
import { OLDataset, OLEvent } from './openLineageTypes';

const PRODUCER = 'https://lakeport.dev/dbt-import';
const SCHEMA_URL =
  'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent';

interface DbtColumn {
  name: string;
  description?: string;
  data_type?: string | null;
}

interface DbtNode {
  unique_id: string;
  resource_type: string;
  name: string;
  database?: string | null;
  schema?: string | null;
  alias?: string | null;
  identifier?: string | null;
  description?: string;
  columns?: Record<string, DbtColumn>;
  depends_on?: { nodes?: string[] };
  compiled_code?: string;
  raw_code?: string;
  original_file_path?: string;
  config?: {
    materialized?: string;
    external_location?: string;
    meta?: Record<string, unknown>;
  };
  meta?: Record<string, unknown>;
  external?: { location?: string } | null;
}

export interface DbtManifest {
  metadata: {
    dbt_schema_version: string;
    adapter_type?: string;
    project_name?: string;
  };
  nodes: Record<string, DbtNode>;
  sources?: Record<string, DbtNode>;
}

const RELATIONS = new Set(['model', 'seed', 'snapshot', 'source']);

/** Checks the parts of a manifest the import reads; names the bad field. */
export function checkManifest(body: unknown): DbtManifest {
  const m = body as DbtManifest;
  if (typeof m !== 'object' || m === null) {
    throw new InputError('dbt manifest: must be a JSON object');
  }
  if (typeof m.metadata?.dbt_schema_version !== 'string') {
    throw new InputError(
      'dbt manifest metadata.dbt_schema_version: is required (is this a manifest.json?)',
    );
  }
  if (typeof m.nodes !== 'object' || m.nodes === null) {
    throw new InputError('dbt manifest nodes: must be an object');
  }
  for (const [key, node] of Object.entries({ ...m.nodes, ...m.sources })) {
    if (!RELATIONS.has(node?.resource_type)) continue;
    if (typeof node.name !== 'string' || !node.name) {
      throw new InputError(`dbt manifest nodes["${key}"].name: is required`);
    }
  }
  return m;
}

/** A file path a dbt-duckdb source reads (`external_location`), as a folder. */
function externalPath(node: DbtNode): string | undefined {
  const location =
    node.external?.location ??
    node.config?.external_location ??
    (node.meta?.external_location as string | undefined) ??
    (node.config?.meta?.external_location as string | undefined);
  if (!location || /^[a-z0-9]+:\/\//i.test(location.replace(/^file:\/\//, '')))
    return undefined;
  const path = location.replace(/^file:\/\//, '').replace(/['"]/g, '');
  // read_parquet('/x/y/**/*.parquet') and globs: the folder before the first wildcard.
  const inner = path.match(/\(([^)]*)\)/)?.[1] ?? path;
  const wildcard = inner.search(/[*?[{]/);
  const plain = wildcard >= 0 ? inner.slice(0, wildcard) : inner;
  return (
    plain.replace(/\/[^/]*\.[a-z]+$/i, '').replace(/\/+$/, '') || undefined
  );
}

/**
 * Turns a dbt manifest into OpenLineage JobEvents, one per model, seed and
 * snapshot (inputs from `depends_on`, schema from documented columns, SQL
 * from the compiled code), plus DatasetEvents for sources. Datasets are
 * named as OpenLineage's dbt integration names them: namespace the adapter,
 * name `database.schema.identifier`; a source read from files also carries
 * its path as a symlink, so it matches the catalog table at that location.
 */
export function manifestToEvents(
  manifest: DbtManifest,
  eventTime = new Date(),
): OLEvent[] {
  const adapter = manifest.metadata.adapter_type ?? 'dbt';
  const project = manifest.metadata.project_name ?? 'dbt';
  const all: Record<string, DbtNode> = {
    ...manifest.sources,
    ...manifest.nodes,
  };
  const time = eventTime.toISOString();
  const facetBase = {
    _producer: PRODUCER,
    _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/Facet.json',
  };

  const dataset = (node: DbtNode): OLDataset => {
    const table = node.identifier ?? node.alias ?? node.name;
    const name = [node.database, node.schema, table].filter(Boolean).join('.');
    const fields = Object.values(node.columns ?? {}).map(c => ({
      name: c.name,
      ...(c.data_type ? { type: c.data_type } : {}),
      ...(c.description ? { description: c.description } : {}),
    }));
    const path =
      node.resource_type === 'source' ? externalPath(node) : undefined;
    return {
      namespace: adapter,
      name,
      facets: {
        ...(fields.length ? { schema: { ...facetBase, fields } } : {}),
        ...(node.description
          ? { documentation: { ...facetBase, description: node.description } }
          : {}),
        ...(path
          ? {
              symlinks: {
                ...facetBase,
                identifiers: [
                  { namespace: 'file', name: path, type: 'LOCATION' },
                ],
              },
            }
          : {}),
      },
    };
  };

  const events: OLEvent[] = [];
  for (const node of Object.values(all)) {
    if (!RELATIONS.has(node.resource_type)) continue;
    if (node.resource_type === 'source') {
      events.push({
        eventTime: time,
        producer: PRODUCER,
        schemaURL: SCHEMA_URL.replace('JobEvent', 'DatasetEvent'),
        dataset: dataset(node),
      });
      continue;
    }
    const inputs = (node.depends_on?.nodes ?? [])
      .map(id => all[id])
      .filter(n => n && RELATIONS.has(n.resource_type))
      .map(dataset);
    const code = node.compiled_code ?? node.raw_code;
    events.push({
      eventTime: time,
      producer: PRODUCER,
      schemaURL: SCHEMA_URL,
      job: {
        namespace: 'dbt',
        name: `${project}.${node.name}`,
        facets: {
          ...(code ? { sql: { ...facetBase, query: code } } : {}),
          ...(node.description
            ? { documentation: { ...facetBase, description: node.description } }
            : {}),
          ...(node.original_file_path
            ? {
                sourceCodeLocation: {
                  ...facetBase,
                  type: 'dbt',
                  url: node.original_file_path,
                },
              }
            : {}),
        },
      },
      inputs,
      outputs: [dataset(node)],
    });
  }
  return events;
}
