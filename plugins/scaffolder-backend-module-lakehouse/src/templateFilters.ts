import { JsonValue } from '@backstage/types';
import {
  datasetEntityName,
  parseAssetId,
} from '@lakeport/plugin-lakehouse-common';

const each =
  (fn: (id: string) => string) =>
  (value: JsonValue): JsonValue =>
    Array.isArray(value) ? value.map(v => fn(String(v))) : fn(String(value));

/**
 * Template filters over dataset ids (what the dataset picker returns):
 * `datasetEntityRef` gives the catalog Resource of a dataset (for
 * `dependsOn`), `datasetTable` its table name (`commerce.curated.orders`,
 * for SQL and Spark). Both take one id or a list.
 */
export const templateFilters = {
  datasetEntityRef: each(
    id => `resource:default/${datasetEntityName(parseAssetId(id).name)}`,
  ),
  datasetTable: each(id => parseAssetId(id).name),
};
