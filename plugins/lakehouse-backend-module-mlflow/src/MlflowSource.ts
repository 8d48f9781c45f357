import {
  MetadataAsset,
  MetadataInput,
  MetadataSnapshot,
  MetadataSource,
} from '@lakeport/plugin-lakehouse-node';
import { Json, MlflowClient, MlflowResponseError } from './MlflowClient';
import { verifyMlflowWebhook } from './verifyWebhook';

const tagMap = (tags: unknown): Record<string, string> =>
  Object.fromEntries(
    (Array.isArray(tags) ? tags : [])
      .filter(t => typeof t?.key === 'string')
      .map(t => [t.key, String(t.value ?? '')]),
  );

/** The URI in a dataset input's `source` (a JSON string, `{"uri": ...}`). */
export function datasetUri(source: unknown): string | undefined {
  if (typeof source !== 'string') return undefined;
  try {
    const parsed = JSON.parse(source);
    for (const key of ['uri', 'url', 'path', 'table_name', 'table']) {
      if (typeof parsed?.[key] === 'string' && parsed[key]) return parsed[key];
    }
  } catch {
    // not JSON: some sources are the URI itself
    if (source.includes('/') || source.includes('.')) return source;
  }
  return undefined;
}

/** Columns of a dataset input's schema (`{"mlflow_colspec": [{name}]}`). */
function schemaColumns(schema: unknown): string[] {
  if (typeof schema !== 'string') return [];
  try {
    const parsed = JSON.parse(schema);
    return (parsed?.mlflow_colspec ?? [])
      .map((c: Json) => c?.name)
      .filter((n: unknown): n is string => typeof n === 'string');
  } catch {
    return [];
  }
}

/**
 * One MLflow tracking server as a metadata source: registered models and
 * their versions, each version with its run's metrics, params and training
 * data (dataset inputs matched by the core to lakehouse datasets; Feast's
 * `feast.feature_service` / `feast.feature_refs` run tags linked to feature
 * services and views). Ids `model:<server>:<name>` and
 * `modelversion:<server>:<name>/<version>`.
 *
 * Finished runs do not change, so they are read once per process.
 */
export class MlflowSource implements MetadataSource {
  readonly kind = 'mlflow';
  readonly id: string;
  private readonly runs = new Map<string, Json>();

  constructor(
    private readonly options: {
      name: string;
      client: MlflowClient;
      /** `<registry>/<project>` namespace of Feast's feature services; none: ignore Feast tags. */
      feastNamespace?: (project?: string) => string | undefined;
      /** Secret of the registry webhooks that notify the portal. */
      webhookSecret?: string;
    },
  ) {
    this.id = `mlflow:${options.name}`;
    const secret = options.webhookSecret;
    if (secret)
      this.verifyWebhook = request => verifyMlflowWebhook(secret, request);
  }

  readonly verifyWebhook?: MetadataSource['verifyWebhook'];

  private async run(runId: string, signal?: AbortSignal): Promise<Json> {
    const cached = this.runs.get(runId);
    if (cached) return cached;
    const { run } = await this.options.client.get(
      'runs/get',
      { run_id: runId },
      signal,
    );
    if (!run?.info) throw new MlflowResponseError(`runs/get ${runId}: no run`);
    if (run.info.status === 'FINISHED' || run.info.status === 'FAILED')
      this.runs.set(runId, run);
    return run;
  }

  async read({
    signal,
  }: { signal?: AbortSignal } = {}): Promise<MetadataSnapshot> {
    const { client, name: server } = this.options;
    const models = await client.search(
      'registered-models/search',
      'registered_models',
      { max_results: '1000' },
      signal,
    );
    const assets: MetadataAsset[] = [];
    for (const [i, model] of models.entries()) {
      if (typeof model?.name !== 'string')
        throw new MlflowResponseError(`registered_models[${i}]: no name`);
      const aliases = (
        Array.isArray(model.aliases) ? model.aliases : []
      ) as Array<{
        alias: string;
        version: string;
      }>;
      const tags = tagMap(model.tags);
      const versions = await client.search(
        'model-versions/search',
        'model_versions',
        {
          filter: `name='${model.name.replace(/'/g, "\\'")}'`,
          max_results: '10000',
        },
        signal,
      );
      const modelId = `model:${server}:${model.name}`;
      assets.push({
        id: modelId,
        kind: 'model',
        project: server,
        name: model.name,
        description: model.description || undefined,
        owner: tags.owner,
        tags,
        fields: [],
        inputs: versions.map(v => ({
          assetId: `modelversion:${server}:${model.name}/${v.version}`,
          fields: [],
        })),
        version: `${model.last_updated_timestamp}|${JSON.stringify(aliases)}`,
        details: {
          aliases,
          createdAt: model.creation_timestamp,
          updatedAt: model.last_updated_timestamp,
          versions: versions.map(v => String(v.version)),
        },
      });
      for (const v of versions) {
        assets.push(
          await this.version(
            server,
            model.name,
            v,
            aliases,
            tags.owner,
            signal,
          ),
        );
      }
    }
    return { assets };
  }

