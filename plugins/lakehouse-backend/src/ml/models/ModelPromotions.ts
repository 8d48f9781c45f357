import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  lakehouseModelPromotionDecidePermission,
  lakehouseModelPromotionStewardPermission,
  ModelPromotion,
  ModelPromotionAuditEntry,
  ModelPromotionsResponse,
  PromotionStatus,
} from '@lakeport/plugin-lakehouse-common';
import { MetadataSource } from '@lakeport/plugin-lakehouse-node';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { authorizeOne } from '../../permissions/authorize';
import { MetadataAssetStore, StoredAsset } from '../MetadataAssetStore';
import { ModelCatalog, modelEntityName } from './ModelCatalog';
import { evaluateGates, GateSubject, PromotionPolicy } from './promotionGates';
import { PromotionRow, PromotionStore } from './PromotionStore';

/** How long one replica holds an approved promotion while it sets the alias. */
const APPLY_LEASE_MS = 2 * 60_000;

export interface PromotionNotification {
  recipients: string[];
  title: string;
  description: string;
  link: string;
}

interface DecisionBody {
  decision?: unknown;
  comment?: unknown;
  overrideReason?: unknown;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * Governed promotion: a person asks to point a governed alias (config
 * `lakeport.models.governedAliases`) at a version with a reason; gates are
 * evaluated; the model's owners approve (never their own request; a failed
 * gate only with an override reason), a steward signs off training data
 * with PII; then one replica sets the alias in the registry, retrying while
 * it is unreachable and never writing twice (read before write, leased).
 * Aliases moved in the registry directly are flagged as ungoverned, told
 * to the owners, and can be moved back. Every transition is audited.
 */
