import { PortalMetrics } from '../observability/PortalMetrics';
import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AccessAuditEntry,
  AccessGrant,
  AccessRequest,
  AccessRequestStatus,
  AccessReviewStep,
  Classification,
  DEFAULT_ACCESS_DURATION_DAYS,
  isSensitive,
  lakehouseAccessRequestPermission,
  lakehouseAccessReviewPermission,
  lakehouseAccessRevokePermission,
  mostSensitive,
} from '@lakeport/plugin-lakehouse-common';
import { AccessProvisioner } from '@lakeport/plugin-lakehouse-node';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { DatasetStore, StoredDataset } from '../assets/DatasetStore';
import { authorizeOne } from '../permissions/authorize';
import { AccessStore, GrantRow, RequestRow } from './AccessStore';

/** Longest duration per classification in scope, in days. */
export const DEFAULT_MAX_DAYS: Record<Classification, number> = {
  pii: 90,
  confidential: 180,
  internal: 365,
  public: 365,
};

const REMINDER_DAYS = 3;
const LEASE_MS = 5 * 60_000;

/** Who is asking, as far as access decisions go. */
interface Caller {
  ref: string;
  claims: string[];
  steward: boolean;
}

/** What people are told, one message per step. */
export interface AccessNotification {
  recipients: string[];
  title: string;
  description: string;
  link: string;
}

/**
 * Access requests end to end: validation, the owner → steward review,
 * provisioning through the configured provisioner (idempotent, any replica,
 * survives restarts), expiry, revoke, and an audit row for every
 * transition (also sent to the auditor).
 */
export class AccessService {
  private provisioning?: Promise<void>;
  private again = false;

