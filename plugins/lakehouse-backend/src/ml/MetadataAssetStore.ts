import { Knex } from 'knex';
import { MetadataAsset } from '@lakeport/plugin-lakehouse-node';
import { MetadataSourceStatus } from '@lakeport/plugin-lakehouse-common';
import { chunks } from '../database/chunks';
import { searchText } from '../database/searchDialect';
import { PortalMetrics } from '../observability/PortalMetrics';

/** An input resolved to an asset id (a dataset or another asset). */
export interface ResolvedInput {
  id: string;
  fields: Array<{ source: string; target: string }>;
  /** How a dataset input was found: path, table or unmatched. */
  matchedBy?: string;
  /** The path or table the source gave. */
  location?: string;
}

/** An asset as stored: the source's facts plus what the portal derived. */
export interface StoredAsset
  extends Omit<MetadataAsset, 'inputs' | 'owner' | 'entities'> {
  sourceId: string;
  ownerEmail?: string;
  owner?: string;
  inputs: ResolvedInput[];
  entities: string[];
  classification?: string;
  domain?: string;
  system?: string;
  qualityGrade?: string;
  firstSeenAt: string;
  updatedAt: string;
}

/** Portal-derived columns, rewritten only when they change. */
export interface DerivedColumns {
  owner?: string | null;
  classification?: string | null;
  domain?: string | null;
  system?: string | null;
  qualityGrade?: string | null;
}

/** A SQL filter added to asset queries (permission conditions). */
export type AssetFilter = (qb: Knex.QueryBuilder) => void;

/**
 * Assets (`metadata_assets AS m`) whose search text has every word, the
 * last one as a prefix (search as you type).
 */
export function whereSearchWords(q: Knex.QueryBuilder, words: string[]) {
  words.forEach((word, i) => {
    const last = i === words.length - 1;
    const like = word.replace(/[\\%_]/g, m => `\\${m}`);
    q.whereRaw(`(' ' || m.search_text || ' ') LIKE ? ESCAPE '\\'`, [
      last ? `% ${like}%` : `% ${like} %`,
    ]);
  });
}

const json = (v: unknown) => JSON.stringify(v ?? null);
const parse = <T>(v: unknown, fallback: T): T =>
  typeof v === 'string' ? (JSON.parse(v) as T) ?? fallback : fallback;
const opt = <T>(v: T | null | undefined) => (v === null ? undefined : v);

const MAX_ROWS_PER_INSERT = 200;

export function toRow(
  asset: MetadataAsset & { sourceId: string },
  inputs: ResolvedInput[],
  now: string,
) {
  const fieldText = asset.fields.flatMap(f => [
    f.name,
    f.description,
    ...Object.entries(f.tags ?? {}).flat(),
  ]);
  return {
    id: asset.id,
    source_id: asset.sourceId,
    kind: asset.kind,
    project: asset.project,
    name: asset.name,
    type: asset.type ?? null,
    description: asset.description ?? null,
    owner_email: asset.owner ?? null,
    tags: json(asset.tags),
    fields: json(asset.fields),
    inputs: json(inputs),
    details: json(asset.details),
    entities: `|${(asset.entities ?? []).join('|')}|`,
    online: asset.online ?? null,
    version: asset.version,
    feature_count: asset.fields.length,
    search_text: searchText(
      asset.name,
      asset.description,
      ...(asset.entities ?? []),
      ...Object.entries(asset.tags).flat(),
      ...fieldText,
    ),
    first_seen_at: now,
    updated_at: now,
  };
}

