import {
  AccessAuditEntry,
  AccessGrant,
  AccessGrantStatus,
  AccessRequestStatus,
  AccessReviewStep,
  Classification,
} from '@lakeport/plugin-lakehouse-common';
import { Knex } from 'knex';
import { opt, parseJson } from '../database/rowValues';

/** A request as stored (without the dataset's names and the audit). */
export interface RequestRow {
  id: string;
  datasetId: string;
  requester: string;
  principal: string;
  columns?: string[];
  classification?: Classification;
  purpose: string;
  justification: string;
  durationDays: number;
  status: AccessRequestStatus;
  step?: AccessReviewStep;
  steps: AccessReviewStep[];
  grantId?: string;
  extendsGrantId?: string;
  error?: string;
  createdAt: string;
  updatedAt: string;
}

export type GrantRow = AccessGrant & { durationDays: number };

export const OPEN_STATUSES: AccessRequestStatus[] = [
  'requested',
  'approved',
  'provisioning',
  'provisioning_failed',
];

function toRequest(r: any): RequestRow {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    requester: r.requester,
    principal: r.principal,
    columns: parseJson<string[]>(r.columns),
    classification: opt(r.classification),
    purpose: r.purpose,
    justification: r.justification,
    durationDays: Number(r.duration_days),
    status: r.status,
    step: opt(r.step),
    steps: r.steps.split(',').filter(Boolean),
    grantId: opt(r.grant_id),
    extendsGrantId: opt(r.extends_grant_id),
    error: opt(r.error),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toGrant(g: any): GrantRow {
  return {
    id: g.id,
    datasetId: g.dataset_id,
    principal: g.principal,
    columns: parseJson<string[]>(g.columns),
    status: g.status,
    requestId: g.request_id,
    requester: g.requester,
    approvedBy: JSON.parse(g.approved_by),
    provisioner: g.provisioner,
    durationDays: Number(g.duration_days),
    activatedAt: opt(g.activated_at),
    expiresAt: opt(g.expires_at),
    revokedAt: opt(g.revoked_at),
    revokedBy: opt(g.revoked_by),
    error: opt(g.error),
  };
}

function toAudit(a: any): AccessAuditEntry {
  return {
    at: a.at,
    actor: a.actor,
    action: a.action,
    comment: opt(a.comment),
    fromStatus: opt(a.from_status),
    toStatus: opt(a.to_status),
    requestId: a.request_id,
    grantId: opt(a.grant_id),
    datasetId: a.dataset_id,
  };
}

/** Requests, grants and the audit trail; every change writes its audit row in the same transaction. */
export class AccessStore {
  constructor(private readonly db: Knex) {}

  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async insertRequest(tx: Knex, r: RequestRow): Promise<void> {
    await tx('access_requests').insert({
      id: r.id,
      dataset_id: r.datasetId,
      requester: r.requester,
      principal: r.principal,
      columns: r.columns ? JSON.stringify(r.columns) : null,
      classification: r.classification ?? null,
      purpose: r.purpose,
      justification: r.justification,
      duration_days: r.durationDays,
      status: r.status,
      step: r.step ?? null,
      steps: r.steps.join(','),
      grant_id: r.grantId ?? null,
      extends_grant_id: r.extendsGrantId ?? null,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
    });
  }

  /**
   * Moves a request on only if it is still in `from` (and at `step`):
   * concurrent decisions cannot both win. Returns whether it moved.
   */
  async moveRequest(
    tx: Knex,
    id: string,
    from: { status: AccessRequestStatus; step?: AccessReviewStep | null },
    to: Partial<{
      status: AccessRequestStatus;
      step: AccessReviewStep | null;
      grantId: string;
      error: string | null;
    }>,
    now: string,
  ): Promise<boolean> {
    const where: Record<string, unknown> = { id, status: from.status };
    if (from.step !== undefined) where.step = from.step;
    const changed = await tx('access_requests')
      .where(where)
      .update({
        ...(to.status && { status: to.status }),
        ...(to.step !== undefined && { step: to.step }),
        ...(to.grantId && { grant_id: to.grantId }),
        ...(to.error !== undefined && { error: to.error }),
        updated_at: now,
      });
    return changed === 1;
  }

  async setRequestsOfGrant(
    tx: Knex,
    grantId: string,
    status: AccessRequestStatus,
    now: string,
    error?: string,
  ) {
    await tx('access_requests')
      .where({ grant_id: grantId })
      .whereIn('status', ['provisioning', 'active', 'provisioning_failed'])
      .update({ status, updated_at: now, error: error ?? null });
  }

  async request(
    id: string,
    db: Knex = this.db,
  ): Promise<RequestRow | undefined> {
    const row = await db('access_requests').where({ id }).first();
    return row && toRequest(row);
  }

  async requests(filter: {
    requester?: string;
    datasetId?: string;
    status?: AccessRequestStatus[];
  }): Promise<RequestRow[]> {
    const q = this.db('access_requests').orderBy('created_at', 'desc');
    if (filter.requester) q.where({ requester: filter.requester });
    if (filter.datasetId) q.where({ dataset_id: filter.datasetId });
    if (filter.status) q.whereIn('status', filter.status);
    return (await q.limit(500)).map(toRequest);
  }

  /** An open request of this principal for this dataset (one at a time). */
  async openRequest(
    datasetId: string,
    principal: string,
    extendsGrantId?: string,
  ): Promise<RequestRow | undefined> {
    const row = await this.db('access_requests')
      .where({ dataset_id: datasetId, principal })
      .whereIn('status', OPEN_STATUSES)
      .where(q =>
        extendsGrantId
          ? q.where({ extends_grant_id: extendsGrantId })
          : q.whereNull('extends_grant_id'),
      )
      .first();
    return row && toRequest(row);
  }

  async insertGrant(tx: Knex, g: GrantRow): Promise<void> {
    await tx('access_grants').insert({
      id: g.id,
      dataset_id: g.datasetId,
      principal: g.principal,
      columns: g.columns ? JSON.stringify(g.columns) : null,
      status: g.status,
      request_id: g.requestId,
      requester: g.requester,
      approved_by: JSON.stringify(g.approvedBy),
      provisioner: g.provisioner,
      duration_days: g.durationDays,
    });
  }

  async grant(id: string, db: Knex = this.db): Promise<GrantRow | undefined> {
    const row = await db('access_grants').where({ id }).first();
    return row && toGrant(row);
  }

  async grantsByIds(ids: string[]): Promise<Map<string, GrantRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db('access_grants').whereIn('id', ids);
    return new Map(rows.map(r => [r.id, toGrant(r)]));
  }

  async grants(filter: {
    datasetId?: string;
    principals?: string[];
    status?: AccessGrantStatus[];
  }): Promise<GrantRow[]> {
    const q = this.db('access_grants').orderBy('activated_at', 'desc');
    if (filter.datasetId) q.where({ dataset_id: filter.datasetId });
    if (filter.principals) q.whereIn('principal', filter.principals);
    if (filter.status) q.whereIn('status', filter.status);
    return (await q.limit(1000)).map(toGrant);
  }

  async updateGrant(
    tx: Knex,
    id: string,
    fromStatus: AccessGrantStatus[],
    to: Record<string, unknown>,
  ): Promise<boolean> {
    return (
      (await tx('access_grants')
        .where({ id })
        .whereIn('status', fromStatus)
        .update(to)) === 1
    );
  }

  /**
   * Claims a grant waiting to be provisioned for `leaseMs`; an expired lease
   * (a replica stopped mid-way) makes it claimable again.
   */
  async claimProvisioning(
    now: Date,
    leaseMs: number,
  ): Promise<GrantRow | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = await this.db('access_grants')
        .where({ status: 'provisioning' })
        .where(q =>
          q
            .whereNull('claimed_until')
            .orWhere('claimed_until', '<', now.toISOString()),
        )
        .first('id');
      if (!next) return undefined;
      const claimed = await this.db('access_grants')
        .where({ id: next.id, status: 'provisioning' })
        .where(q =>
          q
            .whereNull('claimed_until')
            .orWhere('claimed_until', '<', now.toISOString()),
        )
        .update({
          claimed_until: new Date(now.getTime() + leaseMs).toISOString(),
        });
      if (claimed === 1) return this.grant(next.id);
    }
    return undefined;
  }

  async dueForExpiry(now: string): Promise<GrantRow[]> {
    return (
      await this.db('access_grants')
        .where({ status: 'active' })
        .where('expires_at', '<=', now)
        .limit(100)
    ).map(toGrant);
  }

  async dueForReminder(before: string): Promise<GrantRow[]> {
    return (
      await this.db('access_grants')
        .where({ status: 'active' })
        .whereNull('reminded_at')
        .where('expires_at', '<=', before)
        .limit(100)
    ).map(toGrant);
  }

  /** Marks a grant reminded; true for exactly one caller (one replica). */
  async claimReminder(id: string, now: string): Promise<boolean> {
    return (
      (await this.db('access_grants')
        .where({ id })
        .whereNull('reminded_at')
        .update({ reminded_at: now })) === 1
    );
  }

  async audit(tx: Knex, entry: AccessAuditEntry): Promise<void> {
    await tx('access_audit').insert({
      request_id: entry.requestId,
      grant_id: entry.grantId ?? null,
      dataset_id: entry.datasetId,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      from_status: entry.fromStatus ?? null,
      to_status: entry.toStatus ?? null,
      comment: entry.comment ?? null,
    });
  }

  async auditOf(filter: {
    requestIds?: string[];
    datasetId?: string;
  }): Promise<AccessAuditEntry[]> {
    const q = this.db('access_audit').orderBy('seq');
    if (filter.requestIds) q.whereIn('request_id', filter.requestIds);
    if (filter.datasetId) q.where({ dataset_id: filter.datasetId });
    return (await q).map(toAudit);
  }

  /** Columns each principal may see unmasked now (`all` = the whole dataset). */
  async activeGrantsFor(
    datasetId: string,
    principals: string[],
    now: string,
  ): Promise<Array<string[] | 'all'>> {
    if (principals.length === 0) return [];
    const rows = await this.db('access_grants')
      .where({ dataset_id: datasetId, status: 'active' })
      .whereIn('principal', principals)
      .where('expires_at', '>', now)
      .select('columns');
    return rows.map(r => parseJson<string[]>(r.columns) ?? 'all');
  }
}
