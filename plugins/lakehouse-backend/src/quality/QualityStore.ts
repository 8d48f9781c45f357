import {
  QualityAcknowledgement,
  QualityCheckResult,
  QualityCheckStatus,
  QualityDimensionScore,
  QualityGrade,
  QualityHealth,
  QualityRunSource,
  QualityRunStatus,
  QualityRunTrigger,
} from '@lakeport/plugin-lakehouse-common';
import { Knex } from 'knex';
import { chunks } from '../database/chunks';
import { num, opt, parseJson } from '../database/rowValues';
import { CheckDefinition } from './checkDefinitions';

export interface RunRow {
  id: string;
  datasetId: string;
  status: QualityRunStatus;
  progress: number;
  trigger: QualityRunTrigger;
  source: QualityRunSource;
  suite: string;
  requestedBy?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  score?: number;
  grade?: QualityGrade;
  rowCount?: number;
  dimensions?: QualityDimensionScore[];
  /** The worker holding the run while it runs. */
  claimedBy?: string;
  /** How many times a worker claimed it. */
  attempts?: number;
}

/** The run was given to another worker (this one's heartbeats stopped): nothing of it is written. */
export class RunLostError extends Error {
  constructor(runId: string) {
    super(`Quality run ${runId} is no longer held by this worker`);
    this.name = 'RunLostError';
  }
}

/** How many times a run is claimed before a worker that keeps vanishing fails it. */
export const MAX_RUN_ATTEMPTS = 3;

export interface StoredResult extends QualityCheckResult {
  runId: string;
  suite: string;
  pointsLost: number;
  createdAt: string;
}

export interface HealthRow {
  datasetId: string;
  health: QualityHealth;
  healthSince: string;
  score?: number;
  grade?: QualityGrade;
  failedChecks: number;
  /** Failed checks of severity error (what makes a dataset failing); unknown for health written before it was kept. */
  failedErrorChecks?: number;
  lastRunId?: string;
  lastRunAt?: string;
}

/** What a finished run writes, all in one transaction. */
export interface RunCompletion {
  runId: string;
  datasetId: string;
  source: QualityRunSource;
  suite: string;
  finishedAt: string;
  rowCount?: number;
  results: Array<QualityCheckResult & { pointsLost: number }>;
  score?: number;
  grade?: QualityGrade;
  dimensions?: QualityDimensionScore[];
  health: HealthRow;
  /** The worker that claimed the run (runs of imports have none). */
  claimedBy?: string;
  /** Extra writes in the same transaction (the dataset's grade). */
  alsoWrite?: (tx: Knex.Transaction) => Promise<void>;
}

// knex inserts many rows on SQLite as one compound SELECT, capped at 500 terms.
const ROWS_PER_INSERT = 30;

function toRun(row: any): RunRow {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    status: row.status,
    progress: Number(row.progress),
    trigger: row.trigger,
    source: row.source,
    suite: row.suite,
    requestedBy: opt(row.requested_by),
    createdAt: row.created_at,
    startedAt: opt(row.started_at),
    finishedAt: opt(row.finished_at),
    error: opt(row.error),
    score: num(row.score),
    grade: opt(row.grade),
    rowCount: num(row.row_count),
    dimensions: parseJson(row.dimensions),
    claimedBy: opt(row.claimed_by),
    attempts: Number(row.attempts ?? 0),
  };
}

function toResult(row: any): StoredResult {
  const observed = parseJson<number | string>(row.observed);
  return {
    runId: row.run_id,
    suite: row.suite,
    checkId: row.check_id,
    name: row.name,
    dimension: row.dimension,
    severity: row.severity,
    status: row.status,
    source: row.source,
    observed,
    expectation: opt(row.expectation),
    failingRows: num(row.failing_rows),
    message: opt(row.message),
    definedIn: parseJson(row.defined_in),
    sample: parseJson(row.sample),
    pointsLost: Number(row.points_lost),
    createdAt: row.created_at,
  };
}

