import { Config } from '@backstage/config';
import path from 'node:path';
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
 * `host:port`; empty for other datasets), `feastProject` the Feast project
 * of a feature view or service (`featureservice:<registry>/<project>:<name>`).
 * Each takes one id or a list.
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
  feastProject: each(id => {
    const { namespace } = parseAssetId(id);
    return namespace.slice(namespace.indexOf('/') + 1);
  }),
};

/**
 * The template global `lakeportProjects`: where generated projects are
 * published, so one template serves both set-ups. `publisher` is `local`
 * (lakehouse:publish:local, the embedded default: when
 * `lakeport.projects.gitDirectory` is set) or `github` (the stock
 * publish:github into `lakeport.projects.github.owner`, then
 * catalog:register); `lakeport.projects.publisher` chooses explicitly.
 * `feast` and `mlflow` say where training projects register features and
 * models: `lakeport.projects.feast.registry` (a file path, relative to the
 * backend's folder, or a Feast registry URI; SQL URIs give registry type
 * `sql`) and `.project`, and the MLflow server the portal reads
 * (`lakeport.projects.mlflow.server`, default the first of
 * `lakeport.mlflow.servers`; `trackingUri` overrides its base URL).
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
    feast: feastTarget(config),
    mlflow: mlflowTarget(config),
  };
}

function feastTarget(config: Config) {
  const registry =
    config.getOptionalString('lakeport.projects.feast.registry') ?? '';
  const sql = /^(postgresql|mysql|sqlite)(\+\w+)?:\/\//.test(registry);
  const isPath = registry !== '' && !sql && !registry.includes('://');
  return {
    registry: isPath ? path.resolve(registry) : registry,
    registryType: sql ? 'sql' : 'file',
    project:
      config.getOptionalString('lakeport.projects.feast.project') ?? 'default',
  };
}

function mlflowTarget(config: Config) {
  const servers =
    config.getOptionalConfigArray('lakeport.mlflow.servers') ?? [];
  const wanted = config.getOptionalString('lakeport.projects.mlflow.server');
  const server = wanted
    ? servers.find(s => s.getString('name') === wanted)
    : servers[0];
  if (wanted && !server)
    throw new Error(
      `lakeport.projects.mlflow.server: no MLflow server named ${wanted} in lakeport.mlflow.servers`,
    );
  return {
    server: server?.getString('name') ?? '',
    trackingUri:
      config.getOptionalString('lakeport.projects.mlflow.trackingUri') ??
      server?.getString('baseUrl') ??
      '',
  };
}