  private async version(
    server: string,
    modelName: string,
    v: Json,
    aliases: Array<{ alias: string; version: string }>,
    modelOwner: string | undefined,
    signal?: AbortSignal,
  ): Promise<MetadataAsset> {
    const version = String(v.version);
    const tags = tagMap(v.tags);
    const run = v.run_id ? await this.run(v.run_id, signal) : undefined;
    const runTags = tagMap(run?.data?.tags);
    const inputs: MetadataInput[] = [];
    const fields = new Map<string, { name: string; description?: string }>();
    for (const input of run?.inputs?.dataset_inputs ?? []) {
      const uri = datasetUri(input?.dataset?.source);
      if (!uri) continue;
      const columns = schemaColumns(input.dataset.schema);
      const name = String(input.dataset.name ?? uri);
      columns.forEach(c =>
        fields.set(`${name}.${c}`, { name: `${name}.${c}` }),
      );
      const looksLikePath = uri.includes('/') || uri.includes('://');
      inputs.push({
        dataset: looksLikePath ? { path: uri } : { table: uri },
        fields: columns.map(c => ({ source: c, target: `${name}.${c}` })),
      });
    }
    const service = runTags['feast.feature_service'];
    const namespace = this.options.feastNamespace?.(runTags['feast.project']);
    const refs = (runTags['feast.feature_refs'] ?? '')
      .split(',')
      .map(r => r.trim())
      .filter(r => r.includes(':'));
    if (namespace && service) {
      refs.forEach(r =>
        fields.set(r, { name: r, description: 'Feast feature' }),
      );
      inputs.push({
        assetId: `featureservice:${namespace}:${service}`,
        fields: refs.map(r => ({ source: r, target: r })),
      });
    } else if (namespace && refs.length) {
      // Features retrieved by reference, without a service: their views.
      const byView = new Map<string, string[]>();
      for (const r of refs) {
        const [view, feature] = r.split(':');
        byView.set(view, [...(byView.get(view) ?? []), feature]);
        fields.set(r, { name: r, description: 'Feast feature' });
      }
      for (const [view, features] of byView)
        inputs.push({
          assetId: `featureview:${namespace}:${view}`,
          fields: features.map(f => ({ source: f, target: `${view}:${f}` })),
        });
    }
    const metrics = Object.fromEntries(
      (run?.data?.metrics ?? []).map((m: Json) => [m.key, m.value]),
    );
    const params = Object.fromEntries(
      (run?.data?.params ?? []).map((p: Json) => [p.key, p.value]),
    );
    const versionAliases = aliases
      .filter(a => String(a.version) === version)
      .map(a => a.alias);
    return {
      id: `modelversion:${server}:${modelName}/${version}`,
      kind: 'modelversion',
      project: server,
      name: `${modelName}/${version}`,
      description: v.description || undefined,
      owner: tags.owner ?? modelOwner,
      tags,
      fields: [...fields.values()],
      inputs,
      version: `${v.last_updated_timestamp}|${versionAliases.join(',')}|${
        run?.info?.status ?? ''
      }`,
      details: {
        model: modelName,
        version,
        aliases: versionAliases,
        status: v.status,
        stage: v.current_stage,
        creator: v.user_id ?? run?.info?.user_id,
        createdAt: v.creation_timestamp,
        source: v.source,
        runId: v.run_id,
        loggedModelId: v.model_id,
        metrics,
        params,
        featureService: service,
      },
    };
  }
}