function toHealth(row: any): HealthRow {
  return {
    datasetId: row.dataset_id,
    health: row.health,
    healthSince: row.health_since,
    score: num(row.score),
    grade: opt(row.grade),
    failedChecks: Number(row.failed_checks),
    failedErrorChecks: num(row.failed_error_checks),
    lastRunId: opt(row.last_run_id),
    lastRunAt: opt(row.last_run_at),
  };
}

/** Quality definitions, runs, results, health and acknowledgements. */
export class QualityStore {
  constructor(private readonly db: Knex) {}

  /**
   * Replaces a dataset's checks from its contract. A new or changed
   * schedule starts at `nextRunAt`; an unchanged one keeps its next run.
   */
  async replaceDefinitions(
    datasetId: string,
    checks: CheckDefinition[],
    schedule: { cron: string; nextRunAt: string } | undefined,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx('quality_checks').where({ dataset_id: datasetId }).delete();
      for (const batch of chunks(checks, ROWS_PER_INSERT)) {
        await tx('quality_checks').insert(
          batch.map(check => ({
            dataset_id: datasetId,
            check_id: check.id,
            position: checks.indexOf(check),
            definition: JSON.stringify(check),
          })),
        );
      }
      const current = await tx('quality_schedules')
        .where({ dataset_id: datasetId })
        .first();
      if (!schedule) {
        if (current)
          await tx('quality_schedules')
            .where({ dataset_id: datasetId })
            .delete();
      } else if (!current) {
        await tx('quality_schedules').insert({
          dataset_id: datasetId,
          cron: schedule.cron,
          next_run_at: schedule.nextRunAt,
        });
      } else if (current.cron !== schedule.cron) {
        await tx('quality_schedules')
          .where({ dataset_id: datasetId })
          .update({ cron: schedule.cron, next_run_at: schedule.nextRunAt });
      }
    });
  }

  /**
   * What every dataset's checks and schedule are now, and which datasets
   * were ever checked, in three reads: a sync compares rather than rewrites.
   */
  async definitionsSnapshot(): Promise<{
    checks: Map<string, string>;
    crons: Map<string, string>;
    checked: Set<string>;
  }> {
    const checks = new Map<string, string[]>();
    for (const row of await this.db('quality_checks')
      .orderBy(['dataset_id', 'position'])
      .select('dataset_id', 'definition')) {
      const list = checks.get(row.dataset_id) ?? [];
      list.push(row.definition);
      checks.set(row.dataset_id, list);
    }
    const crons = new Map<string, string>(
      (await this.db('quality_schedules').select('dataset_id', 'cron')).map(
        (r: any) => [r.dataset_id, r.cron],
      ),
    );
    const checked = new Set<string>(
      (await this.db('quality_runs').distinct('dataset_id')).map(
        (r: any) => r.dataset_id,
      ),
    );
    return {
      checks: new Map([...checks].map(([id, l]) => [id, `[${l.join(',')}]`])),
      crons,
      checked,
    };
  }

  /** Forgets the checks of datasets that no longer have a contract. */
  async removeDefinitionsExcept(datasetIds: string[]): Promise<void> {
    const keep = new Set(datasetIds);
    const stored: string[] = (
      await this.db('quality_schedules').select('dataset_id')
    )
      .concat(await this.db('quality_checks').distinct('dataset_id'))
      .map((r: any) => r.dataset_id);
    const gone = [...new Set(stored)].filter(id => !keep.has(id));
    for (const batch of chunks(gone, 500)) {
      await this.db.transaction(async tx => {
        await tx('quality_checks').whereIn('dataset_id', batch).delete();
        await tx('quality_schedules').whereIn('dataset_id', batch).delete();
      });
    }
  }

  async definitions(datasetId: string): Promise<CheckDefinition[]> {
    const rows = await this.db('quality_checks')
      .where({ dataset_id: datasetId })
      .orderBy('position');
    return rows.map(r => JSON.parse(r.definition));
  }

  async schedule(
    datasetId: string,
  ): Promise<{ cron: string; nextRunAt: string } | undefined> {
    const row = await this.db('quality_schedules')
      .where({ dataset_id: datasetId })
      .first();
    return row && { cron: row.cron, nextRunAt: row.next_run_at };
  }

  async dueSchedules(
    now: string,
    limit = 100,
  ): Promise<Array<{ datasetId: string; cron: string; dueAt: string }>> {
    const rows = await this.db('quality_schedules')
      .where('next_run_at', '<=', now)
      .orderBy('next_run_at')
      .limit(limit);
    return rows.map(r => ({
      datasetId: r.dataset_id,
      cron: r.cron,
      dueAt: r.next_run_at,
    }));
  }

  /**
   * Moves a due schedule to its next run, if no other replica moved it
   * first: true for exactly one caller per due run.
   */
  async claimSchedule(
    datasetId: string,
    dueAt: string,
    nextRunAt: string,
  ): Promise<boolean> {
    return (
      (await this.db('quality_schedules')
        .where({ dataset_id: datasetId, next_run_at: dueAt })
        .update({ next_run_at: nextRunAt })) === 1
    );
  }

  /** A queued or running run of the dataset's own checks, if any. */
  async activeRun(datasetId: string): Promise<RunRow | undefined> {
    const row = await this.db('quality_runs')
      .where({ dataset_id: datasetId, source: 'lakeport' })
      .whereIn('status', ['queued', 'running'])
      .orderBy('created_at')
      .first();
    return row && toRun(row);
  }

  /**
   * Inserts a run; false when it is a queued run of the dataset's own checks
   * and another replica queued one first (one active run per dataset).
   */
  async insertRun(run: RunRow): Promise<boolean> {
    const inserted = await this.db('quality_runs')
      .insert({
        id: run.id,
        dataset_id: run.datasetId,
        status: run.status,
        progress: run.progress,
        trigger: run.trigger,
        source: run.source,
        suite: run.suite,
        requested_by: run.requestedBy ?? null,
        created_at: run.createdAt,
        started_at: run.startedAt ?? null,
      })
      .onConflict()
      .ignore()
      .returning('id');
    return inserted.length === 1;
  }

  /**
   * Claims the oldest queued run for `worker`. The conditional update
   * makes the claim safe when several replicas poll the same queue.
   */
  async claimNext(now: string, worker: string): Promise<RunRow | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = await this.db('quality_runs')
        .where({ status: 'queued' })
        .orderBy('created_at')
        .first('id');
      if (!next) return undefined;
      const claimed = await this.db('quality_runs')
        .where({ id: next.id, status: 'queued' })
        .update({
          status: 'running',
          started_at: now,
          heartbeat_at: now,
          claimed_by: worker,
          attempts: this.db.raw('attempts + 1'),
        });
      if (claimed === 1) return this.run(next.id);
    }
    return undefined;
  }

  /** Progress, and a heartbeat: the worker still holds the run. */
  async progress(runId: string, progress: number, now: string) {
    await this.db('quality_runs')
      .where({ id: runId })
      .update({ progress, heartbeat_at: now });
  }

  /** A heartbeat of the holder only; false when the run was given away. */
  async heartbeat(runId: string, worker: string, now: string) {
    const n = await this.db('quality_runs')
      .where({ id: runId, status: 'running', claimed_by: worker })
      .update({ heartbeat_at: now });
    return n === 1;
  }

  /** Fails a queued or running run (of `worker`, when given). */
  async failRun(
    runId: string,
    error: string,
    now: string,
    worker?: string,
  ): Promise<void> {
    const q = this.db('quality_runs')
      .where({ id: runId })
      .whereIn('status', ['queued', 'running']);
    if (worker) q.where({ claimed_by: worker });
    await q.update({ status: 'failed', error, finished_at: now });
  }

  /**
   * Runs whose worker stopped sending heartbeats (a replica went away) go
   * back to the queue for another replica; a run claimed
   * MAX_RUN_ATTEMPTS times fails instead (it may be what stops them).
   */
  async requeueStale(
    heartbeatBefore: string,
    now: string,
  ): Promise<{ requeued: number; failed: number }> {
    return this.db.transaction(async tx => {
      const stale = () =>
        tx('quality_runs')
          .where({ status: 'running' })
          .where('heartbeat_at', '<', heartbeatBefore);
      const failed = await stale()
        .where('attempts', '>=', MAX_RUN_ATTEMPTS)
        .update({
          status: 'failed',
          error: `The backend running these checks stopped ${MAX_RUN_ATTEMPTS} times; run them again.`,
          finished_at: now,
        });
      const requeued = await stale().update({
        status: 'queued',
        claimed_by: null,
        started_at: null,
        heartbeat_at: null,
        progress: 0,
      });
      return { requeued, failed };
    });
  }

  async run(runId: string): Promise<RunRow | undefined> {
    const row = await this.db('quality_runs').where({ id: runId }).first();
    return row && toRun(row);
  }

  async runResults(runId: string): Promise<StoredResult[]> {
    const rows = await this.db('quality_results as r')
      .join('quality_runs as q', 'q.id', 'r.run_id')
      .where('r.run_id', runId)
      .select('r.*', 'q.source', 'q.suite');
    return rows.map(toResult);
  }

  /**
   * Results that make up the current scorecard: of each source and suite
   * (Lakeport's own checks, each imported suite) the latest completed run.
   */
  async currentResults(datasetId: string): Promise<StoredResult[]> {
    const latest: Array<{ source: string; suite: string; at: string }> =
      (await this.db('quality_runs')
        .where({ dataset_id: datasetId, status: 'completed' })
        .groupBy('source', 'suite')
        .select('source', 'suite')
        .max({ at: 'finished_at' })) as any;
    if (latest.length === 0) return [];
    const runs = await this.db('quality_runs')
      .where({ dataset_id: datasetId, status: 'completed' })
      .where(qb => {
        for (const l of latest)
          qb.orWhere({ source: l.source, suite: l.suite, finished_at: l.at });
      })
      .select('id');
    const rows = await this.db('quality_results as r')
      .join('quality_runs as q', 'q.id', 'r.run_id')
      .whereIn(
        'r.run_id',
        runs.map(r => r.id),
      )
      .select('r.*', 'q.source', 'q.suite');
    return rows.map(toResult);
  }

  /** Completed runs that produced a score, newest first. */
  async scoreHistory(datasetId: string, limit = 100): Promise<RunRow[]> {
    const rows = await this.db('quality_runs')
      .where({ dataset_id: datasetId, status: 'completed' })
      .whereNotNull('score')
      .orderBy('finished_at', 'desc')
      .limit(limit);
    return rows.map(toRun);
  }

  async latestRun(datasetId: string): Promise<RunRow | undefined> {
    const row = await this.db('quality_runs')
      .where({ dataset_id: datasetId })
      .orderBy('created_at', 'desc')
      .first();
    return row && toRun(row);
  }

  /** Row counts of earlier completed runs of the dataset's checks, newest first. */
  async rowCountHistory(datasetId: string, limit: number): Promise<number[]> {
    const rows = await this.db('quality_runs')
      .where({ dataset_id: datasetId, status: 'completed', source: 'lakeport' })
      .whereNotNull('row_count')
      .orderBy('finished_at', 'desc')
      .limit(limit)
      .select('row_count');
    return rows.map(r => Number(r.row_count));
  }

  /** The latest `perCheck` statuses of each check, oldest first. */
  async checkHistory(
    datasetId: string,
    perCheck = 30,
  ): Promise<
    Map<
      string,
      Array<{ runId: string; at: string; status: QualityCheckStatus }>
    >
  > {
    const rows = await this.db('quality_results')
      .where({ dataset_id: datasetId })
      .orderBy('created_at', 'desc')
      .limit(perCheck * 200)
      .select('check_id', 'run_id', 'created_at', 'status');
    const out = new Map<
      string,
      Array<{ runId: string; at: string; status: QualityCheckStatus }>
    >();
    for (const r of rows) {
      const list = out.get(r.check_id) ?? [];
      if (list.length < perCheck)
        list.unshift({ runId: r.run_id, at: r.created_at, status: r.status });
      out.set(r.check_id, list);
    }
    return out;
  }

  async health(datasetId: string): Promise<HealthRow | undefined> {
    const row = await this.db('quality_health')
      .where({ dataset_id: datasetId })
      .first();
    return row && toHealth(row);
  }

  async healthOf(datasetIds: string[]): Promise<Map<string, HealthRow>> {
    const out = new Map<string, HealthRow>();
    for (const batch of chunks(datasetIds, 500)) {
      const rows = await this.db('quality_health').whereIn('dataset_id', batch);
      for (const row of rows) out.set(row.dataset_id, toHealth(row));
    }
    return out;
  }

  /**
   * Writes a finished run: its results, score and the dataset's health in
   * one transaction. Only the latest run of each suite keeps its samples.
   */
  async completeRun(c: RunCompletion): Promise<void> {
    await this.db.transaction(async tx => {
      // Only an open run, and only by its holder: a run given to another
      // replica is written once, by that one (RunLostError rolls back).
      const open = tx('quality_runs')
        .where({ id: c.runId })
        .whereIn('status', ['queued', 'running']);
      if (c.claimedBy) open.where({ claimed_by: c.claimedBy });
      const held = await open.update({ status: 'completing' });
      if (held !== 1) throw new RunLostError(c.runId);
      // Samples of earlier runs of the same checks go (other suites keep theirs).
      await tx('quality_results')
        .where({ dataset_id: c.datasetId })
        .whereNotNull('sample')
        .whereIn(
          'run_id',
          tx('quality_runs')
            .where({
              dataset_id: c.datasetId,
              source: c.source,
              suite: c.suite,
            })
            .select('id'),
        )
        .update({ sample: null });
      for (const batch of chunks(c.results, ROWS_PER_INSERT)) {
        await tx('quality_results').insert(
          batch.map(r => ({
            run_id: c.runId,
            check_id: r.checkId,
            dataset_id: c.datasetId,
            name: r.name.slice(0, 512),
            dimension: r.dimension,
            severity: r.severity,
            status: r.status,
            observed:
              r.observed === undefined ? null : JSON.stringify(r.observed),
            expectation: r.expectation ?? null,
            failing_rows: r.failingRows ?? null,
            message: r.message ?? null,
            defined_in: r.definedIn ? JSON.stringify(r.definedIn) : null,
            sample: r.sample ? JSON.stringify(r.sample) : null,
            points_lost: r.pointsLost,
            created_at: c.finishedAt,
          })),
        );
      }
      await tx('quality_runs')
        .where({ id: c.runId })
        .update({
          status: 'completed',
          progress: 1,
          finished_at: c.finishedAt,
          score: c.score ?? null,
          grade: c.grade ?? null,
          row_count: c.rowCount ?? null,
          dimensions: c.dimensions ? JSON.stringify(c.dimensions) : null,
        });
      const h = c.health;
      const row = {
        health: h.health,
        health_since: h.healthSince,
        score: h.score ?? null,
        grade: h.grade ?? null,
        failed_checks: h.failedChecks,
        failed_error_checks: h.failedErrorChecks ?? null,
        last_run_id: h.lastRunId ?? null,
        last_run_at: h.lastRunAt ?? null,
      };
      const updated = await tx('quality_health')
        .where({ dataset_id: c.datasetId })
        .update(row);
      if (!updated)
        await tx('quality_health').insert({ dataset_id: c.datasetId, ...row });
      await c.alsoWrite?.(tx);
    });
  }

  async addAcknowledgement(
    datasetId: string,
    ack: QualityAcknowledgement,
  ): Promise<void> {
    await this.db('quality_acknowledgements').insert({
      id: ack.id,
      dataset_id: datasetId,
      check_id: ack.checkId,
      run_id: ack.runId ?? null,
      actor: ack.actor,
      comment: ack.comment,
      created_at: ack.createdAt,
    });
  }

  /** The latest acknowledgement of each check. */
  async acknowledgements(
    datasetId: string,
  ): Promise<Map<string, QualityAcknowledgement>> {
    const rows = await this.db('quality_acknowledgements')
      .where({ dataset_id: datasetId })
      .orderBy('created_at', 'asc');
    const out = new Map<string, QualityAcknowledgement>();
    for (const r of rows) {
      out.set(r.check_id, {
        id: r.id,
        checkId: r.check_id,
        runId: opt(r.run_id),
        actor: r.actor,
        comment: r.comment,
        createdAt: r.created_at,
      });
    }
    return out;
  }
}
