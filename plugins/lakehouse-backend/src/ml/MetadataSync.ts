import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Classification,
  ColumnClassification,
  DatasetSummary,
  mostSensitive,
  worstGrade,
} from '@lakeport/plugin-lakehouse-common';
import {
  MetadataAsset,
  MetadataInput,
  MetadataSource,
} from '@lakeport/plugin-lakehouse-node';
import { DatasetMatcher } from '../lineage/DatasetMatcher';
import { GraphWrite, LineageStore } from '../lineage/LineageStore';
import { MetadataAssetStore, ResolvedInput, toRow } from './MetadataAssetStore';

export interface MetadataSyncResult {
  sourceId: string;
  ok: boolean;
  assets: number;
  /** Assets written (new or changed) plus assets removed. */
  written: number;
  error?: string;
}

const ASSET_ID =
  /^(entity|featureview|featureservice|model|modelversion):[^:]+:[^:]+$/;

/**
 * Copies what metadata sources hold into the metadata graph: assets,
 * their lineage (dataset → feature view → feature service, column by
 * column) and what the portal derives (owner group, classification, domain,
 * quality grade). Incremental: an asset whose change marker and resolved
 * inputs are the stored ones costs no writes; derived columns are written
 * only when they change. A source that fails to read leaves everything as
 * it was and records the error with its time.
 */
export class MetadataSync {
  constructor(
    private readonly deps: {
      assets: MetadataAssetStore;
      lineage: LineageStore;
      matcher: DatasetMatcher;
      datasetSummaries: (ids: string[]) => Promise<Map<string, DatasetSummary>>;
      classify: (id: string) => Promise<ColumnClassification[]>;
      /** Owner emails and user refs → group refs of those catalog users. */
      resolveOwners: (emails: string[]) => Promise<Map<string, string>>;
      logger: LoggerService;
      /** After each successful sync of a source (e.g. governed aliases checked). */
      onSynced?: (source: MetadataSource) => Promise<void>;
    },
  ) {}

  async run(sources: MetadataSource[]): Promise<MetadataSyncResult[]> {
    const results: MetadataSyncResult[] = [];
    for (const source of sources) results.push(await this.syncOne(source));
    return results;
  }

  async syncOne(source: MetadataSource): Promise<MetadataSyncResult> {
    const started = Date.now();
    let assets: MetadataAsset[];
    let resolved: Map<string, ResolvedInput[]>;
    try {
      ({ assets } = await source.read({}));
      checkSnapshot(source, assets);
      await this.deps.matcher.refresh();
      resolved = new Map(
        assets.map(a => [a.id, a.inputs.map(i => this.resolve(a.id, i))]),
      );
    } catch (e) {
      const message = (e as Error).message || String(e);
      this.deps.logger.warn(
        `Metadata source ${source.id} failed, keeping its last good state: ${message}`,
      );
      await this.deps.assets.recordAttempt(source, {
        ok: false,
        at: new Date().toISOString(),
        message,
      });
      return {
        sourceId: source.id,
        ok: false,
        assets: 0,
        written: 0,
        error: message,
      };
    }

    const stored = await this.deps.assets.versions(source.id);
    const now = new Date().toISOString();
    const changed = assets.filter(a => {
      const s = stored.get(a.id);
      return (
        !s ||
        s.version !== a.version ||
        s.inputs !== JSON.stringify(resolved.get(a.id))
      );
    });
    // Owner groups first: lineage shows groups (entity refs), never emails.
    const owners = await this.deps.resolveOwners([
      ...new Set(
        assets
          .map(a => a.owner?.toLowerCase())
          .filter(o => o && !o.startsWith('group:')) as string[],
      ),
    ]);
    const present = new Set(assets.map(a => a.id));
    const removed = [...stored.keys()].filter(id => !present.has(id));

    if (changed.length || removed.length) {
      await this.deps.assets.db.transaction(async tx => {
        await this.deps.assets.write(
          tx,
          changed.map(a =>
            toRow({ ...a, sourceId: source.id }, resolved.get(a.id)!, now),
          ),
          removed,
        );
        await this.deps.lineage.removeNodes(tx, removed);
        await this.deps.lineage.clearInputs(
          tx,
          changed.map(a => a.id),
        );
        await this.deps.lineage.writeGraph(
          tx,
          graphOf(changed, resolved, owners),
          new Date(now),
        );
      });
    }
    await this.refreshDerived(
      source.id,
      assets,
      resolved,
      owners,
      new Set(changed.map(a => a.id)),
    );
    const written = changed.length + removed.length;
    await this.deps.assets.recordAttempt(source, {
      ok: true,
      at: now,
      assets: assets.length,
      written,
      durationMs: Date.now() - started,
    });
    this.deps.logger.info(
      `Metadata source ${source.id}: ${assets.length} assets, ${changed.length} new or changed, ${removed.length} removed`,
    );
    try {
      await this.deps.onSynced?.(source);
    } catch (e) {
      this.deps.logger.warn(`After the sync of ${source.id}: ${e}`);
    }
    return { sourceId: source.id, ok: true, assets: assets.length, written };
  }