  constructor(
    private readonly deps: {
      store: AccessStore;
      datasets: DatasetStore;
      provisioner: AccessProvisioner;
      permissions: PermissionsService;
      auth: AuthService;
      userInfo: UserInfoService;
      auditor?: AuditorService;
      logger: LoggerService;
      stewardGroups: string[];
      maxDays?: Partial<Record<Classification, number>>;
      notify?: (n: AccessNotification) => Promise<void>;
      /** Lineage-derived classifications of columns the contract leaves open. */
      derivedClassifications?: (
        datasetId: string,
      ) => Promise<Map<string, Classification>>;
      now?: () => Date;
      metrics?: PortalMetrics;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  private async caller(credentials: BackstageCredentials): Promise<Caller> {
    if (!this.deps.auth.isPrincipal(credentials, 'user'))
      throw new NotAllowedError('Access requests are for signed-in users');
    const { ownershipEntityRefs } = await this.deps.userInfo.getUserInfo(
      credentials,
    );
    const ref = credentials.principal.userEntityRef;
    const claims = [...new Set([ref, ...ownershipEntityRefs])];
    return {
      ref,
      claims,
      steward: claims.some(c => this.deps.stewardGroups.includes(c)),
    };
  }

  private async dataset(id: string): Promise<StoredDataset> {
    const dataset = await this.deps.datasets.get(id);
    if (!dataset) throw new NotFoundError(`No dataset ${id}`);
    return dataset;
  }

  private maxDays(classification?: Classification) {
    const c = classification ?? 'public';
    return this.deps.maxDays?.[c] ?? DEFAULT_MAX_DAYS[c];
  }

  private async classificationInScope(
    dataset: StoredDataset,
    columns?: string[],
  ): Promise<Classification | undefined> {
    const classified = new Map(
      dataset.columns.map(c => [c.name, c.classification]),
    );
    const derived =
      (await this.deps.derivedClassifications?.(dataset.id)) ?? new Map();
    for (const [name, c] of derived)
      if (!classified.get(name)) classified.set(name, c);
    const names = columns ?? [...classified.keys()];
    return mostSensitive(names.map(n => classified.get(n)));
  }

  private link(id: string) {
    return `/access/requests/${id}`;
  }

  private async record(tx: Knex, entry: AccessAuditEntry) {
    await this.deps.store.audit(tx, entry);
  }

  private async sendAudit(entry: AccessAuditEntry) {
    try {
      const event = await this.deps.auditor?.createEvent({
        eventId: `access-${entry.action}`,
        severityLevel: 'medium',
        meta: { ...entry },
      });
      await event?.success();
    } catch (e) {
      this.deps.logger.warn(`Could not send access audit event: ${e}`);
    }
  }

  private async tell(n: AccessNotification) {
    if (n.recipients.length === 0) return;
    try {
      await this.deps.notify?.(n);
    } catch (e) {
      this.deps.logger.warn(`Could not notify ${n.recipients}: ${e}`);
    }
  }

  private reviewersOf(step: AccessReviewStep, dataset: StoredDataset) {
    return step === 'owner'
      ? [dataset.owner].filter((o): o is string => !!o)
      : this.deps.stewardGroups;
  }

  /**
   * Validates and records a request; the owner group is told. `atLeast`
   * raises the classification in scope (a feature service carrying PII asks
   * for its source columns: the steward step applies); `dryRun` validates
   * only, so a caller making several requests writes none when one is bad.
   */
  async create(
    body: unknown,
    credentials: BackstageCredentials,
    options: { atLeast?: Classification; dryRun?: boolean } = {},
  ): Promise<{ id: string; status: AccessRequestStatus }> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new InputError(
        'Body must be { datasetId, columns?, purpose, justification, durationDays, principal? }',
      );
    const b = body as Record<string, unknown>;
    if (typeof b.datasetId !== 'string' || !b.datasetId)
      throw new InputError('datasetId is required');
    const caller = await this.caller(credentials);
    await authorizeOne(
      this.deps.permissions,
      lakehouseAccessRequestPermission,
      credentials,
      b.datasetId,
    );
    const dataset = await this.dataset(b.datasetId);
    if (dataset.status === 'removed')
      throw new ConflictError(`Dataset ${dataset.name} was removed`);

    const problems: string[] = [];
    const text = (key: string, max: number) => {
      const v = b[key];
      if (typeof v !== 'string' || !v.trim()) {
        problems.push(`${key} is required`);
        return '';
      }
      if (v.length > max)
        problems.push(`${key} is longer than ${max} characters`);
      return v.trim();
    };
    const purpose = text('purpose', 500);
    const justification = text('justification', 2000);
    let columns: string[] | undefined;
    if (b.columns !== undefined && b.columns !== null) {
      if (
        !Array.isArray(b.columns) ||
        b.columns.length === 0 ||
        !b.columns.every(c => typeof c === 'string')
      ) {
        problems.push(
          'columns must be a non-empty list of column names (or left out for the whole dataset)',
        );
      } else {
        const known = new Set(
          dataset.columns
            .filter(c => c.drift !== 'missing_in_engine')
            .map(c => c.name),
        );
        const unknown = (b.columns as string[]).filter(c => !known.has(c));
        if (unknown.length)
          problems.push(
            `columns not in ${dataset.name}: ${unknown.join(', ')}`,
          );
        columns = [...new Set(b.columns as string[])].sort();
      }
    }
    const principal = b.principal === undefined ? caller.ref : b.principal;
    if (
      typeof principal !== 'string' ||
      !caller.claims.includes(principal) ||
      !/^(user|group):/.test(principal)
    ) {
      problems.push(
        `principal must be you (${
          caller.ref
        }) or a group you belong to (${caller.claims
          .filter(c => c.startsWith('group:'))
          .join(', ')})`,
      );
    }
    const classification = mostSensitive([
      await this.classificationInScope(dataset, columns),
      options.atLeast,
    ]);
    const max = this.maxDays(classification);
    const durationDays = b.durationDays ?? DEFAULT_ACCESS_DURATION_DAYS;
    if (
      typeof durationDays !== 'number' ||
      !Number.isInteger(durationDays) ||
      durationDays < 1
    ) {
      problems.push('durationDays must be a whole number of days, at least 1');
    } else if (durationDays > max) {
      problems.push(
        `durationDays is at most ${max} for ${
          classification ?? 'unclassified'
        } data, got ${durationDays}`,
      );
    }
    let extendsGrantId: string | undefined;
    if (b.extendsGrantId !== undefined) {
      const grant =
        typeof b.extendsGrantId === 'string'
          ? await this.deps.store.grant(b.extendsGrantId)
          : undefined;
      if (
        !grant ||
        grant.status !== 'active' ||
        grant.datasetId !== dataset.id ||
        grant.principal !== principal
      ) {
        problems.push(
          'extendsGrantId must be an active grant of this principal on this dataset',
        );
      } else {
        extendsGrantId = grant.id;
        columns = grant.columns;
      }
    }
    if (problems.length) throw new InputError(problems.join('; '));

    const open = await this.deps.store.openRequest(
      dataset.id,
      principal as string,
      extendsGrantId,
    );
    if (open)
      throw new ConflictError(
        `An open request for ${principal} on ${
          dataset.name
        } exists: ${this.link(open.id)} (${open.status})`,
      );

    if (options.dryRun) return { id: '', status: 'requested' };
    const steps: AccessReviewStep[] = dataset.owner ? ['owner'] : [];
    if (isSensitive(classification)) steps.push('steward');
    if (steps.length === 0) steps.push('steward');
    const now = this.now().toISOString();
    const request: RequestRow = {
      id: randomUUID(),
      datasetId: dataset.id,
      requester: caller.ref,
      principal: principal as string,
      columns,
      classification,
      purpose,
      justification,
      durationDays: durationDays as number,
      status: 'requested',
      step: steps[0],
      steps,
      extendsGrantId,
      createdAt: now,
      updatedAt: now,
    };
    const entry: AccessAuditEntry = {
      at: now,
      actor: caller.ref,
      action: extendsGrantId ? 'extension-requested' : 'requested',
      toStatus: 'requested',
      comment: justification,
      requestId: request.id,
      datasetId: dataset.id,
      grantId: extendsGrantId,
    };
    await this.deps.store.transaction(async tx => {
      await this.deps.store.insertRequest(tx, request);
      await this.record(tx, entry);
    });
    await this.sendAudit(entry);
    await this.tell({
      recipients: this.reviewersOf(steps[0], dataset),
      title: `Access request for ${dataset.name}`,
      description: `${caller.ref.replace(
        /^user:default\//,
        '',
      )} asks ${durationDays} days of ${
        columns ? columns.join(', ') : 'the whole dataset'
      } for ${principal}: ${purpose}`,
      link: '/access-reviews',
    });
    return { id: request.id, status: request.status };
  }

  private async view(rows: RequestRow[]): Promise<AccessRequest[]> {
    if (rows.length === 0) return [];
    const [summaries, audit] = await Promise.all([
      this.deps.datasets.summaries([...new Set(rows.map(r => r.datasetId))]),
      this.deps.store.auditOf({ requestIds: rows.map(r => r.id) }),
    ]);
    const grants = await this.deps.store.grantsByIds([
      ...new Set(
        rows
          .map(r => r.grantId ?? r.extendsGrantId)
          .filter((id): id is string => !!id),
      ),
    ]);
    return rows.map(r => {
      const d = summaries.get(r.datasetId);
      const grant = grants.get(r.grantId ?? r.extendsGrantId ?? '');
      return {
        ...r,
        datasetName: d?.name ?? r.datasetId,
        datasetTitle: d?.title ?? r.datasetId,
        qualityGrade: d?.qualityGrade,
        expiresAt: grant?.expiresAt,
        error:
          r.error ??
          (grant?.status === 'provisioning_failed' ? grant.error : undefined),
        audit: audit.filter(a => a.requestId === r.id),
      };
    });
  }

  /** May this caller take the current step of the request? */
  private mayReview(
    caller: Caller,
    dataset: { owner?: string },
    step: AccessReviewStep,
  ): boolean {
    if (step === 'owner')
      return !!dataset.owner && caller.claims.includes(dataset.owner);
    return caller.steward;
  }

  async list(
    query: { mine?: boolean; reviewable?: boolean; datasetId?: string },
    credentials: BackstageCredentials,
  ): Promise<{ items: AccessRequest[] }> {
    const caller = await this.caller(credentials);
    if (query.reviewable) {
      const open = await this.deps.store.requests({ status: ['requested'] });
      const datasets = await this.deps.datasets.summaries([
        ...new Set(open.map(r => r.datasetId)),
      ]);
      const items = open.filter(r => {
        const dataset = datasets.get(r.datasetId);
        return (
          r.requester !== caller.ref &&
          !!r.step &&
          !!dataset &&
          this.mayReview(caller, dataset, r.step)
        );
      });
      return { items: await this.view(items) };
    }
    if (query.datasetId) {
      await authorizeOne(
        this.deps.permissions,
        lakehouseAccessRevokePermission,
        credentials,
        query.datasetId,
      );
      return {
        items: await this.view(
          await this.deps.store.requests({ datasetId: query.datasetId }),
        ),
      };
    }
    return {
      items: await this.view(
        await this.deps.store.requests({ requester: caller.ref }),
      ),
    };
  }

  /** The requester, members of the principal, reviewers and revokers see a request. */
  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<AccessRequest> {
    const caller = await this.caller(credentials);
    const request = await this.deps.store.request(id);
    if (!request) throw new NotFoundError(`No access request ${id}`);
    const dataset = await this.dataset(request.datasetId);
    const involved =
      request.requester === caller.ref ||
      caller.claims.includes(request.principal) ||
      caller.steward ||
      (!!dataset.owner && caller.claims.includes(dataset.owner));
    if (!involved) {
      await authorizeOne(
        this.deps.permissions,
        lakehouseAccessRevokePermission,
        credentials,
        request.datasetId,
      );
    }
    return (await this.view([request]))[0];
  }

  /** Approve or deny the current step; the last approval provisions. */
  async decide(
    id: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<AccessRequest> {
    const { decision, comment } = (body ?? {}) as Record<string, unknown>;
    if (decision !== 'approve' && decision !== 'deny')
      throw new InputError(
        `decision must be approve or deny, got ${JSON.stringify(decision)}`,
      );
    if (comment !== undefined && typeof comment !== 'string')
      throw new InputError('comment must be text');
    if (decision === 'deny' && !(comment as string | undefined)?.trim())
      throw new InputError('comment is required to deny: say why');
    const caller = await this.caller(credentials);
    const request = await this.deps.store.request(id);
    if (!request) throw new NotFoundError(`No access request ${id}`);
    await authorizeOne(
      this.deps.permissions,
      lakehouseAccessReviewPermission,
      credentials,
      request.datasetId,
    );
    const dataset = await this.dataset(request.datasetId);
    if (request.requester === caller.ref)
      throw new NotAllowedError('Nobody approves their own request');
    const reviewsSomeStep = request.steps.some(s =>
      this.mayReview(caller, dataset, s),
    );
    if (!reviewsSomeStep)
      throw new NotAllowedError(
        `Only ${request.steps
          .map(s =>
            s === 'owner'
              ? dataset.owner
              : this.deps.stewardGroups.join(' or '),
          )
          .join(', then ')} review this request`,
      );
    if (request.status !== 'requested' || !request.step)
      throw new ConflictError(
        `The request is ${request.status}: nothing to decide`,
      );
    if (!this.mayReview(caller, dataset, request.step))
      throw new ConflictError(
        `The request waits for the ${request.step} step (${this.reviewersOf(
          request.step,
          dataset,
        ).join(', ')}) first`,
      );

    const now = this.now().toISOString();
    const text = (comment as string | undefined)?.trim() || undefined;
    const nextStep = request.steps[request.steps.indexOf(request.step) + 1];
    const entries: AccessAuditEntry[] = [];
    const base = {
      at: now,
      actor: caller.ref,
      requestId: id,
      datasetId: request.datasetId,
      comment: text,
    };
    // The last step's approval, before the grant is extended or provisioned.
    const finalApproval: AccessAuditEntry = {
      ...base,
      action: `approved-by-${request.step}`,
      fromStatus: 'requested',
      toStatus: 'approved',
    };
    let grantId: string | undefined;
    // Read before the transaction: SQLite has one connection.
    const approvers = [
      ...new Set(
        [
          ...(await this.deps.store.auditOf({ requestIds: [id] })),
          { action: 'approved', actor: caller.ref },
        ]
          .filter(a => a.action.startsWith('approved'))
          .map(a => a.actor),
      ),
    ];
    await this.deps.store.transaction(async tx => {
      let moved: boolean;
      if (decision === 'deny') {
        moved = await this.deps.store.moveRequest(
          tx,
          id,
          { status: 'requested', step: request.step },
          { status: 'denied', step: null },
          now,
        );
        entries.push({
          ...base,
          action: `denied-by-${request.step}`,
          fromStatus: 'requested',
          toStatus: 'denied',
        });
      } else if (nextStep) {
        moved = await this.deps.store.moveRequest(
          tx,
          id,
          { status: 'requested', step: request.step },
          { step: nextStep },
          now,
        );
        entries.push({
          ...base,
          action: `approved-by-${request.step}`,
          fromStatus: 'requested',
          toStatus: 'requested',
        });
      } else if (request.extendsGrantId) {
        const grant = await this.deps.store.grant(request.extendsGrantId, tx);
        if (!grant || grant.status !== 'active')
          throw new ConflictError('The grant to extend is no longer active');
        moved = await this.deps.store.moveRequest(
          tx,
          id,
          { status: 'requested', step: request.step },
          { status: 'active', step: null, grantId: grant.id },
          now,
        );
        const until = new Date(
          Math.max(
            new Date(grant.expiresAt!).getTime(),
            this.now().getTime() + request.durationDays * 86_400_000,
          ),
        ).toISOString();
        await this.deps.store.updateGrant(tx, grant.id, ['active'], {
          expires_at: until,
          reminded_at: null,
          request_id: id,
          approved_by: JSON.stringify([
            ...new Set([...grant.approvedBy, caller.ref]),
          ]),
        });
        entries.push(finalApproval, {
          ...base,
          action: 'extended',
          fromStatus: 'approved',
          toStatus: 'active',
          grantId: grant.id,
          comment: `until ${until}`,
        });
      } else {
        grantId = randomUUID();
        moved = await this.deps.store.moveRequest(
          tx,
          id,
          { status: 'requested', step: request.step },
          { status: 'provisioning', step: null, grantId },
          now,
        );
        if (moved)
          await this.deps.store.insertGrant(tx, {
            id: grantId,
            datasetId: request.datasetId,
            principal: request.principal,
            columns: request.columns,
            status: 'provisioning',
            requestId: id,
            requester: request.requester,
            approvedBy: approvers,
            provisioner: this.deps.provisioner.id,
            durationDays: request.durationDays,
          });
        entries.push(finalApproval, {
          ...base,
          action: 'provisioning',
          fromStatus: 'approved',
          toStatus: 'provisioning',
          grantId,
          comment: `through the ${this.deps.provisioner.id} provisioner`,
        });
      }
      if (!moved)
        throw new ConflictError(
          'Someone else decided on this request just now',
        );
      for (const e of entries) await this.record(tx, e);
    });
    for (const e of entries) await this.sendAudit(e);

    if (decision === 'deny') {
      await this.tell({
        recipients: [request.requester],
        title: `Access to ${dataset.name} denied`,
        description: `${caller.ref.replace(/^user:default\//, '')}: ${text}`,
        link: '/access',
      });
    } else if (nextStep) {
      await this.tell({
        recipients: this.reviewersOf(nextStep, dataset),
        title: `Access request for ${dataset.name} needs a steward`,
        description: `Approved by the owner (${caller.ref.replace(
          /^user:default\//,
          '',
        )}); ${request.classification} data in scope.`,
        link: '/access-reviews',
      });
    }
    if (grantId) await this.provisionPending();
    return this.get(id, credentials);
  }

  async cancel(id: string, credentials: BackstageCredentials) {
    const caller = await this.caller(credentials);
    const request = await this.deps.store.request(id);
    if (!request) throw new NotFoundError(`No access request ${id}`);
    if (request.requester !== caller.ref)
      throw new NotAllowedError('Only the requester cancels a request');
    const now = this.now().toISOString();
    const entry: AccessAuditEntry = {
      at: now,
      actor: caller.ref,
      action: 'cancelled',
      fromStatus: request.status,
      toStatus: 'cancelled',
      requestId: id,
      datasetId: request.datasetId,
    };
    await this.deps.store.transaction(async tx => {
      const moved =
        request.status === 'requested' &&
        (await this.deps.store.moveRequest(
          tx,
          id,
          { status: 'requested' },
          { status: 'cancelled', step: null },
          now,
        ));
      if (!moved)
        throw new ConflictError(
          `The request is ${request.status}: only requests under review can be cancelled`,
        );
      await this.record(tx, entry);
    });
    await this.sendAudit(entry);
    return this.get(id, credentials);
  }

  /** Another attempt for a grant whose provisioning failed (owners, stewards, admins). */
  async retry(id: string, credentials: BackstageCredentials) {
    const caller = await this.caller(credentials);
    const request = await this.deps.store.request(id);
    if (!request) throw new NotFoundError(`No access request ${id}`);
    await authorizeOne(
      this.deps.permissions,
      lakehouseAccessRevokePermission,
      credentials,
      request.datasetId,
    );
    if (request.status !== 'provisioning_failed' || !request.grantId)
      throw new ConflictError(
        `The request is ${request.status}: nothing to retry`,
      );
    const now = this.now().toISOString();
    const entry: AccessAuditEntry = {
      at: now,
      actor: caller.ref,
      action: 'provisioning-retried',
      fromStatus: 'provisioning_failed',
      toStatus: 'provisioning',
      requestId: id,
      grantId: request.grantId,
      datasetId: request.datasetId,
    };
    await this.deps.store.transaction(async tx => {
      await this.deps.store.updateGrant(
        tx,
        request.grantId!,
        ['provisioning_failed'],
        {
          status: 'provisioning',
          claimed_until: null,
          error: null,
        },
      );
      await this.deps.store.setRequestsOfGrant(
        tx,
        request.grantId!,
        'provisioning',
        now,
      );
      await this.record(tx, entry);
    });
    await this.sendAudit(entry);
    await this.provisionPending();
    return this.get(id, credentials);
  }

  /**
   * Provisions every grant waiting for it. Leased per grant, so replicas
   * share the work; a lease left by a stopped replica runs out and the
   * grant is provisioned again (provisioners are idempotent).
   */
  provisionPending(): Promise<void> {
    if (this.provisioning) {
      this.again = true;
      return this.provisioning;
    }
    this.provisioning = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const grant = await this.deps.store.claimProvisioning(
              this.now(),
              LEASE_MS,
            );
            if (!grant) break;
            await this.provision(grant);
          }
        } while (this.again);
      } finally {
        this.provisioning = undefined;
      }
    })();
    return this.provisioning;
  }

  private spec(grant: GrantRow, datasetName: string) {
    return {
      grantId: grant.id,
      datasetId: grant.datasetId,
      datasetName,
      principal: grant.principal,
      columns: grant.columns,
    };
  }

  private async provision(grant: GrantRow) {
    const { store } = this.deps;
    const dataset = await this.deps.datasets.get(grant.datasetId);
    let error: string | undefined;
    try {
      if (!dataset) throw new Error(`Dataset ${grant.datasetId} is gone`);
      await this.deps.provisioner.grant(this.spec(grant, dataset.name));
    } catch (e) {
      error = (e as Error).message;
    }
    const now = this.now();
    const at = now.toISOString();
    const entry: AccessAuditEntry = {
      at,
      actor: `provisioner:${this.deps.provisioner.id}`,
      action: error ? 'provisioning-failed' : 'granted',
      fromStatus: 'provisioning',
      toStatus: error ? 'provisioning_failed' : 'active',
      comment: error,
      requestId: grant.requestId,
      grantId: grant.id,
      datasetId: grant.datasetId,
    };
    const expiresAt = new Date(
      now.getTime() + grant.durationDays * 86_400_000,
    ).toISOString();
    await store.transaction(async tx => {
      const moved = await store.updateGrant(
        tx,
        grant.id,
        ['provisioning'],
        error
          ? {
              status: 'provisioning_failed',
              error,
              attempts: tx.raw('attempts + 1'),
            }
          : {
              status: 'active',
              activated_at: at,
              expires_at: expiresAt,
              error: null,
            },
      );
      if (!moved) return;
      await store.setRequestsOfGrant(
        tx,
        grant.id,
        error ? 'provisioning_failed' : 'active',
        at,
        error,
      );
      await this.record(tx, entry);
    });
    this.deps.metrics?.provisioningAttempt(
      this.deps.provisioner.id,
      error ? 'failed' : 'succeeded',
    );
    await this.sendAudit(entry);
    await this.tell({
      recipients: error
        ? [grant.requester, ...(dataset?.owner ? [dataset.owner] : [])]
        : [...new Set([grant.requester, grant.principal])],
      title: error
        ? `Access to ${dataset?.name ?? grant.datasetId} could not be granted`
        : `You have access to ${dataset?.name} until ${expiresAt.slice(0, 10)}`,
      description:
        error ??
        `${
          grant.columns?.join(', ') ?? 'All columns'
        }, approved by ${grant.approvedBy
          .map(a => a.replace(/^user:default\//, ''))
          .join(' and ')}.`,
      link: '/access',
    });
  }

  private async endGrant(
    grant: GrantRow,
    to: 'revoked' | 'expired',
    actor: string,
    comment?: string,
  ) {
    const { store } = this.deps;
    const dataset = await this.dataset(grant.datasetId);
    // The engine first: a grant is only marked ended once it really is.
    await this.deps.provisioner.revoke(this.spec(grant, dataset.name));
    const at = this.now().toISOString();
    const entry: AccessAuditEntry = {
      at,
      actor,
      action: to,
      fromStatus: 'active',
      toStatus: to,
      comment,
      requestId: grant.requestId,
      grantId: grant.id,
      datasetId: grant.datasetId,
    };
    let moved = false;
    await store.transaction(async tx => {
      moved = await store.updateGrant(
        tx,
        grant.id,
        ['active', 'provisioning_failed'],
        {
          status: to,
          revoked_at: at,
          revoked_by: actor,
        },
      );
      if (!moved) return;
      await store.setRequestsOfGrant(tx, grant.id, to, at);
      await this.record(tx, entry);
    });
    if (!moved) return;
    // Overlapping grants of the same principal keep what they cover.
    for (const other of await store.grants({
      datasetId: grant.datasetId,
      principals: [grant.principal],
      status: ['active'],
    })) {
      await this.deps.provisioner.grant(this.spec(other, dataset.name));
    }
    await this.sendAudit(entry);
    await this.tell({
      recipients: [...new Set([grant.requester, grant.principal])],
      title:
        to === 'revoked'
          ? `Your access to ${dataset.name} was revoked`
          : `Your access to ${dataset.name} expired`,
      description: comment ?? 'Request access again if you still need it.',
      link: '/access',
    });
  }

  async revoke(
    grantId: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<AccessGrant> {
    const caller = await this.caller(credentials);
    const grant = await this.deps.store.grant(grantId);
    if (!grant) throw new NotFoundError(`No access grant ${grantId}`);
    await authorizeOne(
      this.deps.permissions,
      lakehouseAccessRevokePermission,
      credentials,
      grant.datasetId,
    );
    if (grant.status !== 'active' && grant.status !== 'provisioning_failed')
      throw new ConflictError(
        `The grant is ${grant.status}: nothing to revoke`,
      );
    const comment = (body as any)?.comment;
    if (comment !== undefined && typeof comment !== 'string')
      throw new InputError('comment must be text');
    await this.endGrant(
      grant,
      'revoked',
      caller.ref,
      comment?.trim() || undefined,
    );
    const { durationDays, ...rest } = (await this.deps.store.grant(grantId))!;
    void durationDays;
    return rest;
  }

  /** Grants of a dataset: all for owners, stewards and admins; otherwise the caller's own. */
  async grants(
    datasetId: string,
    credentials: BackstageCredentials,
  ): Promise<{ items: AccessGrant[] }> {
    const caller = await this.caller(credentials);
    let all = true;
    try {
      await authorizeOne(
        this.deps.permissions,
        lakehouseAccessRevokePermission,
        credentials,
        datasetId,
      );
    } catch {
      all = false;
    }
    const rows = await this.deps.store.grants({
      datasetId,
      principals: all ? undefined : caller.claims,
    });
    return {
      items: rows.map(({ durationDays, ...g }) => {
        void durationDays;
        return g;
      }),
    };
  }

  /** The dataset's whole access audit trail (owners, stewards, admins). */
  async auditTrail(
    datasetId: string,
    credentials: BackstageCredentials,
  ): Promise<AccessAuditEntry[]> {
    await authorizeOne(
      this.deps.permissions,
      lakehouseAccessRevokePermission,
      credentials,
      datasetId,
    );
    return this.deps.store.auditOf({ datasetId });
  }

  /** Revokes what expired and reminds whoever's access ends soon (one replica). */
  async expireAndRemind(): Promise<void> {
    const now = this.now();
    for (const grant of await this.deps.store.dueForExpiry(now.toISOString())) {
      try {
        await this.endGrant(grant, 'expired', 'system:expiry');
      } catch (e) {
        this.deps.logger.warn(`Could not expire grant ${grant.id}: ${e}`);
      }
    }
    const soon = new Date(
      now.getTime() + REMINDER_DAYS * 86_400_000,
    ).toISOString();
    for (const grant of await this.deps.store.dueForReminder(soon)) {
      // Claimed before telling: one reminder, even if two replicas run this.
      if (!(await this.deps.store.claimReminder(grant.id, now.toISOString())))
        continue;
      const dataset = await this.deps.datasets.get(grant.datasetId);
      await this.tell({
        recipients: [...new Set([grant.requester, grant.principal])],
        title: `Your access to ${
          dataset?.name ?? grant.datasetId
        } ends on ${grant.expiresAt!.slice(0, 10)}`,
        description: 'Ask to extend it from My access if you still need it.',
        link: '/access',
      });
    }
  }

  /**
   * Columns the caller sees unmasked through active grants (to them or a
   * group of theirs): `all`, a set, or nothing.
   */
  async grantedColumns(
    datasetId: string,
    claims: string[],
  ): Promise<'all' | Set<string>> {
    const grants = await this.deps.store.activeGrantsFor(
      datasetId,
      claims,
      this.now().toISOString(),
    );
    if (grants.includes('all')) return 'all';
    return new Set(grants.flat() as string[]);
  }
}
