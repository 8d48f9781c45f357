import {
  ModelAliasState,
  ModelPromotion,
  ModelPromotionAuditEntry,
  PromotionGate,
  PromotionStatus,
} from '@lakeport/plugin-lakehouse-common';
import { Knex } from 'knex';

/** A promotion row without its audit trail. */
export type PromotionRow = Omit<ModelPromotion, 'audit' | 'model'>;

const opt = <T>(v: T | null | undefined) => (v === null ? undefined : v);

function toPromotion(r: any): PromotionRow {
  return {
    id: r.id,
    modelId: r.model_id,
    alias: r.alias,
    version: r.version,
    fromVersion: opt(r.from_version),
    kind: r.kind,
    reason: r.reason,
    status: r.status,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    gates: JSON.parse(r.gates) as PromotionGate[],
    decidedBy: opt(r.decided_by),
    decidedAt: opt(r.decided_at),
    comment: opt(r.comment),
    overrideReason: opt(r.override_reason),
    stewardBy: opt(r.steward_by),
    stewardAt: opt(r.steward_at),
    promotedAt: opt(r.promoted_at),
    attempts: Number(r.attempts ?? 0),
    lastError: opt(r.last_error),
  };
}

/** Open statuses: at most one open promotion per model and alias. */
export const OPEN_PROMOTION_STATUSES: PromotionStatus[] = [
  'pending',
  'awaiting-steward',
  'approved',
];

/** The stored alias state of a governed alias. */
export interface AliasStateRow {
  modelId: string;
  alias: string;
  version?: string;
  via: NonNullable<ModelAliasState['via']>;
  promotionId?: string;
  setBy: string;
  setAt: string;
  ungoverned: boolean;
  ungovernedVersion?: string;
  ungovernedSeenAt?: string;
}

/** Promotions, governed alias states and their audit trail. */
export class PromotionStore {
  constructor(readonly db: Knex) {}

  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async insert(tx: Knex, p: PromotionRow) {
    await tx('model_promotions').insert({
      id: p.id,
      model_id: p.modelId,
      alias: p.alias,
      version: p.version,
      from_version: p.fromVersion ?? null,
      kind: p.kind,
      reason: p.reason,
      status: p.status,
      requested_by: p.requestedBy,
      requested_at: p.requestedAt,
      gates: JSON.stringify(p.gates),
      attempts: 0,
    });
  }

  async get(id: string, db: Knex = this.db): Promise<PromotionRow | undefined> {
    const row = await db('model_promotions').where({ id }).first();
    return row && toPromotion(row);
  }

  async list(filter: {
    modelId?: string;
    status?: PromotionStatus[];
    requestedBy?: string;
  }): Promise<PromotionRow[]> {
    const q = this.db('model_promotions').orderBy('requested_at', 'desc');
    if (filter.modelId) q.where({ model_id: filter.modelId });
    if (filter.status) q.whereIn('status', filter.status);
    if (filter.requestedBy) q.where({ requested_by: filter.requestedBy });
    return (await q.limit(500)).map(toPromotion);
  }

  async open(
    modelId: string,
    alias: string,
    db: Knex = this.db,
  ): Promise<PromotionRow | undefined> {
    const row = await db('model_promotions')
      .where({ model_id: modelId, alias })
      .whereIn('status', OPEN_PROMOTION_STATUSES)
      .first();
    return row && toPromotion(row);
  }

  /**
   * Moves a promotion from one status to the next only if it is still in
   * `from` (two reviewers at once: the second gets false).
   */
  async transition(
    tx: Knex,
    id: string,
    from: PromotionStatus[],
    changes: Record<string, unknown>,
  ): Promise<boolean> {
    const n = await tx('model_promotions')
      .where({ id })
      .whereIn('status', from)
      .update(changes);
    return n === 1;
  }

  /**
   * Claims an approved promotion for `leaseMs` so one replica sets the
   * alias; an expired lease (a replica stopped mid-way) frees it again.
   */
  async claim(id: string, now: Date, leaseMs: number): Promise<boolean> {
    const n = await this.db('model_promotions')
      .where({ id, status: 'approved' })
      .where(q =>
        q
          .whereNull('claimed_until')
          .orWhere('claimed_until', '<', now.toISOString()),
      )
      .update({
        claimed_until: new Date(now.getTime() + leaseMs).toISOString(),
      });
    return n === 1;
  }