  /** An input as an asset id: another asset, or the lakehouse dataset at its path or table. */
  private resolve(assetId: string, input: MetadataInput): ResolvedInput {
    const fields = input.fields ?? [];
    if (input.assetId) return { id: input.assetId, fields };
    const { path, table } = input.dataset ?? {};
    if (path) {
      const scheme = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)\/?(.*)$/i.exec(path);
      const dataset =
        scheme && !path.startsWith('file:')
          ? { namespace: scheme[1], name: scheme[2] }
          : { namespace: 'file', name: path.replace(/^file:\/\//, '') };
      const match = this.deps.matcher.match(dataset);
      return {
        id: match.id,
        fields,
        matchedBy: match.matchedBy ?? 'unmatched',
        location: path,
      };
    }
    if (table) {
      const match = this.deps.matcher.match({
        namespace: 'lakeport',
        name: table,
      });
      return {
        id: match.id,
        fields,
        matchedBy: match.matchedBy ? 'table' : 'unmatched',
        location: table,
      };
    }
    throw new Error(
      `an input of ${assetId} names neither an asset nor a dataset`,
    );
  }

  /**
   * Owner group, classification (changed assets only: it is computed along
   * lineage, and always recomputed on an asset's own page), domain and the
   * worst grade of the source datasets; written only where they differ.
   */
  private async refreshDerived(
    sourceId: string,
    assets: MetadataAsset[],
    resolved: Map<string, ResolvedInput[]>,
    owners: Map<string, string>,
    changed: Set<string>,
  ) {
    const datasetsOf = sourceDatasets(resolved);
    const allDatasets = [...new Set([...datasetsOf.values()].flat())];
    const [summaries, current] = await Promise.all([
      this.deps.datasetSummaries(allDatasets),
      this.deps.assets.derived(sourceId),
    ]);
    // Views before services: a service's classification reads its views'.
    const order = {
      entity: 0,
      featureview: 1,
      featureservice: 2,
      modelversion: 3,
      model: 4,
    };
    const updates = [];
    // Classification each asset has after this pass (a model's is its versions').
    const classOf = new Map<string, string | undefined>(
      [...current].map(([id, d]) => [id, d.classification ?? undefined]),
    );
    for (const asset of [...assets].sort(
      (a, b) => order[a.kind] - order[b.kind],
    )) {
      const now = current.get(asset.id) ?? {};
      const sources = (datasetsOf.get(asset.id) ?? [])
        .map(id => summaries.get(id))
        .filter(Boolean) as DatasetSummary[];
      const want = {
        owner: ownerRef(asset.owner, owners) ?? null,
        domain: sources.find(s => s.domain)?.domain ?? null,
        system: sources.find(s => s.system)?.system ?? null,
        qualityGrade: worstGrade(sources.map(s => s.qualityGrade)) ?? null,
        classification: await this.classification(
          asset,
          changed,
          resolved,
          classOf,
        ),
      };
      if (want.classification !== undefined)
        classOf.set(asset.id, want.classification ?? undefined);
      const diff: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(want)) {
        if (v !== undefined && (now as any)[k] !== v) diff[k] = v;
      }
      if (Object.keys(diff).length) updates.push({ id: asset.id, ...diff });
    }
    await this.deps.assets.updateDerived(updates);
  }

