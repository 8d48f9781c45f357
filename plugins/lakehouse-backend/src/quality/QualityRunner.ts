import { PortalMetrics } from '../observability/PortalMetrics';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  QualityCheckResult,
  QualityHealth,
} from '@lakeport/plugin-lakehouse-common';
import { LakehouseEngine } from '@lakeport/plugin-lakehouse-node';
import {
  DatasetStore,
  schemaDrift,
  StoredDataset,
} from '../assets/DatasetStore';
import {
  CheckPlan,
  CompileContext,
  expectationText,
  MeasureInput,
  passes,
  planCheck,
  scanSql,
  toNumber,
} from './compileChecks';
import { QualityStore, RunLostError, RunRow } from './QualityStore';
import { randomUUID } from 'node:crypto';
import { healthOf, scoreChecks } from './scoring';

const SAMPLE_ROWS = 10;
/** Heartbeats every 30 s; a run without one for 2 minutes goes to another replica. */
export const HEARTBEAT_MS = 30_000;
const MAX_SAMPLED_CHECKS = 10;

/** A change of a dataset's health, for notifications. */
export interface HealthChange {
  datasetId: string;
  run: RunRow;
  previous: QualityHealth;
  health: QualityHealth;
  score?: number;
  grade?: string;
  /** Failed error-severity checks of the current scorecard. */
  failing: QualityCheckResult[];
}

/**
 * Executes queued runs: compiles the dataset's checks, runs the one scan and
 * the few queries of their own on the engine, takes samples of offending
 * rows, and records results, score and health in one transaction.
 */
export class QualityRunner {
  /** This replica's runner, as the holder of the runs it claims. */
  readonly worker = randomUUID();
  private draining?: Promise<void>;
  private again = false;

