import { Knex } from 'knex';
import { computeFreshness } from '../assets/freshness';
import { parseJson } from '../database/rowValues';

/** One dataset's health, as its own series. */
export interface DatasetHealthSeries {
  dataset: string;
  namespace: string;
  domain: string;
  owner: string;
  /** Freshness (datasets with an SLA whose age is known). */
  freshnessAgeSeconds?: number;
  freshnessSlaSeconds?: number;
  stale?: boolean;
  /** Quality (datasets that have been checked). */
  qualityScore?: number;
  failingErrorChecks?: number;
}

/** Datasets of one domain and owner: always exported, whatever the cap. */
export interface HealthAggregate {
  domain: string;
  owner: string;
  monitored: number;
  stale: number;
  failing: number;
}

export interface AccessBacklog {
  /** Access requests by status (every status, zeros included). */
  byStatus: Map<string, number>;
  /** Requests waiting for a decision, by the group that has to decide. */
  waiting: Array<{ reviewer: string; open: number; oldestAgeSeconds: number }>;
  grantsExpiringIn7Days: number;
}

export interface DataHealthSnapshot {
  readAt: string;
  datasets: DatasetHealthSeries[];
  aggregates: HealthAggregate[];
  /** Datasets over the cap: counted in the aggregates, without series of their own. */
  omitted: number;
  access: AccessBacklog;
}

const NONE = '(none)';
const DAY_MS = 86_400_000;

/** Older health rows did not keep the error count: failing means at least one. */
function failingErrorChecks(r: {
  failed_error_checks?: number | null;
  failed_checks: number;
  health: string;
}) {
  if (r.failed_error_checks !== null && r.failed_error_checks !== undefined)
    return Number(r.failed_error_checks);
  return r.health === 'failing' ? Math.max(1, Number(r.failed_checks)) : 0;
}

/** Least healthy first: stale or failing, then the lowest score, then the oldest. */
function unhealthiness(d: DatasetHealthSeries) {
  return [
    (d.failingErrorChecks ?? 0) > 0 || d.stale ? 0 : 1,
    d.qualityScore ?? 101,
    -(d.freshnessAgeSeconds ?? 0),
  ];
}

function byUnhealthiness(a: DatasetHealthSeries, b: DatasetHealthSeries) {
  const x = unhealthiness(a);
  const y = unhealthiness(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return a.dataset.localeCompare(b.dataset);
}

/**
 * Reads the health of every active dataset that has a freshness SLA or
 * quality results: freshness as the Datasets page computes it, score and
 * failing error checks as My data health shows them; and the access
 * backlog. At most `cap` datasets keep series of their own (the least
 * healthy); every one counts in the per-domain and per-owner aggregates.
 */
export async function readDataHealth(
  db: Knex,
  options: { cap: number; stewardGroups: string[]; now?: Date },
): Promise<DataHealthSnapshot> {
  const now = options.now ?? new Date();
  const rows = await db('lakehouse_datasets as d')
    .leftJoin('quality_health as h', 'h.dataset_id', 'd.id')
    .where('d.status', 'active')
    .andWhere(q =>
      q.whereNotNull('d.freshness_sla_hours').orWhereNotNull('h.dataset_id'),
    )
    .select(
      'd.name',
      'd.namespace',
      'd.domain',
      'd.owner',
      'd.layer',
      'd.freshness_sla_hours',
      'd.freshness_element',
      'd.partition_columns',
      'd.latest_partition',
      'd.last_modified',
      'h.health',
      'h.score',
      'h.failed_checks',
      'h.failed_error_checks',
    );
  const all: DatasetHealthSeries[] = rows.map(r => {
    const freshness = computeFreshness(
      {
        freshnessSlaHours:
          r.freshness_sla_hours === null
            ? undefined
            : Number(r.freshness_sla_hours),
        freshnessElement: r.freshness_element ?? undefined,
        partitionColumns: parseJson(r.partition_columns, []),
        latestPartition: r.latest_partition ?? undefined,
        lastModified: r.last_modified ?? undefined,
        stream: r.layer === 'stream',
      },
      now,
    );
    const checked = r.health !== null && r.health !== undefined;
    return {
      dataset: r.name,
      namespace: r.namespace,
      domain: r.domain ?? NONE,
      owner: r.owner ?? NONE,
      ...(freshness && freshness.status !== 'unknown'
        ? {
            // Not rounded: the age the Datasets page rounds to 0.1 h.
            freshnessAgeSeconds: Math.max(
              0,
              (now.getTime() - Date.parse(freshness.latestAt!)) / 1000,
            ),
            freshnessSlaSeconds: freshness.slaHours * 3600,
            stale: freshness.status === 'stale',
          }
        : {}),
      ...(checked
        ? {
            ...(r.score === null ? {} : { qualityScore: Number(r.score) }),
            failingErrorChecks: failingErrorChecks(r),
          }
        : {}),
    };
  });

  const groups = new Map<string, HealthAggregate>();
  for (const d of all) {
    const key = JSON.stringify([d.domain, d.owner]);
    const g = groups.get(key) ?? {
      domain: d.domain,
      owner: d.owner,
      monitored: 0,
      stale: 0,
      failing: 0,
    };
    g.monitored++;
    if (d.stale) g.stale++;
    if ((d.failingErrorChecks ?? 0) > 0) g.failing++;
    groups.set(key, g);
  }
  const kept = all.length > options.cap ? [...all].sort(byUnhealthiness) : all;
  return {
    readAt: now.toISOString(),
    datasets: kept.slice(0, options.cap),
    aggregates: [...groups.values()],
    omitted: Math.max(0, all.length - options.cap),
    access: await readAccessBacklog(db, options.stewardGroups, now),
  };
}

async function readAccessBacklog(
  db: Knex,
  stewardGroups: string[],
  now: Date,
): Promise<AccessBacklog> {
  const byStatus = new Map<string, number>();
  for (const r of await db('access_requests')
    .select('status')
    .count('* as n')
    .groupBy('status'))
    byStatus.set(String(r.status), Number(r.n));
  // Owner step: the dataset's owner group decides; steward step: the stewards.
  const waitingRows = await db('access_requests as r')
    .leftJoin('lakehouse_datasets as d', 'd.id', 'r.dataset_id')
    .where('r.status', 'requested')
    .select('r.step', 'r.updated_at', 'd.owner');
  const waiting = new Map<string, { open: number; oldest: number }>();
  for (const r of waitingRows) {
    const reviewer =
      r.step === 'steward' ? stewardGroups.join(',') || NONE : r.owner ?? NONE;
    const w = waiting.get(reviewer) ?? { open: 0, oldest: 0 };
    w.open++;
    w.oldest = Math.max(
      w.oldest,
      (now.getTime() - Date.parse(r.updated_at)) / 1000,
    );
    waiting.set(reviewer, w);
  }
  const expiring = await db('access_grants')
    .where('status', 'active')
    .where(
      'expires_at',
      '<=',
      new Date(now.getTime() + 7 * DAY_MS).toISOString(),
    )
    .count('* as n')
    .first();
  return {
    byStatus,
    waiting: [...waiting].map(([reviewer, w]) => ({
      reviewer,
      open: w.open,
      oldestAgeSeconds: w.oldest,
    })),
    grantsExpiringIn7Days: Number(expiring?.n ?? 0),
  };
}