  /**
   * A changed asset's classification along column lineage; a registered
   * model has no columns of its own, so it takes its versions' (a model
   * with a version trained on PII is PII). Undefined: leave it as it is.
   */
  private async classification(
    asset: MetadataAsset,
    changed: Set<string>,
    resolved: Map<string, ResolvedInput[]>,
    classOf: Map<string, string | undefined>,
  ): Promise<string | null | undefined> {
    if (asset.kind === 'model') {
      const inputs = resolved.get(asset.id) ?? [];
      if (!changed.has(asset.id) && !inputs.some(i => changed.has(i.id)))
        return undefined;
      return (
        mostSensitive(
          inputs.map(i => classOf.get(i.id) as Classification | undefined),
        ) ?? null
      );
    }
    if (!changed.has(asset.id)) return undefined;
    return (
      mostSensitive(
        (await this.deps.classify(asset.id)).flatMap(c => [
          c.declared,
          c.derived,
        ]),
      ) ?? null
    );
  }
}

/**
 * An owner as a group ref: a group ref given as such (MLflow's `owner` tag),
 * or the group of the catalog user with that email (Feast's `owner`) or
 * user ref (MLflow's creating user).
 */
function ownerRef(
  owner: string | undefined,
  byEmail: Map<string, string>,
): string | undefined {
  if (!owner) return undefined;
  if (/^group:[^/]+\/.+/.test(owner)) return owner;
  return byEmail.get(owner.toLowerCase());
}

/** Rejects a snapshot the core cannot store, before anything is written. */
function checkSnapshot(source: MetadataSource, assets: MetadataAsset[]) {
  if (!Array.isArray(assets))
    throw new Error(`${source.id} returned no asset list`);
  const seen = new Set<string>();
  for (const a of assets) {
    if (!ASSET_ID.test(a?.id ?? ''))
      throw new Error(`${source.id} returned an invalid asset id "${a?.id}"`);
    if (seen.has(a.id)) throw new Error(`${source.id} returned ${a.id} twice`);
    seen.add(a.id);
  }
}

/** Lakehouse datasets each asset reads, directly or through other assets. */
function sourceDatasets(
  resolved: Map<string, ResolvedInput[]>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (id: string, path: Set<string>): string[] => {
    if (out.has(id)) return out.get(id)!;
    if (path.has(id)) return [];
    path.add(id);
    const found = new Set<string>();
    for (const input of resolved.get(id) ?? []) {
      if (input.id.startsWith('dataset:')) found.add(input.id);
      else visit(input.id, path).forEach(d => found.add(d));
    }
    out.set(id, [...found]);
    return out.get(id)!;
  };
  resolved.forEach((_, id) => visit(id, new Set()));
  return out;
}

/** Nodes, table edges and column edges of changed assets. */
function graphOf(
  changed: MetadataAsset[],
  resolved: Map<string, ResolvedInput[]>,
  owners: Map<string, string>,
): GraphWrite {
  const write: GraphWrite = {
    nodes: [],
    aliases: [],
    edges: [],
    columnEdges: [],
  };
  for (const asset of changed) {
    const [, namespace] = asset.id.split(':');
    write.nodes.push({
      id: asset.id,
      kind: asset.kind,
      namespace,
      name: asset.name,
      description: asset.description ?? null,
      owners: asset.owner
        ? [ownerRef(asset.owner, owners)].filter((o): o is string => !!o)
        : null,
      fields: asset.fields.map(f => ({
        name: f.name,
        type: f.type,
        description: f.description,
      })),
    });
    for (const input of resolved.get(asset.id) ?? []) {
      if (input.matchedBy === 'unmatched') {
        const ref = input.id.split(':');
        write.nodes.push({
          id: input.id,
          kind: 'dataset',
          namespace: ref.slice(1, -1).join(':'),
          name: ref.at(-1)!,
        });
      }
      write.edges.push({ sourceId: input.id, targetId: asset.id });
      const computed = asset.type === 'onDemandFeatureView';
      for (const f of input.fields) {
        write.columnEdges.push({
          sourceId: input.id,
          sourceColumn: f.source,
          targetId: asset.id,
          targetColumn: f.target,
          transformationType: 'DIRECT',
          transformationSubtype: computed ? 'TRANSFORMATION' : 'IDENTITY',
          transformationDescription: computed
            ? 'on-demand transformation (code): taken to read every input'
            : undefined,
          masking: false,
        });
      }
    }
  }
  return write;
}
