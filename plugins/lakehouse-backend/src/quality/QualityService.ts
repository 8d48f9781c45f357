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
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DatasetHealth,
  lakehouseDatasetReadPermission,
  lakehouseQualityRunPermission,
  MASKED_VALUE,
  QualityCheckResult,
  QualityRun,
  QualityRunTrigger,
  QualityScorecard,
} from '@lakeport/plugin-lakehouse-common';
import { CronTime } from 'cron';
import { randomUUID } from 'node:crypto';
import { DatasetService } from '../assets/DatasetService';
import { DatasetStore, StoredDataset } from '../assets/DatasetStore';
import { DataContract } from '../contracts/odcs';
import { authorizeOne } from '../permissions/authorize';
import { conditionsToFilter } from '../permissions/datasetRules';
import { fromGreatExpectations, fromSoda } from './importResults';
import { HEARTBEAT_MS, QualityRunner } from './QualityRunner';
import { QualityStore, RunRow, StoredResult } from './QualityStore';

const HEALTH_ORDER = { failing: 0, passing: 1, unknown: 2 };
const MAX_COMMENT = 2000;

/** Quality logic behind the HTTP API, the scheduler and lineage events. */
export class QualityService {
  constructor(
    private readonly deps: {
      store: QualityStore;
      runner: QualityRunner;
      datasets: DatasetStore;
      datasetService: DatasetService;
      permissions: PermissionsService;
      auth: AuthService;
      userInfo: UserInfoService;
      auditor?: AuditorService;
      logger: LoggerService;
      /** Cron for contracts whose rules name no schedule. */
      defaultSchedule: string;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  private nextRun(cron: string, after: Date): string {
    return new CronTime(cron, 'UTC').getNextDateFrom(after).toUTC().toISO()!;
  }

  /**
   * Takes the checks of every synced contract. A dataset checked for the
   * first time gets a run right away, so a new portal shows real scorecards.
   */
  async syncDefinitions(
    contracts: Map<string, DataContract | undefined>,
  ): Promise<void> {
    const { store } = this.deps;
    const withChecks: string[] = [];
    const now = this.now();
    // Unchanged checks and schedules cost no write.
    const stored = await store.definitionsSnapshot();
    for (const [datasetId, contract] of contracts) {
      if (!contract) continue;
      withChecks.push(datasetId);
      const cron = contract.quality.schedule ?? this.deps.defaultSchedule;
      if (
        stored.checks.get(datasetId) !==
          JSON.stringify(contract.quality.checks) ||
        stored.crons.get(datasetId) !== cron
      ) {
        await store.replaceDefinitions(datasetId, contract.quality.checks, {
          cron,
          nextRunAt: this.nextRun(cron, now),
        });
      }
      if (!stored.checked.has(datasetId)) {
        await this.enqueue(datasetId, 'schedule');
      }
    }
    await store.removeDefinitionsExcept(withChecks);
  }

  /** Queues the runs whose schedule is due (the scheduler calls this on one replica). */
  async runDueSchedules(): Promise<number> {
    const now = this.now();
    // Runs of a replica that went away (4 heartbeats missed) go back to
    // the queue; the quality worker of any replica picks them up.
    const { requeued, failed } = await this.deps.store.requeueStale(
      new Date(now.getTime() - 4 * HEARTBEAT_MS).toISOString(),
      now.toISOString(),
    );
    if (requeued || failed)
      this.deps.logger.warn(
        `Quality runs of a stopped backend: ${requeued} queued again, ${failed} failed`,
      );
    // Claimed before queueing: a due run is queued by one replica, even if
    // two ever run this at once.
    let queued = 0;
    for (const { datasetId, cron, dueAt } of await this.deps.store.dueSchedules(
      now.toISOString(),
    )) {
      if (
        await this.deps.store.claimSchedule(
          datasetId,
          dueAt,
          this.nextRun(cron, now),
        )
      ) {
        await this.enqueue(datasetId, 'schedule');
        queued++;
      }
    }
    return queued;
  }

  /** A job reported (OpenLineage COMPLETE) that it wrote these datasets. */
  async datasetsWritten(datasetIds: string[]): Promise<void> {
    for (const id of datasetIds) {
      if ((await this.deps.store.definitions(id)).length) {
        await this.enqueue(id, 'lineage');
      }
    }
  }

  /** Queues a run, or returns the one already queued or running. */
  private async enqueue(
    datasetId: string,
    trigger: QualityRunTrigger,
    requestedBy?: string,
  ): Promise<RunRow> {
    const active = await this.deps.store.activeRun(datasetId);
    if (active) return active;
    const run: RunRow = {
      id: randomUUID(),
      datasetId,
      status: 'queued',
      progress: 0,
      trigger,
      source: 'lakeport',
      suite: 'contract',
      requestedBy,
      createdAt: this.now().toISOString(),
    };
    if (!(await this.deps.store.insertRun(run))) {
      // Another replica queued one in between: that is the run.
      const first = await this.deps.store.activeRun(datasetId);
      if (first) return first;
      // ...and it already finished: queue ours after all.
      return this.enqueue(datasetId, trigger, requestedBy);
    }
    this.deps.runner
      .drain()
      .catch(e => this.deps.logger.error(`Quality runner stopped: ${e}`));
    return run;
  }

  private async dataset(id: string): Promise<StoredDataset> {
    const dataset = await this.deps.datasets.get(id);
    if (!dataset) throw new NotFoundError(`No dataset ${id}`);
    return dataset;
  }

  /** Owners and platform admins run, import and acknowledge (lakehouse.quality.run). */
  private async authorizeRun(
    datasetId: string,
    credentials: BackstageCredentials,
  ): Promise<StoredDataset> {
    await authorizeOne(
      this.deps.permissions,
      lakehouseQualityRunPermission,
      credentials,
      datasetId,
    );
    return this.dataset(datasetId);
  }

  private async actor(credentials: BackstageCredentials): Promise<string> {
    if (this.deps.auth.isPrincipal(credentials, 'user'))
      return credentials.principal.userEntityRef;
    if (this.deps.auth.isPrincipal(credentials, 'service'))
      return credentials.principal.subject;
    return 'unknown';
  }

  private async audit(
    eventId: string,
    credentials: BackstageCredentials,
    meta: Record<string, unknown>,
  ) {
    const event = await this.deps.auditor?.createEvent({
      eventId,
      severityLevel: 'medium',
      meta: { ...meta, actor: await this.actor(credentials) },
    });
    await event?.success();
  }

  /** "Run checks": owners and platform admins. */
  async requestRun(
    datasetId: string,
    credentials: BackstageCredentials,
  ): Promise<{ id: string }> {
    const { store } = this.deps;
    const dataset = await this.authorizeRun(datasetId, credentials);
    if (dataset.status === 'removed')
      throw new ConflictError(`Dataset ${datasetId} was removed`);
    if ((await store.definitions(datasetId)).length === 0)
      throw new ConflictError(
        `${dataset.name} has no checks: add a contract with quality rules`,
      );
    const run = await this.enqueue(
      datasetId,
      'manual',
      await this.actor(credentials),
    );
    await this.audit('quality-run-requested', credentials, {
      datasetId,
      runId: run.id,
    });
    return { id: run.id };
  }

  /** Samples masked for this caller, exactly as the preview would. */
  private async masked<T extends QualityCheckResult>(
    dataset: StoredDataset,
    results: T[],
    credentials: BackstageCredentials,
  ): Promise<T[]> {
    if (!results.some(r => r.sample)) return results;
    const { masked } = await this.deps.datasetService.masking(
      dataset,
      credentials,
    );
    return results.map(r =>
      r.sample
        ? {
            ...r,
            sample: {
              columns: r.sample.columns,
              rows: r.sample.rows.map(row => {
                const copy = { ...row };
                for (const name of r.sample!.columns)
                  if (masked.has(name) && copy[name] !== null)
                    copy[name] = MASKED_VALUE;
                return copy;
              }),
            },
          }
        : r,
    );
  }

  async getRun(
    runId: string,
    credentials: BackstageCredentials,
  ): Promise<QualityRun> {
    const run = await this.deps.store.run(runId);
    if (!run) throw new NotFoundError(`No quality run ${runId}`);
    await authorizeOne(
      this.deps.permissions,
      lakehouseDatasetReadPermission,
      credentials,
      run.datasetId,
    );
    const dataset = await this.dataset(run.datasetId);
    const results = await this.masked(
      dataset,
      await this.deps.store.runResults(runId),
      credentials,
    );
    return {
      ...publicRun(run),
      results: results.map(stripStored),
    };
  }

  async scorecard(
    datasetId: string,
    credentials: BackstageCredentials,
  ): Promise<QualityScorecard> {
    const { store, permissions } = this.deps;
    await authorizeOne(
      permissions,
      lakehouseDatasetReadPermission,
      credentials,
      datasetId,
    );
    const dataset = await this.dataset(datasetId);
    const [current, health, history, checkHistory, acks, latest, schedule] =
      await Promise.all([
        store.currentResults(datasetId),
        store.health(datasetId),
        store.scoreHistory(datasetId),
        store.checkHistory(datasetId),
        store.acknowledgements(datasetId),
        store.latestRun(datasetId),
        store.schedule(datasetId),
      ]);
    const latestRunOf = new Map<string, StoredResult>();
    for (const r of current) latestRunOf.set(r.checkId, r);
    const masked = await this.masked(dataset, current, credentials);
    const lastScored = history[0];
    const order = { failed: 0, error: 1, passed: 2 };
    return {
      datasetId,
      score: health?.score,
      grade: health?.grade,
      health: health?.health ?? 'unknown',
      healthSince: health?.healthSince,
      dimensions: lastScored?.dimensions ?? [],
      checks: masked
        .map(r => {
          const ack = acks.get(r.checkId);
          return {
            ...stripStored(r),
            pointsLost: r.pointsLost,
            runId: r.runId,
            checkedAt: r.createdAt,
            history: checkHistory.get(r.checkId) ?? [],
            // An acknowledgement holds until the check passes again.
            acknowledgement: ack && r.status !== 'passed' ? ack : undefined,
          };
        })
        .sort(
          (a, b) =>
            order[a.status] - order[b.status] ||
            b.pointsLost - a.pointsLost ||
            a.name.localeCompare(b.name),
        ),
      history: history
        .slice()
        .reverse()
        .map(run => ({
          runId: run.id,
          at: run.finishedAt!,
          score: run.score!,
          grade: run.grade!,
          source: run.source,
        })),
      lastRun: latest && publicRun(latest),
      schedule: schedule && {
        cron: schedule.cron,
        nextRunAt: schedule.nextRunAt,
      },
    };
  }

  /** Imports a Great Expectations or Soda result as a completed run. */
  async importResults(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<{ id: string; datasetId: string; checks: number }> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new InputError(
        'Body must be { datasetId?, format: great_expectations | soda, result }',
      );
    const { datasetId: given, format, result } = body as Record<string, any>;
    if (format !== 'great_expectations' && format !== 'soda')
      throw new InputError(
        `format must be great_expectations or soda, got ${JSON.stringify(
          format,
        )}`,
      );
    if (given !== undefined && typeof given !== 'string')
      throw new InputError('datasetId must be a string');
    const suite =
      format === 'soda' ? fromSoda(result) : fromGreatExpectations(result);
    if (suite.results.length === 0)
      throw new InputError('result holds no checks');
    let datasetId = given;
    if (!datasetId) {
      const ids = suite.table
        ? await this.deps.datasets.idsByName(suite.table)
        : [];
      if (ids.length !== 1)
        throw new InputError(
          suite.table
            ? `datasetId is required: "${suite.table}" matches ${ids.length} datasets`
            : 'datasetId is required: the result does not name its table',
        );
      datasetId = ids[0];
    }
    await this.authorizeRun(datasetId, credentials);
    const now = this.now().toISOString();
    const run: RunRow = {
      id: randomUUID(),
      datasetId,
      status: 'running',
      progress: 0,
      trigger: 'import',
      source: suite.source,
      suite: suite.suite,
      requestedBy: await this.actor(credentials),
      createdAt: now,
      startedAt: now,
    };
    await this.deps.store.insertRun(run);
    try {
      await this.deps.runner.complete(run, suite.results, suite.rowCount);
    } catch (e) {
      await this.deps.store.failRun(run.id, String(e), now);
      throw e;
    }
    await this.audit('quality-results-imported', credentials, {
      datasetId,
      runId: run.id,
      format,
      suite: suite.suite,
    });
    return { id: run.id, datasetId, checks: suite.results.length };
  }

  /** An owner's note on a failing check; audited, shown on the scorecard. */
  async acknowledge(
    datasetId: string,
    checkId: string,
    body: unknown,
    credentials: BackstageCredentials,
  ) {
    const comment = (body as any)?.comment;
    if (typeof comment !== 'string' || !comment.trim())
      throw new InputError('comment is required');
    if (comment.length > MAX_COMMENT)
      throw new InputError(`comment is longer than ${MAX_COMMENT} characters`);
    await this.authorizeRun(datasetId, credentials);
    const result = (await this.deps.store.currentResults(datasetId)).find(
      r => r.checkId === checkId,
    );
    if (!result)
      throw new NotFoundError(`Dataset ${datasetId} has no check ${checkId}`);
    if (result.status === 'passed')
      throw new ConflictError(
        `Check ${checkId} passes: nothing to acknowledge`,
      );
    const ack = {
      id: randomUUID(),
      checkId,
      runId: result.runId,
      actor: await this.actor(credentials),
      comment: comment.trim(),
      createdAt: this.now().toISOString(),
    };
    await this.deps.store.addAcknowledgement(datasetId, ack);
    await this.audit('quality-check-acknowledged', credentials, {
      datasetId,
      checkId,
      runId: result.runId,
      comment: ack.comment,
    });
    return ack;
  }

  /** The caller's datasets (owned by them or their groups), worst first. */
  async myHealth(
    credentials: BackstageCredentials,
  ): Promise<{ items: DatasetHealth[] }> {
    if (!this.deps.auth.isPrincipal(credentials, 'user'))
      throw new InputError('My data health is for signed-in users');
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission: lakehouseDatasetReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError(
        `Not allowed: ${lakehouseDatasetReadPermission.name}`,
      );
    const { ownershipEntityRefs } = await this.deps.userInfo.getUserInfo(
      credentials,
    );
    const owned = await this.deps.datasets.ownedBy(
      ownershipEntityRefs,
      decision.result === AuthorizeResult.CONDITIONAL
        ? conditionsToFilter(decision.conditions)
        : undefined,
    );
    const health = await this.deps.store.healthOf(owned.map(d => d.id));
    const items: DatasetHealth[] = owned.map(d => {
      const h = health.get(d.id);
      return {
        datasetId: d.id,
        name: d.name,
        title: d.title,
        owner: d.owner,
        score: h?.score,
        grade: h?.grade,
        health: h?.health ?? 'unknown',
        healthSince: h?.healthSince,
        failedChecks: h?.failedChecks ?? 0,
        lastRunAt: h?.lastRunAt,
      };
    });
    items.sort(
      (a, b) =>
        HEALTH_ORDER[a.health] - HEALTH_ORDER[b.health] ||
        (a.score ?? 101) - (b.score ?? 101) ||
        a.name.localeCompare(b.name),
    );
    return { items };
  }
}

function publicRun(run: RunRow): Omit<QualityRun, 'results'> {
  const { suite, rowCount, dimensions, ...rest } = run;
  void suite;
  void rowCount;
  void dimensions;
  return rest;
}

function stripStored(r: StoredResult): QualityCheckResult {
  const { runId, suite, pointsLost, createdAt, ...result } = r;
  void runId;
  void suite;
  void pointsLost;
  void createdAt;
  return result;
}