export function fromRow(row: any): StoredAsset {
  return {
    id: row.id,
    sourceId: row.source_id,
    kind: row.kind,
    project: row.project,
    name: row.name,
    type: opt(row.type),
    description: opt(row.description),
    ownerEmail: opt(row.owner_email),
    owner: opt(row.owner),
    tags: parse(row.tags, {}),
    fields: parse(row.fields, []),
    inputs: parse(row.inputs, []),
    details: parse(row.details, {}),
    entities: String(row.entities ?? '')
      .split('|')
      .filter(Boolean),
    online:
      row.online === null || row.online === undefined
        ? undefined
        : Boolean(row.online),
    version: row.version,
    classification: opt(row.classification),
    domain: opt(row.domain),
    system: opt(row.system),
    qualityGrade: opt(row.quality_grade),
    firstSeenAt: row.first_seen_at,
    updatedAt: row.updated_at,
  };
}

/** Knex access to metadata-source assets and sync state (SQLite and PostgreSQL). */
/** One read of a source (metadata or stream): its outcome, kept per source. */
export type SourceAttempt =
  | {
      ok: true;
      at: string;
      assets: number;
      written: number;
      durationMs: number;
    }
  | { ok: false; at: string; message: string };

export class MetadataAssetStore {
  constructor(
    readonly db: Knex,
    /** Every source's sync attempt passes here: counted once, for all kinds. */
    private readonly metrics?: PortalMetrics,
  ) {}

  /** Change markers of a source's stored assets. */
  async versions(
    sourceId: string,
  ): Promise<Map<string, { version: string; inputs: string }>> {
    const rows = await this.db('metadata_assets')
      .where({ source_id: sourceId })
      .select('id', 'version', 'inputs');
    return new Map(
      rows.map(r => [r.id, { version: r.version, inputs: r.inputs }]),
    );
  }

  /** Writes changed assets and deletes removed ones inside the caller's transaction. */
  async write(
    tx: Knex,
    rows: ReturnType<typeof toRow>[],
    removed: string[],
  ): Promise<void> {
    for (const batch of chunks(rows, MAX_ROWS_PER_INSERT)) {
      await tx('metadata_assets')
        .insert(batch)
        .onConflict('id')
        .merge(
          Object.keys(batch[0]).filter(
            k => k !== 'id' && k !== 'first_seen_at',
          ),
        );
    }
    for (const batch of chunks(removed, 500)) {
      await tx('metadata_assets').whereIn('id', batch).delete();
    }
  }

  /** Derived columns of a source's assets (to compare before writing). */
  async derived(sourceId: string): Promise<Map<string, DerivedColumns>> {
    const rows = await this.db('metadata_assets')
      .where({ source_id: sourceId })
      .select(
        'id',
        'owner',
        'classification',
        'domain',
        'system',
        'quality_grade',
      );
    return new Map(
      rows.map(r => [
        r.id,
        {
          owner: r.owner,
          classification: r.classification,
          domain: r.domain,
          system: r.system,
          qualityGrade: r.quality_grade,
        },
      ]),
    );
  }

  async updateDerived(
    updates: Array<{ id: string } & DerivedColumns>,
  ): Promise<void> {
    if (!updates.length) return;
    await this.db.transaction(async tx => {
      for (const u of updates) {
        const set: Record<string, unknown> = {};
        if (u.owner !== undefined) set.owner = u.owner;
        if (u.classification !== undefined)
          set.classification = u.classification;
        if (u.domain !== undefined) set.domain = u.domain;
        if (u.system !== undefined) set.system = u.system;
        if (u.qualityGrade !== undefined) set.quality_grade = u.qualityGrade;
        if (Object.keys(set).length)
          await tx('metadata_assets').where({ id: u.id }).update(set);
      }
    });
  }

  async get(
    id: string,
    filter?: AssetFilter,
  ): Promise<StoredAsset | undefined> {
    const q = this.db('metadata_assets as m').where('m.id', id).first();
    filter?.(q);
    const row = await q;
    return row ? fromRow(row) : undefined;
  }

  async getMany(ids: string[]): Promise<Map<string, StoredAsset>> {
    const out = new Map<string, StoredAsset>();
    for (const batch of chunks(ids, 500)) {
      const rows = await this.db('metadata_assets').whereIn('id', batch);
      rows.forEach(r => out.set(r.id, fromRow(r)));
    }
    return out;
  }