  constructor(
    private readonly deps: {
      store: QualityStore;
      datasets: DatasetStore;
      engine: LakehouseEngine;
      logger: LoggerService;
      queryTimeoutMs: number;
      onHealthChange?: (change: HealthChange) => Promise<void>;
      metrics?: PortalMetrics;
      /** How often a running check sends a heartbeat. Default 30 s. */
      heartbeatMs?: number;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  private secondsSince(run: RunRow) {
    const started = run.startedAt ?? run.createdAt;
    return started
      ? Math.max(0, (this.now().getTime() - Date.parse(started)) / 1000)
      : undefined;
  }

  /** Works through the queue until it is empty; one run at a time per replica. */
  drain(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const run = await this.deps.store.claimNext(
              this.now().toISOString(),
              this.worker,
            );
            if (!run) break;
            await this.execute(run);
          }
        } while (this.again);
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  private async execute(run: RunRow): Promise<void> {
    const { store, datasets, logger } = this.deps;
    // Heartbeats while it runs (a long scan reports no progress): a replica
    // that stops sending them loses the run to another one.
    const heartbeat = setInterval(() => {
      store
        .heartbeat(run.id, this.worker, this.now().toISOString())
        .catch(e => logger.warn(`Heartbeat of quality run ${run.id}: ${e}`));
    }, this.deps.heartbeatMs ?? HEARTBEAT_MS);
    try {
      const dataset = await datasets.get(run.datasetId);
      if (!dataset || dataset.status === 'removed')
        throw new Error(`Dataset ${run.datasetId} is not in the lakehouse`);
      const { results, rowCount } = await this.check(run, dataset);
      await this.complete(run, results, rowCount);
    } catch (e) {
      if (e instanceof RunLostError) {
        logger.warn(`${e.message}: another replica runs it`);
        return;
      }
      logger.warn(`Quality run ${run.id} of ${run.datasetId} failed: ${e}`);
      await store.failRun(
        run.id,
        (e as Error).message,
        this.now().toISOString(),
        this.worker,
      );
      this.deps.metrics?.qualityRun(
        run.trigger,
        'error',
        this.secondsSince(run),
      );
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async check(
    run: RunRow,
    dataset: StoredDataset,
  ): Promise<{ results: QualityCheckResult[]; rowCount: number }> {
    const { store, engine, queryTimeoutMs } = this.deps;
    const definitions = await store.definitions(dataset.id);
    if (definitions.length === 0)
      throw new Error(`${dataset.name} has no contract with checks`);
    const ctx: CompileContext = {
      table: dataset.name,
      quoteTable: name => engine.quoteTable(name),
      dialect: engine.sqlDialect ?? 'duckdb',
      columns: new Map(
        dataset.columns
          .filter(c => c.drift !== 'missing_in_engine')
          .map(c => [c.name, c.type]),
      ),
    };
    const plans = definitions.map((d, i) => planCheck(d, i, ctx));
    const runnable = plans.filter(p => !p.error);
    const own = runnable.filter(p => p.query);
    const options = { limit: 1, timeoutMs: queryTimeoutMs };
    let steps = 0;
    let totalSteps = 1 + own.length + 1;
    const step = async () => {
      steps++;
      await store.progress(
        run.id,
        Math.min(0.99, steps / totalSteps),
        this.now().toISOString(),
      );
    };

    // The one scan. If it fails, each check scans alone, so one broken
    // check (a type mismatch, say) does not take the others down.
    const errors = new Map<CheckPlan, string>();
    let scan: Record<string, unknown> = {};
    const inScan = runnable.filter(p => Object.keys(p.aggregates).length);
    try {
      scan = (await engine.query(scanSql(inScan, ctx), options)).rows[0] ?? {};
    } catch (e) {
      scan = (await engine.query(scanSql([], ctx), options)).rows[0] as Record<
        string,
        unknown
      >;
      for (const plan of inScan) {
        try {
          Object.assign(
            scan,
            (await engine.query(scanSql([plan], ctx), options)).rows[0],
          );
        } catch (error) {
          errors.set(plan, (error as Error).message);
        }
      }
    }
    await step();
    const ownRows = new Map<CheckPlan, Record<string, unknown>>();
    for (const plan of own) {
      try {
        ownRows.set(plan, (await engine.query(plan.query!, options)).rows[0]);
      } catch (error) {
        errors.set(plan, (error as Error).message);
      }
      await step();
    }

    const rowCount = toNumber(scan.row_count) ?? 0;
    const history = await store.rowCountHistory(dataset.id, 100);
    const input: Omit<MeasureInput, 'own'> = {
      scan,
      rows: rowCount,
      now: this.now(),
      lastModified: dataset.lastModified,
      drift: schemaDrift(dataset.columns),
      rowCountHistory: history,
    };
    const results = plans.map(plan => {
      const { check } = plan;
      const result: QualityCheckResult = {
        checkId: check.id,
        name: check.name,
        dimension: check.dimension,
        severity: check.severity,
        status: 'error',
        source: 'lakeport',
        expectation: expectationText(check),
        definedIn: check.definedIn,
      };
      const error = plan.error ?? errors.get(plan);
      if (error) return { plan, result: { ...result, message: error } };
      const m = plan.measure({ ...input, own: ownRows.get(plan) });
      let status = m.status;
      if (!status)
        status =
          m.value === undefined || !passes(check.threshold, m.value)
            ? 'failed'
            : 'passed';
      return {
        plan,
        result: {
          ...result,
          status,
          observed: m.observed ?? m.value,
          failingRows: m.failingRows,
          message: m.message,
        },
      };
    });

    const toSample = results
      .map(r => ({
        ...r,
        sql:
          typeof r.plan.sampleSql === 'function'
            ? r.plan.sampleSql(ownRows.get(r.plan) ?? {})
            : r.plan.sampleSql,
      }))
      .filter(r => r.result.status === 'failed' && r.sql)
      .slice(0, MAX_SAMPLED_CHECKS);
    totalSteps = steps + toSample.length + 1;
    // Sample queries are independent; they run side by side.
    await Promise.all(
      toSample.map(async ({ sql, result }) => {
        try {
          const sample = await engine.query(sql!, {
            limit: SAMPLE_ROWS,
            timeoutMs: queryTimeoutMs,
          });
          result.sample = {
            columns: sample.columns.map(c => c.name),
            rows: sample.rows,
          };
        } catch (error) {
          result.message = `${
            result.message ? `${result.message}; ` : ''
          }no sample: ${(error as Error).message}`;
        }
        await step();
      }),
    );
    return { results: results.map(r => r.result), rowCount };
  }

  /**
   * Records a run's results (its own checks or an imported suite) with the
   * scorecard they produce together with the other suites' latest results.
   */
  async complete(
    run: RunRow,
    results: QualityCheckResult[],
    rowCount?: number,
  ): Promise<void> {
    const { store, datasets } = this.deps;
    const finishedAt = this.now().toISOString();
    const others = (await store.currentResults(run.datasetId)).filter(
      r => !(r.source === run.source && r.suite === run.suite),
    );
    const current = [...others, ...results];
    const score = scoreChecks(current);
    const previous = await store.health(run.datasetId);
    const health = healthOf(current);
    const failing = current.filter(
      r => r.severity === 'error' && r.status === 'failed',
    );
    await store.completeRun({
      runId: run.id,
      claimedBy: run.claimedBy,
      datasetId: run.datasetId,
      source: run.source,
      suite: run.suite,
      finishedAt,
      rowCount,
      results: results.map(r => ({
        ...r,
        pointsLost: score?.pointsLost.get(r.checkId) ?? 0,
      })),
      score: score?.score,
      grade: score?.grade,
      dimensions: score?.dimensions,
      health: {
        datasetId: run.datasetId,
        health,
        healthSince:
          previous?.health === health ? previous.healthSince : finishedAt,
        score: score?.score,
        grade: score?.grade,
        failedChecks: current.filter(r => r.status === 'failed').length,
        failedErrorChecks: failing.length,
        lastRunId: run.id,
        lastRunAt: finishedAt,
      },
      alsoWrite: tx =>
        datasets.setQuality(
          run.datasetId,
          { score: score?.score, grade: score?.grade },
          tx,
        ),
    });
    this.deps.metrics?.qualityRun(run.trigger, health, this.secondsSince(run));
    const before = previous?.health ?? 'unknown';
    if (before !== health && !(before === 'unknown' && health === 'passing')) {
      try {
        await this.deps.onHealthChange?.({
          datasetId: run.datasetId,
          run,
          previous: before,
          health,
          score: score?.score,
          grade: score?.grade,
          failing,
        });
      } catch (e) {
        this.deps.logger.warn(
          `Could not notify about ${run.datasetId} turning ${health}: ${e}`,
        );
      }
    }
  }
}
