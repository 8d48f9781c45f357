import { Config } from '@backstage/config';
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
 * for SQL and Spark; a topic's name for streams), `streamBootstrap` the
 * bootstrap server of a Kafka topic's cluster (`kafka://host:port` →
 * `host:port`; empty for other datasets). Each takes one id or a list.
 */
export const templateFilters = {
  datasetEntityRef: each(id => {
    const { namespace, name } = parseAssetId(id);
    return `resource:default/${datasetEntityName(name, namespace)}`;
  }),
  datasetTable: each(id => parseAssetId(id).name),
  streamBootstrap: each(id => {
    const { namespace } = parseAssetId(id);
    return namespace.startsWith('kafka://')
      ? namespace.slice('kafka://'.length)
      : '';
  }),
};

/**
 * The template global `lakeportProjects`: where generated projects are
 * published, so one template serves both set-ups. `publisher` is `local`
 * (lakehouse:publish:local, the embedded default: when
 * `lakeport.projects.gitDirectory` is set) or `github` (the stock
 * publish:github into `lakeport.projects.github.owner`, then
 * catalog:register); `lakeport.projects.publisher` chooses explicitly.
 */
export function projectPublishing(config: Config) {
  const publisher =
    config.getOptionalString('lakeport.projects.publisher') ??
    (config.has('lakeport.projects.gitDirectory') ? 'local' : 'github');
  if (publisher !== 'local' && publisher !== 'github')
    throw new Error(
      `lakeport.projects.publisher must be local or github, not ${publisher}`,
    );
  return {
    publisher,
    githubOwner:
      config.getOptionalString('lakeport.projects.github.owner') ?? '',
  };
}
