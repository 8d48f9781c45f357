import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { ACCESS_REQUEST_STATUSES } from '@lakeport/plugin-lakehouse-common';
import { Knex } from 'knex';
import { DataHealthSnapshot, readDataHealth } from './dataHealth';

/**
 * Data health as Prometheus gauges: per dataset (freshness age and SLA,
 * stale, quality score, failing error checks; at most
 * `lakeport.metrics.datasetSeriesCap`, the least healthy first), per domain
 * and owner (always), and the access backlog. A scrape never waits for the
 * database: it answers from the last read, and starts a new read in the
 * background when that one is older than `dataHealthIntervalSeconds` (so
 * nothing is read while nobody scrapes). Replicas export the same values:
 * dashboards take `max without (instance)`.
 */
export function wireDataHealthMetrics(deps: {
  db: Knex;
  metrics: MetricsService;
  config: RootConfigService;
  logger: LoggerService;
  stewardGroups: string[];
}) {
  const cap =
    deps.config.getOptionalNumber('lakeport.metrics.datasetSeriesCap') ?? 1000;
  const intervalMs =
    (deps.config.getOptionalNumber(
      'lakeport.metrics.dataHealthIntervalSeconds',
    ) ?? 60) * 1000;
  let snapshot: DataHealthSnapshot | undefined;
  let reading: Promise<void> | undefined;
  let startedAt = 0;
  const freshen = () => {
    if (reading || Date.now() - startedAt < intervalMs) return;
    startedAt = Date.now();
    reading = readDataHealth(deps.db, {
      cap,
      stewardGroups: deps.stewardGroups,
    })
      .then(s => {
        snapshot = s;
      })
      .catch(e =>
        deps.logger.warn(`Could not read the data-health metrics: ${e}`),
      )
      .finally(() => {
        reading = undefined;
      });
  };

  const gauge = (
    name: string,
    description: string,
    observe: (
      s: DataHealthSnapshot,
      emit: (value: number, labels: Record<string, string>) => void,
    ) => void,
  ) =>
    deps.metrics
      .createObservableGauge(name, { description })
      .addCallback(result => {
        freshen();
        if (snapshot) observe(snapshot, (v, l) => result.observe(v, l));
      });

  type DatasetSeries = DataHealthSnapshot['datasets'][number];
  const perDataset: Array<
    [string, string, (d: DatasetSeries) => number | undefined]
  > = [
    [
      'lakeport.dataset.freshness_age_seconds',
      'Age of the newest data of a dataset with a freshness SLA',
      d => d.freshnessAgeSeconds,
    ],
    [
      'lakeport.dataset.freshness_sla_seconds',
      "The freshness SLA of a dataset's contract",
      d => d.freshnessSlaSeconds,
    ],
    [
      'lakeport.dataset.stale',
      '1 when a dataset is older than its freshness SLA, else 0',
      d => (d.stale === undefined ? undefined : Number(d.stale)),
    ],
    [
      'lakeport.dataset.quality.score',
      'Quality score of a dataset (0-100), as its scorecard shows it',
      d => d.qualityScore,
    ],
    [
      'lakeport.dataset.quality.failing_error_checks',
      'Failed checks of severity error on the scorecard of a dataset',
      d => d.failingErrorChecks,
    ],
  ];
  for (const [name, description, value] of perDataset)
    gauge(name, description, (s, emit) => {
      for (const d of s.datasets) {
        const v = value(d);
        if (v !== undefined)
          emit(v, {
            domain: d.domain,
            owner: d.owner,
            dataset: d.dataset,
            namespace: d.namespace,
          });
      }
    });
  const perGroup: Array<
    [string, string, (a: DataHealthSnapshot['aggregates'][number]) => number]
  > = [
    [
      'lakeport.datasets.monitored',
      'Datasets with a freshness SLA or quality checks, by domain and owner',
      a => a.monitored,
    ],
    [
      'lakeport.datasets.stale',
      'Datasets older than their freshness SLA, by domain and owner',
      a => a.stale,
    ],
    [
      'lakeport.datasets.failing',
      'Datasets with at least one failed error check, by domain and owner',
      a => a.failing,
    ],
  ];
  for (const [name, description, value] of perGroup)
    gauge(name, description, (s, emit) =>
      s.aggregates.forEach(a =>
        emit(value(a), { domain: a.domain, owner: a.owner }),
      ),
    );
  gauge(
    'lakeport.data_health.datasets_omitted',
    'Monitored datasets without series of their own (over lakeport.metrics.datasetSeriesCap)',
    (s, emit) => emit(s.omitted, {}),
  );
  gauge(
    'lakeport.data_health.age_seconds',
    'Seconds since the data-health figures were read from the database',
    (s, emit) => emit((Date.now() - Date.parse(s.readAt)) / 1000, {}),
  );
  gauge('lakeport.access.requests', 'Access requests by status', (s, emit) =>
    ACCESS_REQUEST_STATUSES.forEach(status =>
      emit(s.access.byStatus.get(status) ?? 0, { status }),
    ),
  );
  gauge(
    'lakeport.access.requests.waiting',
    'Access requests waiting for a decision, by the reviewer group that has to decide',
    (s, emit) =>
      s.access.waiting.forEach(w => emit(w.open, { reviewer: w.reviewer })),
  );
  gauge(
    'lakeport.access.requests.oldest_waiting_seconds',
    'How long the oldest request waiting for a reviewer group has waited',
    (s, emit) =>
      s.access.waiting.forEach(w =>
        emit(w.oldestAgeSeconds, { reviewer: w.reviewer }),
      ),
  );
  gauge(
    'lakeport.access.grants.expiring_7d',
    'Active grants that expire within 7 days',
    (s, emit) => emit(s.access.grantsExpiringIn7Days, {}),
  );

  return { snapshot: () => snapshot };
}
