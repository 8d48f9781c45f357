/** What a check measures; the scorecard weighs these. @public */
export const QUALITY_DIMENSIONS = [
  'completeness',
  'validity',
  'uniqueness',
  'freshness',
  'consistency',
  'schema',
] as const;

/** @public */
export type QualityDimension = (typeof QUALITY_DIMENSIONS)[number];

/** `error` checks decide whether a dataset is failing; `warning` only cost points. @public */
export type QualitySeverity = 'error' | 'warning';

/** @public */
export type QualityCheckStatus = 'passed' | 'failed' | 'error';

/** @public */
export type QualityRunStatus = 'queued' | 'running' | 'completed' | 'failed';

/** Where a run's results come from. @public */
export type QualityRunSource = 'lakeport' | 'great_expectations' | 'soda';

/** Why a run started. @public */
export type QualityRunTrigger = 'schedule' | 'manual' | 'lineage' | 'import';

/** Letter grades, best first. @public */
export const QUALITY_GRADES = ['A', 'B', 'C', 'D', 'F'] as const;

/** @public */
export type QualityGrade = (typeof QUALITY_GRADES)[number];

/** The worst of some grades (A best, F worst); unknown values are ignored. @public */
export function worstGrade(
  grades: Array<string | undefined>,
): QualityGrade | undefined {
  const known = grades.filter((g): g is QualityGrade =>
    QUALITY_GRADES.includes(g as QualityGrade),
  );
  return known.sort().at(-1);
}

/** A dataset's overall state: `failing` while an error-severity check fails. @public */
export type QualityHealth = 'passing' | 'failing' | 'unknown';

/** One check's outcome in one run. @public */
export interface QualityCheckResult {
  /** Stable id within the dataset (contract rule id, or derived from it). */
  checkId: string;
  name: string;
  dimension: QualityDimension;
  severity: QualitySeverity;
  status: QualityCheckStatus;
  source: QualityRunSource;
  /** What was measured, e.g. 12 (rows) or 1.5 (percent). */
  observed?: number | string;
  /** The rule as text, e.g. `nullValues = 0 rows`. */
  expectation?: string;
  /** Rows that broke the rule, when the check counts rows. */
  failingRows?: number;
  /** Why the check could not be evaluated, or what failed. */
  message?: string;
  /** Contract file and field of the rule. */
  definedIn?: { file: string; field: string };
  /** A few offending rows, masked for the caller like the preview. */
  sample?: { columns: string[]; rows: Array<Record<string, unknown>> };
}

/** @public */
export interface QualityRun {
  id: string;
  datasetId: string;
  status: QualityRunStatus;
  /** 0..1 */
  progress: number;
  trigger: QualityRunTrigger;
  source: QualityRunSource;
  requestedBy?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  score?: number;
  grade?: QualityGrade;
  results: QualityCheckResult[];
}

/** Points a dimension is worth and what it kept. @public */
export interface QualityDimensionScore {
  dimension: QualityDimension;
  /** Points this dimension is worth (the weights of scored dimensions add up to 100). */
  weight: number;
  /** Points kept, 0..weight. */
  points: number;
  /** 0..100 within the dimension. */
  score: number;
  checks: number;
  failed: number;
}

/** @public */
export interface QualityAcknowledgement {
  id: string;
  checkId: string;
  runId?: string;
  actor: string;
  comment: string;
  createdAt: string;
}

/** A check on the scorecard: its latest result, its cost and its history. @public */
export interface ScorecardCheck extends QualityCheckResult {
  /** Points this check cost in the latest score (0 when it passed). */
  pointsLost: number;
  runId: string;
  checkedAt: string;
  /** Oldest first, the latest 30 results. */
  history: Array<{ runId: string; at: string; status: QualityCheckStatus }>;
  acknowledgement?: QualityAcknowledgement;
}

/** @public */
export interface QualityScorecard {
  datasetId: string;
  score?: number;
  grade?: QualityGrade;
  health: QualityHealth;
  /** Since when the dataset has had its current health. */
  healthSince?: string;
  dimensions: QualityDimensionScore[];
  checks: ScorecardCheck[];
  /** One point per scoring run, oldest first (the latest 100). */
  history: Array<{
    runId: string;
    at: string;
    score: number;
    grade: QualityGrade;
    source: QualityRunSource;
  }>;
  lastRun?: Omit<QualityRun, 'results'>;
  /** The contract's run schedule (cron) and the next scheduled run. */
  schedule?: { cron: string; nextRunAt?: string };
}

/** A dataset on an owner's health page. @public */
export interface DatasetHealth {
  datasetId: string;
  name: string;
  title: string;
  owner?: string;
  score?: number;
  grade?: QualityGrade;
  health: QualityHealth;
  healthSince?: string;
  failedChecks: number;
  lastRunAt?: string;
}

/** Body of `POST /quality/results`. @public */
export interface ImportQualityResultsRequest {
  /** Dataset the results are about; read from the results when omitted. */
  datasetId?: string;
  format: 'great_expectations' | 'soda';
  /** A Great Expectations validation result, or a Soda scan result. */
  result: unknown;
}