  /**
   * Records an alias the portal itself just set in a model registry on the
   * stored model and its versions, so pages show it before the next sync
   * (which then finds the registry saying the same).
   */
  async setModelAlias(
    tx: Knex,
    modelId: string,
    alias: string,
    version: string | undefined,
  ): Promise<void> {
    const row = await tx('metadata_assets').where({ id: modelId }).first();
    if (!row) return;
    const model = fromRow(row);
    const details = model.details as {
      aliases?: Array<{ alias: string; version: string }>;
    };
    const aliases = (details.aliases ?? []).filter(a => a.alias !== alias);
    if (version !== undefined) aliases.push({ alias, version });
    await tx('metadata_assets')
      .where({ id: modelId })
      .update({ details: json({ ...details, aliases }) });
    for (const input of model.inputs) {
      const v = await tx('metadata_assets').where({ id: input.id }).first();
      if (!v) continue;
      const d = JSON.parse(v.details) as {
        version?: string;
        aliases?: string[];
      };
      const has = (d.aliases ?? []).filter(a => a !== alias);
      if (String(d.version) === version) has.push(alias);
      if (JSON.stringify(has) !== JSON.stringify(d.aliases ?? []))
        await tx('metadata_assets')
          .where({ id: input.id })
          .update({ details: json({ ...d, aliases: has }) });
    }
  }

  /** Assets whose inputs name the given asset (what uses it). */
  async usedBy(id: string): Promise<StoredAsset[]> {
    const needle = `"id":${JSON.stringify(id)}`.replace(
      /[\\%_]/g,
      m => `\\${m}`,
    );
    const rows = await this.db('metadata_assets').whereRaw(
      `inputs LIKE ? ESCAPE '\\'`,
      [`%${needle}%`],
    );
    return rows.map(fromRow).filter(a => a.inputs.some(i => i.id === id));
  }

  /** Records a webhook delivery; false when this delivery id was seen before. */
  async recordDelivery(
    sourceId: string,
    deliveryId: string,
    event: string,
    at: string,
  ): Promise<boolean> {
    const inserted = await this.db('metadata_webhook_deliveries')
      .insert({
        source_id: sourceId,
        delivery_id: deliveryId,
        event,
        received_at: at,
      })
      .onConflict(['source_id', 'delivery_id'])
      .ignore()
      .returning('delivery_id');
    return inserted.length > 0;
  }

  async sourceStatuses(): Promise<MetadataSourceStatus[]> {
    const rows = await this.db('metadata_sources').orderBy('id');
    return rows.map(r => ({
      id: r.id,
      kind: r.kind,
      lastAttemptAt: opt(r.last_attempt_at),
      lastSuccessAt: opt(r.last_success_at),
      error: r.error_message
        ? { message: r.error_message, at: r.error_at }
        : undefined,
      assets: Number(r.asset_count),
      lastWritten: opt(r.last_written),
      lastDurationMs: opt(r.last_duration_ms),
    }));
  }

  async recordAttempt(
    source: { id: string; kind: string },
    outcome: SourceAttempt,
    tx: Knex = this.db,
  ): Promise<void> {
    const base = {
      id: source.id,
      kind: source.kind,
      last_attempt_at: outcome.at,
    };
    const row = outcome.ok
      ? {
          ...base,
          last_success_at: outcome.at,
          error_message: null,
          error_at: null,
          asset_count: outcome.assets,
          last_written: outcome.written,
          last_duration_ms: outcome.durationMs,
        }
      : { ...base, error_message: outcome.message, error_at: outcome.at };
    await tx('metadata_sources').insert(row).onConflict('id').merge();
    this.metrics?.sourceSync(
      source,
      outcome.ok,
      outcome.ok && outcome.durationMs !== undefined
        ? outcome.durationMs / 1000
        : undefined,
    );
  }
}