  async release(id: string, changes: Record<string, unknown>) {
    await this.db('model_promotions')
      .where({ id })
      .update({ ...changes, claimed_until: null });
  }

  async approvedIds(): Promise<string[]> {
    return (
      await this.db('model_promotions')
        .where({ status: 'approved' })
        .orderBy('decided_at')
        .select('id')
    ).map(r => r.id);
  }

  async aliasStates(modelIds?: string[]): Promise<AliasStateRow[]> {
    const q = this.db('model_alias_states');
    if (modelIds) q.whereIn('model_id', modelIds);
    return (await q).map(r => ({
      modelId: r.model_id,
      alias: r.alias,
      version: opt(r.version),
      via: r.via,
      promotionId: opt(r.promotion_id),
      setBy: r.set_by,
      setAt: r.set_at,
      ungoverned: Boolean(r.ungoverned),
      ungovernedVersion: opt(r.ungoverned_version),
      ungovernedSeenAt: opt(r.ungoverned_seen_at),
    }));
  }

  async ungovernedModelIds(): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const r of await this.db('model_alias_states')
      .where({ ungoverned: true })
      .select('model_id', 'alias'))
      out.set(r.model_id, [...(out.get(r.model_id) ?? []), r.alias]);
    return out;
  }

  /** Sets the alias state as Lakeport set or accepted it. */
  async setAliasState(
    tx: Knex,
    s: Omit<
      AliasStateRow,
      'ungoverned' | 'ungovernedVersion' | 'ungovernedSeenAt'
    >,
  ) {
    const row = {
      model_id: s.modelId,
      alias: s.alias,
      version: s.version ?? null,
      via: s.via,
      promotion_id: s.promotionId ?? null,
      set_by: s.setBy,
      set_at: s.setAt,
      ungoverned: false,
      ungoverned_version: null,
      ungoverned_seen_at: null,
    };
    await tx('model_alias_states')
      .insert(row)
      .onConflict(['model_id', 'alias'])
      .merge();
  }

  /**
   * Marks an ungoverned change once per version seen: false when it was
   * already marked for that version (nothing to notify again).
   */
  async markUngoverned(
    tx: Knex,
    modelId: string,
    alias: string,
    version: string | undefined,
    at: string,
  ): Promise<boolean> {
    // Conditional on what was read: of two replicas seeing the same
    // change, one marks it (and notifies), the other updates nothing.
    const row = await tx('model_alias_states')
      .where({ model_id: modelId, alias })
      .first();
    if (!row) return false;
    const seen = opt(row.ungoverned_version);
    if (Boolean(row.ungoverned) && seen === version) return false;
    const n = await tx('model_alias_states')
      .where({
        model_id: modelId,
        alias,
        ungoverned: Boolean(row.ungoverned),
      })
      .where(q =>
        seen === undefined
          ? q.whereNull('ungoverned_version')
          : q.where('ungoverned_version', seen),
      )
      .update({
        ungoverned: true,
        ungoverned_version: version ?? null,
        ungoverned_seen_at: at,
      });
    return n === 1;
  }

  async clearUngoverned(tx: Knex, modelId: string, alias: string) {
    await tx('model_alias_states')
      .where({ model_id: modelId, alias, ungoverned: true })
      .update({
        ungoverned: false,
        ungoverned_version: null,
        ungoverned_seen_at: null,
      });
  }

  async audit(
    tx: Knex,
    modelId: string,
    e: ModelPromotionAuditEntry,
  ): Promise<void> {
    await tx('model_promotion_audit').insert({
      model_id: modelId,
      promotion_id: e.promotionId ?? null,
      alias: e.alias ?? null,
      version: e.version ?? null,
      action: e.action,
      actor: e.actor,
      at: e.at,
      detail: e.detail ?? null,
    });
  }

  async auditOf(modelId: string): Promise<ModelPromotionAuditEntry[]> {
    return (
      await this.db('model_promotion_audit')
        .where({ model_id: modelId })
        .orderBy('id', 'desc')
        .limit(1000)
    ).map(r => ({
      at: r.at,
      actor: r.actor,
      action: r.action,
      promotionId: opt(r.promotion_id),
      alias: opt(r.alias),
      version: opt(r.version),
      detail: opt(r.detail),
    }));
  }
}