export class ModelPromotions {
  constructor(
    private readonly deps: {
      store: PromotionStore;
      assets: MetadataAssetStore;
      catalog: ModelCatalog;
      stewardGroups: string[];
      policy: PromotionPolicy;
      sources: MetadataSource[];
      permissions: PermissionsService;
      auth: AuthService;
      /** Owners of what reads from a model version (lineage downstream). */
      downstreamOwners: (versionId: string) => Promise<string[]>;
      notify?: (n: PromotionNotification) => Promise<void>;
      auditor?: AuditorService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  private caller(credentials: BackstageCredentials): string {
    if (!this.deps.auth.isPrincipal(credentials, 'user'))
      throw new NotAllowedError('Promotions are for signed-in users');
    return credentials.principal.userEntityRef;
  }

  private registry(model: StoredAsset) {
    const registry = this.deps.sources.find(
      s => s.id === model.sourceId,
    )?.modelAliases;
    if (!registry)
      throw new InputError(
        `${model.sourceId} does not let the portal move aliases`,
      );
    return registry;
  }

  private async subject(version: StoredAsset): Promise<GateSubject> {
    const details = version.details as {
      version?: string;
      metrics?: Record<string, number>;
    };
    return {
      version: String(details.version),
      metrics: details.metrics ?? {},
      datasets:
        (await this.deps.catalog.trainingInputs([version])).get(version.id) ??
        [],
      classification: version.classification,
    };
  }

  /**
   * Who holds a governed alias as far as governance goes: the version
   * Lakeport last set or accepted (the registry may say otherwise after an
   * ungoverned change), else what the registry said at the last sync.
   */
  private async holder(model: StoredAsset, alias: string) {
    const state = (await this.deps.store.aliasStates([model.id])).find(
      s => s.alias === alias,
    );
    const inRegistry = (model.details as any).aliases?.find(
      (a: any) => a.alias === alias,
    )?.version;
    if (state) return { state, version: state.version };
    return {
      state,
      version: inRegistry === undefined ? undefined : String(inRegistry),
    };
  }

  private async versionAsset(model: StoredAsset, version: string) {
    const id = `modelversion:${model.project}:${model.name}/${version}`;
    if (!model.inputs.some(i => i.id === id)) return undefined;
    const versions = await this.deps.catalog.versions(model);
    return versions.find(v => v.id === id);
  }

  private async gates(model: StoredAsset, version: string, holder?: string) {
    const candidate = await this.versionAsset(model, version);
    if (!candidate)
      throw new InputError(`${model.name} has no version ${version}`);
    const holderAsset = holder
      ? await this.versionAsset(model, holder)
      : undefined;
    return evaluateGates(
      this.deps.policy,
      await this.subject(candidate),
      holderAsset ? await this.subject(holderAsset) : undefined,
    );
  }

  private async record(
    tx: Knex,
    modelId: string,
    entry: ModelPromotionAuditEntry,
  ) {
    await this.deps.store.audit(tx, modelId, entry);
  }

  private async sendAudit(modelId: string, entry: ModelPromotionAuditEntry) {
    try {
      const event = await this.deps.auditor?.createEvent({
        eventId: `model-${entry.action}`,
        severityLevel: 'medium',
        meta: { modelId, ...entry },
      });
      await event?.success();
    } catch (e) {
      this.deps.logger.warn(`Could not send promotion audit event: ${e}`);
    }
  }

  private async tell(n: PromotionNotification) {
    const recipients = [...new Set(n.recipients)].filter(Boolean);
    if (!recipients.length) return;
    try {
      await this.deps.notify?.({ ...n, recipients });
    } catch (e) {
      this.deps.logger.warn(`Could not notify ${recipients}: ${e}`);
    }
  }

  private link(model: StoredAsset) {
    return `/catalog/default/resource/${modelEntityName(model.id)}/promotions`;
  }

  private async view(rows: PromotionRow[]): Promise<ModelPromotion[]> {
    const audits = new Map<string, ModelPromotionAuditEntry[]>();
    for (const modelId of new Set(rows.map(r => r.modelId)))
      audits.set(modelId, await this.deps.store.auditOf(modelId));
    return rows.map(r => ({
      ...r,
      model: r.modelId.split(':').slice(2).join(':'),
      audit: (audits.get(r.modelId) ?? []).filter(a => a.promotionId === r.id),
    }));
  }

  async request(
    modelId: string,
    body: Record<string, unknown>,
    credentials: BackstageCredentials,
  ): Promise<ModelPromotion> {
    const requester = this.caller(credentials);
    // Asking needs read; the model's owners decide.
    const model = await this.deps.catalog.model(modelId, credentials);
    const alias = text(body.alias);
    const version = text(
      typeof body.version === 'number' ? String(body.version) : body.version,
    );
    const reason = text(body.reason);
    const problems = [
      !alias && 'alias is required',
      !version && 'version is required',
      !reason && 'reason is required (why this version)',
    ].filter(Boolean);
    if (problems.length) throw new InputError(problems.join('; '));
    if (!this.deps.policy.governedAliases.includes(alias))
      throw new InputError(
        `Alias "${alias}" is not governed (governed: ${this.deps.policy.governedAliases.join(
          ', ',
        )}); set it in the registry`,
      );
    this.registry(model);
    const { state, version: holder } = await this.holder(model, alias);
    // The version that holds it already is only asked for to accept an
    // ungoverned change.
    if (holder === version && !state?.ungoverned)
      throw new InputError(`${alias} already points at version ${version}`);
    const gates = await this.gates(
      model,
      version,
      holder === version ? undefined : holder,
    );
    const now = this.now().toISOString();
    const row: PromotionRow = {
      id: randomUUID(),
      modelId,
      alias,
      version,
      fromVersion: state?.ungoverned ? state.ungovernedVersion : holder,
      kind: 'promotion',
      reason,
      status: 'pending',
      requestedBy: requester,
      requestedAt: now,
      gates,
      attempts: 0,
    };
    const entry = {
      at: now,
      actor: requester,
      action: 'promotion-requested',
      promotionId: row.id,
      alias,
      version,
      detail: `${reason} — gates: ${gates
        .map(g => `${g.id} ${g.result}`)
        .join(', ')}`,
    };
    await this.deps.store.transaction(async tx => {
      if (await this.deps.store.open(modelId, alias, tx))
        throw new ConflictError(
          `A promotion of ${model.name}@${alias} is already open: decide or cancel it first`,
        );
      await this.deps.store.insert(tx, row);
      await this.record(tx, modelId, entry);
    });
    await this.sendAudit(modelId, entry);
    await this.tell({
      recipients: [model.owner ?? ''],
      title: `Promotion to review: ${model.name}@${alias} → version ${version}`,
      description: `${requester} asks: ${reason}`,
      link: this.link(model),
    });
    return (await this.view([row]))[0];
  }

  async list(
    modelId: string,
    credentials: BackstageCredentials,
  ): Promise<ModelPromotionsResponse> {
    await this.deps.catalog.model(modelId, credentials);
    const [rows, audit] = await Promise.all([
      this.deps.store.list({ modelId }),
      this.deps.store.auditOf(modelId),
    ]);
    return { items: await this.view(rows), audit };
  }

  /** Promotions waiting for the caller: as an owner or as a steward. */
  async reviewable(credentials: BackstageCredentials) {
    const me = this.caller(credentials);
    const open = await this.deps.store.list({
      status: ['pending', 'awaiting-steward'],
    });
    const mine: PromotionRow[] = [];
    for (const p of open) {
      if (p.requestedBy === me) continue;
      const permission =
        p.status === 'pending'
          ? lakehouseModelPromotionDecidePermission
          : lakehouseModelPromotionStewardPermission;
      try {
        await authorizeOne(
          this.deps.permissions,
          permission,
          credentials,
          p.status === 'pending' ? p.modelId : undefined,
        );
        mine.push(p);
      } catch {
        // not theirs to decide
      }
    }
    return { items: await this.view(mine) };
  }

  async get(id: string, credentials: BackstageCredentials) {
    const row = await this.deps.store.get(id);
    if (!row) throw new NotFoundError(`No promotion ${id}`);
    await this.deps.catalog.model(row.modelId, credentials);
    return (await this.view([row]))[0];
  }

  async decide(
    id: string,
    body: DecisionBody,
    credentials: BackstageCredentials,
  ): Promise<ModelPromotion> {
    const me = this.caller(credentials);
    const decision = text(body.decision);
    if (decision !== 'approve' && decision !== 'reject')
      throw new InputError('decision must be "approve" or "reject"');
    const comment = text(body.comment) || undefined;
    const overrideReason = text(body.overrideReason) || undefined;
    const row = await this.deps.store.get(id);
    if (!row) throw new NotFoundError(`No promotion ${id}`);
    const model = await this.deps.catalog.model(row.modelId, credentials);
    if (row.status !== 'pending' && row.status !== 'awaiting-steward')
      throw new ConflictError(`Promotion ${id} is ${row.status}`);
    const step = row.status === 'pending' ? 'owner' : 'steward';
    if (step === 'owner')
      await authorizeOne(
        this.deps.permissions,
        lakehouseModelPromotionDecidePermission,
        credentials,
        row.modelId,
      );
    else
      await authorizeOne(
        this.deps.permissions,
        lakehouseModelPromotionStewardPermission,
        credentials,
      );
    if (row.requestedBy === me)
      throw new NotAllowedError(
        'Nobody approves or rejects their own promotion: another owner decides',
      );

    const now = this.now().toISOString();
    let gates = row.gates;
    let next: PromotionStatus;
    const changes: Record<string, unknown> = {};
    if (decision === 'reject') {
      next = 'rejected';
    } else if (step === 'owner') {
      // Data health moves: the gates are evaluated again at approval.
      const { version: holder } = await this.holder(model, row.alias);
      gates = await this.gates(
        model,
        row.version,
        holder === row.version ? undefined : holder,
      );
      const failed = gates.filter(g => g.result === 'failed');
      if (failed.length && !overrideReason)
        throw new InputError(
          `Gates failed: ${failed
            .map(g => `${g.title} (${g.detail})`)
            .join(
              '; ',
            )}. An owner may approve anyway with overrideReason, which is audited`,
        );
      next = gates.some(g => g.result === 'pending')
        ? 'awaiting-steward'
        : 'approved';
      Object.assign(changes, {
        gates: JSON.stringify(gates),
        override_reason: failed.length ? overrideReason : null,
      });
    } else {
      next = 'approved';
      gates = gates.map(g =>
        g.id === 'pii-steward' && g.result === 'pending'
          ? { ...g, result: 'passed', detail: `Signed off by ${me}` }
          : g,
      );
      changes.gates = JSON.stringify(gates);
    }
    if (step === 'owner')
      Object.assign(changes, {
        decided_by: me,
        decided_at: now,
        comment: comment ?? null,
      });
    else Object.assign(changes, { steward_by: me, steward_at: now });

    const failedGates = gates.filter(g => g.result === 'failed');
    const entries: ModelPromotionAuditEntry[] = [
      {
        at: now,
        actor: me,
        action:
          decision === 'reject'
            ? `promotion-rejected-by-${step}`
            : `promotion-approved-by-${step}`,
        promotionId: id,
        alias: row.alias,
        version: row.version,
        detail: [
          comment,
          `gates: ${gates.map(g => `${g.id} ${g.result}`).join(', ')}`,
        ]
          .filter(Boolean)
          .join(' — '),
      },
    ];
    if (decision === 'approve' && step === 'owner' && failedGates.length)
      entries.push({
        at: now,
        actor: me,
        action: 'gates-overridden',
        promotionId: id,
        alias: row.alias,
        version: row.version,
        detail: `${failedGates.map(g => g.id).join(', ')}: ${overrideReason}`,
      });
    await this.deps.store.transaction(async tx => {
      const moved = await this.deps.store.transition(tx, id, [row.status], {
        ...changes,
        status: next,
      });
      if (!moved)
        throw new ConflictError(`Promotion ${id} was decided meanwhile`);
      for (const e of entries) await this.record(tx, row.modelId, e);
    });
    for (const e of entries) await this.sendAudit(row.modelId, e);
    if (next === 'awaiting-steward')
      await this.tell({
        recipients: this.deps.stewardGroups,
        title: `Steward sign-off: ${model.name}@${row.alias} → version ${row.version}`,
        description: 'Trained on PII; the owners approved.',
        link: this.link(model),
      });
    if (next === 'rejected')
      await this.tell({
        recipients: [row.requestedBy],
        title: `Promotion rejected: ${model.name}@${row.alias} → version ${row.version}`,
        description: comment ?? `Rejected by ${me}`,
        link: this.link(model),
      });
    if (next === 'approved') await this.apply(id);
    return this.get(id, credentials);
  }

  async cancel(id: string, credentials: BackstageCredentials) {
    const me = this.caller(credentials);
    const row = await this.deps.store.get(id);
    if (!row) throw new NotFoundError(`No promotion ${id}`);
    await this.deps.catalog.model(row.modelId, credentials);
    if (row.requestedBy !== me)
      throw new NotAllowedError('Only the requester cancels a promotion');
    const now = this.now().toISOString();
    const entry = {
      at: now,
      actor: me,
      action: 'promotion-cancelled',
      promotionId: id,
      alias: row.alias,
      version: row.version,
    };
    await this.deps.store.transaction(async tx => {
      if (
        !(await this.deps.store.transition(
          tx,
          id,
          ['pending', 'awaiting-steward'],
          { status: 'cancelled' },
        ))
      )
        throw new ConflictError(`Promotion ${id} is ${row.status}`);
      await this.record(tx, row.modelId, entry);
    });
    await this.sendAudit(row.modelId, entry);
    return this.get(id, credentials);
  }

  /**
   * Moves an alias changed in the registry directly back to the version
   * Lakeport last set or accepted (the owners' call, audited).
   */
  async revert(
    modelId: string,
    alias: string,
    body: Record<string, unknown>,
    credentials: BackstageCredentials,
  ): Promise<ModelPromotion> {
    const me = this.caller(credentials);
    const model = await this.deps.catalog.model(modelId, credentials);
    await authorizeOne(
      this.deps.permissions,
      lakehouseModelPromotionDecidePermission,
      credentials,
      modelId,
    );
    this.registry(model);
    const state = (await this.deps.store.aliasStates([modelId])).find(
      s => s.alias === alias,
    );
    if (!state?.ungoverned)
      throw new InputError(
        `${alias} of ${model.name} has no ungoverned change to move back`,
      );
    const now = this.now().toISOString();
    const row: PromotionRow = {
      id: randomUUID(),
      modelId,
      alias,
      // '' : the alias was not set; moving back removes it.
      version: state.version ?? '',
      fromVersion: state.ungovernedVersion,
      kind: 'revert',
      reason:
        text(body.reason) ||
        `Move back the ungoverned change to version ${
          state.ungovernedVersion ?? '(none)'
        }`,
      status: 'approved',
      requestedBy: me,
      requestedAt: now,
      gates: [],
      attempts: 0,
    };
    const entry = {
      at: now,
      actor: me,
      action: 'revert-requested',
      promotionId: row.id,
      alias,
      version: row.version || undefined,
      detail: row.reason,
    };
    await this.deps.store.transaction(async tx => {
      if (await this.deps.store.open(modelId, alias, tx))
        throw new ConflictError(
          `A promotion of ${model.name}@${alias} is open: decide or cancel it first`,
        );
      await this.deps.store.insert(tx, row);
      await this.deps.store.transition(tx, row.id, ['approved'], {
        decided_by: me,
        decided_at: now,
      });
      await this.record(tx, modelId, entry);
    });
    await this.sendAudit(modelId, entry);
    await this.apply(row.id);
    return this.get(row.id, credentials);
  }

  /** Tries to set an approved promotion's alias now (its requester or the model's owners). */
  async retry(id: string, credentials: BackstageCredentials) {
    const me = this.caller(credentials);
    const row = await this.deps.store.get(id);
    if (!row) throw new NotFoundError(`No promotion ${id}`);
    await this.deps.catalog.model(row.modelId, credentials);
    if (row.requestedBy !== me)
      await authorizeOne(
        this.deps.permissions,
        lakehouseModelPromotionDecidePermission,
        credentials,
        row.modelId,
      );
    if (row.status !== 'approved')
      throw new ConflictError(`Promotion ${id} is ${row.status}`);
    await this.apply(id);
    return this.get(id, credentials);
  }

  /** Sets the aliases of every approved promotion (scheduled on every replica). */
  async applyApproved(): Promise<void> {
    for (const id of await this.deps.store.approvedIds()) await this.apply(id);
  }

  /**
   * Sets one approved promotion's alias in the registry: leased, so one
   * replica writes; read first, so a retry after a lost answer does not
   * write again; read back, so "promoted" means the registry says so.
   */
  async apply(id: string): Promise<void> {
    const now = this.now();
    if (!(await this.deps.store.claim(id, now, APPLY_LEASE_MS))) return;
    const row = (await this.deps.store.get(id))!;
    const model = await this.deps.assets.get(row.modelId);
    if (!model) {
      await this.deps.store.release(id, {
        last_error: 'The model is no longer in the registry',
      });
      return;
    }
    const modelName = model.name;
    const target = row.version || undefined;
    let wrote = false;
    try {
      const registry = this.registry(model);
      const current = await registry.get(modelName, row.alias);
      if (current !== target) {
        if (target) await registry.set(modelName, row.alias, target);
        else await registry.delete(modelName, row.alias);
        wrote = true;
        const after = await registry.get(modelName, row.alias);
        if (after !== target)
          throw new Error(
            `${row.alias} reads ${after ?? '(unset)'} after setting ${
              target ?? '(unset)'
            }`,
          );
      }
    } catch (e) {
      const message = (e as Error).message || String(e);
      const at = this.now().toISOString();
      await this.deps.store.release(id, {
        attempts: row.attempts + 1,
        last_error: `${at}: ${message}`,
      });
      const entry = {
        at,
        actor: 'lakeport',
        action: 'alias-set-failed',
        promotionId: id,
        alias: row.alias,
        version: row.version || undefined,
        detail: `${message} (retried)`,
      };
      await this.deps.store.transaction(tx =>
        this.record(tx, row.modelId, entry),
      );
      this.deps.logger.warn(
        `Could not set ${model.name}@${row.alias}: ${message}; will retry`,
      );
      return;
    }
    const at = this.now().toISOString();
    const entry = {
      at,
      actor: 'lakeport',
      action: row.kind === 'revert' ? 'alias-moved-back' : 'alias-set',
      promotionId: id,
      alias: row.alias,
      version: row.version || undefined,
      detail: wrote
        ? `Set in ${model.sourceId} after ${row.attempts + 1} attempt(s)`
        : `${model.sourceId} already pointed there`,
    };
    await this.deps.store.transaction(async tx => {
      await tx('model_promotions')
        .where({ id })
        .update({
          status: 'promoted',
          promoted_at: at,
          attempts: row.attempts + 1,
          last_error: null,
          claimed_until: null,
        });
      await this.deps.assets.setModelAlias(tx, row.modelId, row.alias, target);
      await this.deps.store.setAliasState(tx, {
        modelId: row.modelId,
        alias: row.alias,
        version: target,
        via: row.kind === 'revert' ? 'revert' : 'promotion',
        promotionId: id,
        setBy: row.decidedBy ?? row.requestedBy,
        setAt: at,
      });
      await this.record(tx, row.modelId, entry);
    });
    await this.sendAudit(row.modelId, entry);
    const versionId = `modelversion:${model.project}:${model.name}/${row.version}`;
    const downstream = target
      ? await this.deps.downstreamOwners(versionId).catch(() => [])
      : [];
    await this.tell({
      recipients: [row.requestedBy, model.owner ?? '', ...downstream],
      title:
        row.kind === 'revert'
          ? `${model.name}@${row.alias} moved back to ${
              target ? `version ${target}` : '(unset)'
            }`
          : `${model.name}@${row.alias} now points at version ${row.version}`,
      description: `${row.reason} (approved by ${
        row.decidedBy ?? row.requestedBy
      })`,
      link: this.link(model),
    });
  }

  /**
   * After a sync of a registry: governed aliases as the registry has them
   * against what Lakeport set or accepted. A model seen for the first time
   * is accepted as it is (the baseline); later differences are ungoverned
   * changes, flagged, audited and told to the owners once per version.
   */
  async reconcile(sourceId: string): Promise<number> {
    const models = (
      await this.deps.store
        .db('metadata_assets')
        .where({ source_id: sourceId, kind: 'model' })
        .select('id')
    ).map(r => r.id as string);
    if (!models.length) return 0;
    const assets = await this.deps.assets.getMany(models);
    const states = await this.deps.store.aliasStates(models);
    const applying = new Set(
      (await this.deps.store.list({ status: ['approved'] })).map(
        p => `${p.modelId}|${p.alias}`,
      ),
    );
    let flagged = 0;
    const now = this.now().toISOString();
    for (const model of assets.values()) {
      const aliases = ((model.details as any).aliases ?? []) as Array<{
        alias: string;
        version: string;
      }>;
      const mine = states.filter(s => s.modelId === model.id);
      for (const alias of this.deps.policy.governedAliases) {
        const inRegistry = aliases.find(a => a.alias === alias)?.version;
        const version =
          inRegistry === undefined ? undefined : String(inRegistry);
        const state = mine.find(s => s.alias === alias);
        if (!state) {
          if (mine.length) {
            // A governed alias the model never had before: created outside.
            if (version === undefined) continue;
          } else {
            await this.deps.store.transaction(async tx => {
              await this.deps.store.setAliasState(tx, {
                modelId: model.id,
                alias,
                version,
                via: 'baseline',
                setBy: sourceId,
                setAt: now,
              });
              if (version !== undefined)
                await this.record(tx, model.id, {
                  at: now,
                  actor: sourceId,
                  action: 'alias-baseline',
                  alias,
                  version,
                  detail: 'As found when Lakeport first saw the model',
                });
            });
            continue;
          }
        }
        if (applying.has(`${model.id}|${alias}`)) continue;
        if (state && state.version === version) {
          if (state.ungoverned)
            await this.deps.store.transaction(async tx => {
              await this.deps.store.clearUngoverned(tx, model.id, alias);
              await this.record(tx, model.id, {
                at: now,
                actor: sourceId,
                action: 'ungoverned-change-cleared',
                alias,
                version,
                detail: 'The registry points at the governed version again',
              });
            });
          continue;
        }
        const entry = {
          at: now,
          actor: sourceId,
          action: 'ungoverned-change',
          alias,
          version,
          detail: `Moved outside Lakeport: ${alias} → ${
            version ?? '(unset)'
          }; governed version ${state?.version ?? '(unset)'}`,
        };
        const fresh = await this.deps.store.transaction(async tx => {
          if (!state)
            await this.deps.store.setAliasState(tx, {
              modelId: model.id,
              alias,
              version: undefined,
              via: 'baseline',
              setBy: sourceId,
              setAt: now,
            });
          const marked = await this.deps.store.markUngoverned(
            tx,
            model.id,
            alias,
            version,
            now,
          );
          if (marked) await this.record(tx, model.id, entry);
          return marked;
        });
        if (!fresh) continue;
        flagged++;
        await this.sendAudit(model.id, entry);
        await this.tell({
          recipients: [model.owner ?? ''],
          title: `Ungoverned change: ${model.name}@${alias} → ${
            version ?? '(unset)'
          }`,
          description: `Moved in ${sourceId} without a promotion; Lakeport expects ${
            state?.version ? `version ${state.version}` : 'it unset'
          }. Move it back or ask for a promotion.`,
          link: this.link(model),
        });
      }
    }
    return flagged;
  }
}
