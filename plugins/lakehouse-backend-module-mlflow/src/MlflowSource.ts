import {
  MetadataAsset,
  MetadataInput,
  MetadataSnapshot,
  MetadataSource,
  ModelAliasRegistry,
} from '@lakeport/plugin-lakehouse-node';
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { Json, MlflowClient, MlflowResponseError } from './MlflowClient';
import { verifyMlflowWebhook } from './verifyWebhook';

const tagMap = (tags: unknown): Record<string, string> =>
  Object.fromEntries(
    (Array.isArray(tags) ? tags : [])
      .filter(t => typeof t?.key === 'string')
      .map(t => [t.key, String(t.value ?? '')]),
  );

/**
 * A change marker of bounded length (a model may have thousands of
 * versions): what changes, hashed.
 */
function marker(...parts: unknown[]): string {
  return createHash('sha256')
    .update(parts.map(p => String(p ?? '')).join('|'))
    .digest('base64url')
    .slice(0, 43);
}

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

/**
 * The owner of a model as a ref: its `owner` tag (a group ref, or a group
 * name in the default namespace), else the user who created it (the core
 * takes that user's group).
 */
export function ownerOf(
  tags: Record<string, string>,
  creator?: string,
): string | undefined {
  const tag = tags.owner?.trim();
  if (tag) return tag.includes(':') ? tag : `group:default/${tag}`;
  return creator ? `user:default/${creator}` : undefined;
}

/** Input and output columns of an MLmodel file's signature (column-based or tensor). */
export function signatureOf(
  mlmodel: string,
): { inputs: SignatureColumn[]; outputs: SignatureColumn[] } | undefined {
  const signature = (parseYaml(mlmodel) as Json | null)?.signature;
  if (!signature) return undefined;
  const columns = (spec: unknown): SignatureColumn[] => {
    if (typeof spec !== 'string') return [];
    const parsed = JSON.parse(spec);
    return (Array.isArray(parsed) ? parsed : []).map((c: Json, i: number) => ({
      name: String(c.name ?? `#${i}`),
      type: String(
        c.type === 'tensor' ? `tensor ${c['tensor-spec']?.dtype}` : c.type,
      ),
    }));
  };
  return {
    inputs: columns(signature.inputs),
    outputs: columns(signature.outputs),
  };
}

export interface SignatureColumn {
  name: string;
  type: string;
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
  private readonly signatures = new Map<
    string,
    ReturnType<typeof signatureOf>
  >();
  private readonly histories = new Map<string, Json>();

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

  readonly modelAliases: ModelAliasRegistry = {
    get: async (model, alias) => {
      try {
        const { model_version: v } = await this.options.client.get(
          'registered-models/alias',
          { name: model, alias },
        );
        if (v?.version === undefined)
          throw new MlflowResponseError(
            `registered-models/alias ${model}@${alias}: no model_version`,
          );
        return String(v.version);
      } catch (e) {
        // An alias not set: MLflow 3.17 answers 400 "Registered model
        // alias <a> not found" (older servers 404).
        if (
          e instanceof MlflowResponseError &&
          (e.status === 404 ||
            (e.status === 400 && /alias .* not found/i.test(e.message)))
        )
          return undefined;
        throw e;
      }
    },
    set: async (model, alias, version) => {
      // Versions are strings in MLflow's REST API.
      await this.options.client.send('POST', 'registered-models/alias', {
        name: model,
        alias,
        version: String(version),
      });
    },
    delete: async (model, alias) => {
      await this.options.client.send('DELETE', 'registered-models/alias', {
        name: model,
        alias,
      });
    },
  };

  /**
   * The signature of a logged model (MLflow 3), from its MLmodel file. A
   * model logged without one, or an artifact store the server cannot
   * read, leaves it out: the signature is shown, never needed.
   */
  private async signature(modelId: string, signal?: AbortSignal) {
    if (this.signatures.has(modelId)) return this.signatures.get(modelId);
    try {
      const found = signatureOf(
        await this.options.client.loggedModelFile(modelId, 'MLmodel', signal),
      );
      this.signatures.set(modelId, found);
      return found;
    } catch (e) {
      // No MLmodel (404) stays absent; other failures are tried next sync.
      if (e instanceof MlflowResponseError && e.status === 404)
        this.signatures.set(modelId, undefined);
      return undefined;
    }
  }

  /**
   * Every value of the metrics logged at more than one step (a training
   * curve); single values are in the run already. Finished runs only
   * (they do not change), so each is read once.
   */
  private async metricHistory(run: Json, signal?: AbortSignal) {
    const runId = String(run.info?.run_id);
    const cached = this.histories.get(runId);
    if (cached) return cached;
    const history: Record<
      string,
      Array<{ step: number; value: number; timestamp: number }>
    > = {};
    for (const m of run.data?.metrics ?? []) {
      if (!(Number(m?.step) > 0)) continue;
      const points = await this.options.client.search(
        'metrics/get-history',
        'metrics',
        { run_id: runId, metric_key: String(m.key), max_results: '25000' },
        signal,
      );
      history[m.key] = points.map(p => ({
        step: Number(p.step ?? 0),
        value: Number(p.value),
        timestamp: Number(p.timestamp),
      }));
    }
    if (run.info?.status === 'FINISHED' || run.info?.status === 'FAILED')
      this.histories.set(runId, history);
    return history;
  }

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
      const first = [...versions].sort(
        (a, b) => Number(a.version) - Number(b.version),
      )[0];
      const owner = ownerOf(tags, first?.user_id);
      const latest = versions.reduce<Json | undefined>(
        (a, v) => (!a || Number(v.version) > Number(a.version) ? v : a),
        undefined,
      );
      assets.push({
        id: modelId,
        kind: 'model',
        project: server,
        name: model.name,
        description: model.description || undefined,
        owner,
        tags,
        fields: [],
        inputs: versions.map(v => ({
          assetId: `modelversion:${server}:${model.name}/${v.version}`,
          fields: [],
        })),
        version: marker(
          model.last_updated_timestamp,
          JSON.stringify(aliases),
          versions.map(v => `${v.version}:${v.status}`).join(','),
        ),
        details: {
          aliases,
          latestStatus: latest?.status,
          createdAt: model.creation_timestamp,
          updatedAt: model.last_updated_timestamp,
          versions: versions.map(v => String(v.version)),
        },
      });
      for (const v of versions) {
        assets.push(
          await this.version(server, model.name, v, aliases, owner, signal),
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
    // MLflow 3 registers logged models as `models:/<model id>`; its REST
    // answer does not always carry `model_id` itself.
    const loggedModelId: string | undefined =
      v.model_id ?? /^models:\/(m-[0-9a-f]+)$/.exec(String(v.source))?.[1];
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
      owner: tags.owner ? ownerOf(tags) : modelOwner,
      tags,
      fields: [...fields.values()],
      inputs,
      version: marker(
        v.last_updated_timestamp,
        versionAliases.join(','),
        run?.info?.status ?? '',
      ),
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
        loggedModelId,
        metrics,
        metricHistory: run ? await this.metricHistory(run, signal) : {},
        params,
        signature: loggedModelId
          ? await this.signature(loggedModelId, signal)
          : undefined,
        featureService: service,
      },
    };
  }
}
