/**
 * Asset ids follow OpenLineage naming in Marquez's node-id form:
 * `<kind>:<namespace>:<name>`, e.g. `dataset:lakeport:commerce.curated.orders`.
 * Namespaces may contain colons (`postgres://db:5432`), names rarely do, so
 * the name is what follows the last colon.
 *
 * @public
 */
export type AssetKind =
  | 'dataset'
  | 'job'
  | 'entity'
  | 'featureview'
  | 'featureservice'
  | 'model'
  | 'modelversion';

const KINDS: AssetKind[] = [
  'dataset',
  'job',
  'entity',
  'featureview',
  'featureservice',
  'model',
  'modelversion',
];

/** @public */
export interface AssetRef {
  kind: AssetKind;
  namespace: string;
  name: string;
}

/**
 * OpenLineage namespace of the embedded lakehouse (DuckDB over the Parquet
 * folders of the sample lakehouse): `dataset:lakeport:<domain>.<layer>.<table>`.
 *
 * @public
 */
export const EMBEDDED_LAKEHOUSE_NAMESPACE = 'lakeport';

/** @public */
export function stringifyAssetId(ref: AssetRef): string {
  return `${ref.kind}:${ref.namespace}:${ref.name}`;
}

/** @public */
export function datasetAssetId(namespace: string, name: string): string {
  return stringifyAssetId({ kind: 'dataset', namespace, name });
}

/**
 * Parses an asset id; throws a TypeError naming the problem when it is not one.
 *
 * @public
 */
export function parseAssetId(id: string): AssetRef {
  const first = id.indexOf(':');
  const last = id.lastIndexOf(':');
  const kind = id.slice(0, first);
  if (first <= 0 || last === first) {
    throw new TypeError(
      `Invalid asset id "${id}": expected <kind>:<namespace>:<name>, e.g. dataset:lakeport:commerce.curated.orders`,
    );
  }
  if (!KINDS.includes(kind as AssetKind)) {
    throw new TypeError(
      `Invalid asset id "${id}": kind must be one of ${KINDS.join(
        ', ',
      )}, got "${kind}"`,
    );
  }
  const namespace = id.slice(first + 1, last);
  const name = id.slice(last + 1);
  if (!namespace || !name) {
    throw new TypeError(
      `Invalid asset id "${id}": namespace and name must not be empty`,
    );
  }
  return { kind: kind as AssetKind, namespace, name };
}

/** Annotation holding a catalog entity's asset id, e.g. on dataset Resources. @public */
export const ASSET_ID_ANNOTATION = 'lakeport.io/asset-id';

/**
 * Catalog entity name of a dataset: its table name, dots as dashes
 * (`commerce.curated.orders` → `commerce-curated-orders`); a Kafka topic's
 * gets `topic-` in front (given its namespace), so a topic and a table of
 * the same name stay two entities.
 *
 * @public
 */
export function datasetEntityName(name: string, namespace?: string): string {
  const prefix = namespace?.startsWith('kafka://') ? 'topic-' : '';
  return `${prefix}${name}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
