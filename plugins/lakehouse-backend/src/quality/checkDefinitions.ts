import {
  ContractProblem,
  QUALITY_DIMENSIONS,
  QualityDimension,
  QualitySeverity,
} from '@lakeport/plugin-lakehouse-common';
import { CronTime } from 'cron';
import { isObject } from '../isObject';

/**
 * Quality rules of an ODCS v3.1 contract (`quality` lists on the schema
 * object and on its properties) as checks Lakeport runs. ODCS library
 * metrics (nullValues, missingValues, invalidValues, duplicateValues,
 * rowCount) and `type: sql` work as the standard describes; Lakeport adds
 * the metrics rowCountChange, freshness and referentialIntegrity and the
 * invalidValues arguments minimum, maximum and format. Every contract also
 * gets a schema check (engine columns against the contract) and, with a
 * latency SLA, a freshness check.
 */

export const CHECK_METRICS = [
  'nullValues',
  'missingValues',
  'invalidValues',
  'duplicateValues',
  'rowCount',
  'rowCountChange',
  'freshness',
  'referentialIntegrity',
  'schema',
  'sql',
] as const;

export type CheckMetric = (typeof CHECK_METRICS)[number];

export const THRESHOLD_OPERATORS = [
  'mustBe',
  'mustNotBe',
  'mustBeGreaterThan',
  'mustBeGreaterOrEqualTo',
  'mustBeLessThan',
  'mustBeLessOrEqualTo',
  'mustBeBetween',
  'mustNotBeBetween',
] as const;

export type ThresholdOperator = (typeof THRESHOLD_OPERATORS)[number];

export interface Threshold {
  operator: ThresholdOperator;
  value: number | [number, number];
}

export type Scalar = string | number | boolean;

export interface CheckArguments {
  validValues?: Scalar[];
  missingValues?: Array<Scalar | null>;
  pattern?: string;
  format?: keyof typeof FORMAT_PATTERNS;
  minimum?: number | string;
  maximum?: number | string;
  /** Composite key of duplicateValues on the schema object. */
  properties?: string[];
  /** referentialIntegrity: the referenced dataset and column. */
  dataset?: string;
  column?: string;
  /** rowCountChange: how many earlier runs to compare against. */
  history?: number;
  /** freshness: SLA in hours. */
  hours?: number;
  /** sql: one query returning one number. */
  query?: string;
}

export interface CheckDefinition {
  /** Stable within the dataset: the rule's `id`, or derived from column and metric. */
  id: string;
  name: string;
  metric: CheckMetric;
  column?: string;
  dimension: QualityDimension;
  severity: QualitySeverity;
  threshold: Threshold;
  unit: 'rows' | 'percent';
  arguments: CheckArguments;
  definedIn: { file: string; field: string };
  /** Why this rule cannot run (also reported as a contract problem). */
  invalid?: string;
}

export interface ContractQuality {
  checks: CheckDefinition[];
  problems: ContractProblem[];
  /** Cron of the contract's rules (ODCS `scheduler: cron`, `schedule`). */
  schedule?: string;
}

/** Common formats for `invalidValues` with `arguments.format`. */
export const FORMAT_PATTERNS = {
  email: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
  phone: '^\\+?[0-9][0-9 ().-]{6,19}$',
  uuid: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  isoDate: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
};

// ODCS dimension names (and their abbreviations) onto Lakeport's.
const DIMENSION_ALIASES: Record<string, QualityDimension> = {
  accuracy: 'validity',
  ac: 'validity',
  conformity: 'validity',
  cf: 'validity',
  completeness: 'completeness',
  cp: 'completeness',
  coverage: 'completeness',
  cv: 'completeness',
  consistency: 'consistency',
  cs: 'consistency',
  timeliness: 'freshness',
  tm: 'freshness',
  uniqueness: 'uniqueness',
  uq: 'uniqueness',
};

const DEFAULT_DIMENSION: Record<CheckMetric, QualityDimension> = {
  nullValues: 'completeness',
  missingValues: 'completeness',
  invalidValues: 'validity',
  duplicateValues: 'uniqueness',
  rowCount: 'completeness',
  rowCountChange: 'consistency',
  freshness: 'freshness',
  referentialIntegrity: 'consistency',
  schema: 'schema',
  sql: 'validity',
};

// Metrics counting offending rows: "none allowed" is the natural default.
const COUNTS_VIOLATIONS = new Set<CheckMetric>([
  'nullValues',
  'missingValues',
  'invalidValues',
  'duplicateValues',
  'referentialIntegrity',
]);

const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' ||
  (typeof v === 'number' && Number.isFinite(v)) ||
  typeof v === 'boolean';

function severityOf(value: unknown): QualitySeverity | undefined {
  if (value === undefined) return 'error';
  const text = String(value).toLowerCase();
  if (['error', 'critical', 'high', 'blocker'].includes(text)) return 'error';
  if (['warning', 'warn', 'info', 'low', 'medium', 'minor'].includes(text))
    return 'warning';
  return undefined;
}

function thresholdOf(
  rule: Record<string, any>,
): Threshold | string | undefined {
  const given = THRESHOLD_OPERATORS.filter(op => rule[op] !== undefined);
  if (given.length === 0) return undefined;
  if (given.length > 1)
    return `has ${given.join(' and ')}: use one threshold per rule`;
  const operator = given[0];
  const value = rule[operator];
  if (operator === 'mustBeBetween' || operator === 'mustNotBeBetween') {
    if (
      !Array.isArray(value) ||
      value.length !== 2 ||
      !value.every(v => typeof v === 'number' && Number.isFinite(v)) ||
      value[0] > value[1]
    ) {
      return `${operator} must be [low, high] with two numbers, low ≤ high`;
    }
    return { operator, value: [value[0], value[1]] };
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    return `${operator} must be a number`;
  return { operator, value };
}

const IDENTIFIER = /^[A-Za-z_][\w]*$/;
const TABLE_NAME = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/;
const BOUND =
  /^(today|now|[+-]?\d+(\.\d+)?|\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?)$/;

function argumentsOf(
  metric: CheckMetric,
  raw: unknown,
  column: string | undefined,
  columns: Set<string>,
): CheckArguments | string {
  if (raw !== undefined && !isObject(raw)) return 'arguments must be a mapping';
  const a: Record<string, any> = raw ?? {};
  const out: CheckArguments = {};
  if (a.validValues !== undefined) {
    if (
      !Array.isArray(a.validValues) ||
      a.validValues.length === 0 ||
      !a.validValues.every(isScalar)
    )
      return 'arguments.validValues must be a non-empty list of values';
    out.validValues = a.validValues;
  }
  if (a.missingValues !== undefined) {
    if (
      !Array.isArray(a.missingValues) ||
      !a.missingValues.every(v => v === null || isScalar(v))
    )
      return 'arguments.missingValues must be a list of values';
    out.missingValues = a.missingValues;
  }
  if (a.pattern !== undefined) {
    if (typeof a.pattern !== 'string') return 'arguments.pattern must be text';
    try {
      RegExp(a.pattern);
    } catch (e) {
      return `arguments.pattern is not a regular expression: ${
        (e as Error).message
      }`;
    }
    out.pattern = a.pattern;
  }
  if (a.format !== undefined) {
    if (!Object.keys(FORMAT_PATTERNS).includes(a.format))
      return `arguments.format must be one of ${Object.keys(
        FORMAT_PATTERNS,
      ).join(', ')}`;
    out.format = a.format;
  }
  for (const key of ['minimum', 'maximum'] as const) {
    if (a[key] === undefined) continue;
    if (!BOUND.test(String(a[key])))
      return `arguments.${key} must be a number, a date (2026-01-31), today or now`;
    out[key] = a[key];
  }
  if (metric === 'invalidValues') {
    const ways = [
      out.validValues,
      out.pattern,
      out.format,
      out.minimum ?? out.maximum,
    ].filter(v => v !== undefined);
    if (ways.length === 0)
      return 'invalidValues needs arguments: validValues, pattern, format, minimum or maximum';
  }
  if (metric === 'duplicateValues') {
    if (a.properties !== undefined) {
      if (
        !Array.isArray(a.properties) ||
        a.properties.length === 0 ||
        !a.properties.every((p: unknown) => typeof p === 'string')
      )
        return 'arguments.properties must list the key columns';
      out.properties = a.properties;
    } else if (column) {
      out.properties = [column];
    } else {
      return 'duplicateValues on the table needs arguments.properties (the key columns)';
    }
    const unknown = out.properties.find(p => !columns.has(p));
    if (unknown)
      return `arguments.properties: column "${unknown}" is not in the contract`;
  }
  if (metric === 'referentialIntegrity') {
    if (typeof a.dataset !== 'string' || !TABLE_NAME.test(a.dataset))
      return 'arguments.dataset must name the referenced table, e.g. customers.curated.customers';
    if (typeof a.column !== 'string' || !IDENTIFIER.test(a.column))
      return 'arguments.column must name the referenced column';
    out.dataset = a.dataset;
    out.column = a.column;
  }
  if (metric === 'rowCountChange') {
    const history = a.history ?? 5;
    if (!Number.isInteger(history) || history < 1 || history > 100)
      return 'arguments.history must be a whole number of runs, 1-100';
    out.history = history;
  }
  if (metric === 'freshness') {
    if (typeof a.hours !== 'number' || a.hours <= 0)
      return 'freshness needs arguments.hours, the SLA in hours';
    out.hours = a.hours;
  }
  return out;
}

const NEEDS_COLUMN = new Set<CheckMetric>([
  'nullValues',
  'missingValues',
  'invalidValues',
  'referentialIntegrity',
  'freshness',
]);

function describe(
  metric: CheckMetric,
  column: string | undefined,
  args: CheckArguments,
): string {
  const on = column ? `${column}: ` : '';
  switch (metric) {
    case 'nullValues':
      return `${on}no nulls`;
    case 'missingValues':
      return `${on}no missing values`;
    case 'invalidValues':
      if (args.validValues) return `${on}accepted values`;
      if (args.format) return `${on}${args.format} format`;
      if (args.pattern) return `${on}matches pattern`;
      return `${on}in range`;
    case 'duplicateValues':
      return `unique ${args.properties?.join(' + ')}`;
    case 'rowCount':
      return 'row count';
    case 'rowCountChange':
      return 'row count change';
    case 'freshness':
      return `${on}fresh within ${args.hours} h`;
    case 'referentialIntegrity':
      return `${on}references ${args.dataset}.${args.column}`;
    case 'schema':
      return 'schema matches the contract';
    default:
      return 'custom SQL';
  }
}

/**
 * One ODCS quality rule as a check. A rule Lakeport cannot run comes back
 * with `invalid` set (and is reported); `undefined` means a rule that is not
 * ours to run (`type: text` or `custom`, documentation and vendor checks).
 */
function parseRule(
  rule: unknown,
  field: string,
  file: string,
  column: string | undefined,
  columns: Set<string>,
): CheckDefinition | undefined {
  const definedIn = { file, field };
  const base = {
    id: `${column ?? 'table'}:${field}`,
    name: column ? `${column}: quality rule` : 'quality rule',
    metric: 'sql' as CheckMetric,
    column,
    dimension: 'validity' as QualityDimension,
    severity: 'error' as QualitySeverity,
    threshold: { operator: 'mustBe' as const, value: 0 },
    unit: 'rows' as const,
    arguments: {},
    definedIn,
  };
  if (!isObject(rule)) return { ...base, invalid: 'must be a mapping' };
  const type = rule.type ?? (rule.metric ? 'library' : undefined);
  if (type === 'text' || type === 'custom') return undefined;
  const id = typeof rule.id === 'string' && rule.id ? rule.id : undefined;
  const fail = (invalid: string): CheckDefinition => ({
    ...base,
    id: id ?? base.id,
    name: typeof rule.name === 'string' ? rule.name : base.name,
    invalid,
  });
  let metric: CheckMetric;
  if (type === 'sql') {
    metric = 'sql';
    if (typeof rule.query !== 'string' || !rule.query.trim())
      return fail('type sql needs a query that returns one number');
  } else if (type === 'library') {
    if (!CHECK_METRICS.includes(rule.metric) || rule.metric === 'sql')
      return fail(
        `unknown metric "${rule.metric}": use one of ${CHECK_METRICS.filter(
          m => m !== 'sql' && m !== 'schema',
        ).join(', ')}`,
      );
    metric = rule.metric;
  } else {
    return fail(
      `unknown type "${rule.type}": use library (with a metric), sql, text or custom`,
    );
  }
  if (NEEDS_COLUMN.has(metric) && !column)
    return fail(`${metric} belongs on a property (a column), not on the table`);
  const args = argumentsOf(metric, rule.arguments, column, columns);
  if (typeof args === 'string') return fail(args);
  if (metric === 'sql') args.query = rule.query;

  let dimension = DEFAULT_DIMENSION[metric];
  if (rule.dimension !== undefined) {
    const given = String(rule.dimension).toLowerCase();
    const mapped =
      DIMENSION_ALIASES[given] ??
      (QUALITY_DIMENSIONS as readonly string[]).find(d => d === given);
    if (!mapped)
      return fail(
        `unknown dimension "${rule.dimension}": use ${QUALITY_DIMENSIONS.join(
          ', ',
        )} (or the ODCS names)`,
      );
    dimension = mapped as QualityDimension;
  }
  const severity = severityOf(rule.severity);
  if (!severity)
    return fail(`unknown severity "${rule.severity}": use error or warning`);
  let threshold = thresholdOf(rule);
  if (typeof threshold === 'string') return fail(threshold);
  if (!threshold) {
    if (COUNTS_VIOLATIONS.has(metric))
      threshold = { operator: 'mustBe', value: 0 };
    else if (metric === 'freshness')
      threshold = { operator: 'mustBeLessOrEqualTo', value: args.hours! };
    else
      return fail(
        `${metric} needs a threshold: one of ${THRESHOLD_OPERATORS.join(', ')}`,
      );
  }
  if (
    rule.unit !== undefined &&
    rule.unit !== 'rows' &&
    rule.unit !== 'percent'
  )
    return fail(`unit must be rows or percent, got "${rule.unit}"`);
  const unit = rule.unit ?? (metric === 'rowCountChange' ? 'percent' : 'rows');
  let name = describe(metric, column, args);
  if (typeof rule.description === 'string' && rule.description.length < 80)
    name = rule.description;
  if (typeof rule.name === 'string' && rule.name) name = rule.name;
  return {
    id: id ?? `${column ?? 'table'}:${metric}`,
    name,
    metric,
    column,
    dimension,
    severity,
    threshold,
    unit,
    arguments: args,
    definedIn,
  };
}

/**
 * The checks of one contract document. Problems point at the file and the
 * rule's field; a broken rule never stops the others, nor the contract.
 */
export function parseContractQuality(
  file: string,
  object: Record<string, any>,
  columns: string[],
  sla?: { hours: number; element?: string; field: string },
): ContractQuality {
  const known = new Set(columns);
  const checks: CheckDefinition[] = [];
  const schedules = new Map<string, string>();
  const collect = (list: unknown, at: string, column?: string) => {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      checks.push({
        id: `${column ?? 'table'}:${at}`,
        name: 'quality rules',
        metric: 'sql',
        column,
        dimension: 'validity',
        severity: 'error',
        threshold: { operator: 'mustBe', value: 0 },
        unit: 'rows',
        arguments: {},
        definedIn: { file, field: at },
        invalid: 'quality must be a list of rules',
      });
      return;
    }
    list.forEach((rule, i) => {
      const field = `${at}[${i}]`;
      const check = parseRule(rule, field, file, column, known);
      if (!check) return;
      checks.push(check);
      if (isObject(rule) && rule.schedule !== undefined) {
        schedules.set(field, String(rule.schedule));
      }
    });
  };
  collect(object.quality, 'schema[0].quality');
  (Array.isArray(object.properties) ? object.properties : []).forEach(
    (prop: any, i: number) => {
      if (isObject(prop) && typeof prop.name === 'string')
        collect(prop.quality, `schema[0].properties[${i}].quality`, prop.name);
    },
  );

  checks.push({
    id: 'schema',
    name: describe('schema', undefined, {}),
    metric: 'schema',
    dimension: 'schema',
    severity: 'warning',
    threshold: { operator: 'mustBe', value: 0 },
    unit: 'rows',
    arguments: {},
    definedIn: { file, field: 'schema[0].properties' },
  });
  if (sla && !checks.some(c => c.metric === 'freshness')) {
    checks.push({
      id: 'freshness',
      name: `fresh within the ${sla.hours} h SLA`,
      metric: 'freshness',
      column: sla.element,
      dimension: 'freshness',
      severity: 'error',
      threshold: { operator: 'mustBeLessOrEqualTo', value: sla.hours },
      unit: 'rows',
      arguments: { hours: sla.hours },
      definedIn: { file, field: sla.field },
    });
  }

  // Ids must be unique: a repeated metric on one column gets a suffix.
  const seen = new Map<string, number>();
  for (const check of checks) {
    const n = (seen.get(check.id) ?? 0) + 1;
    seen.set(check.id, n);
    if (n > 1) check.id = `${check.id}#${n}`;
  }

  let schedule: string | undefined;
  for (const [field, cron] of schedules) {
    const problemAt = checks.find(c => c.definedIn.field === field);
    try {
      // eslint-disable-next-line no-new
      new CronTime(cron, 'UTC');
    } catch (e) {
      if (problemAt)
        problemAt.invalid = `schedule "${cron}" is not a cron expression`;
      continue;
    }
    if (schedule && schedule !== cron && problemAt) {
      problemAt.invalid = `schedule "${cron}" differs from "${schedule}": a contract's checks run together, on one schedule`;
    } else {
      schedule = cron;
    }
  }
  return {
    checks,
    problems: checks
      .filter(c => c.invalid)
      .map(c => ({ file, field: c.definedIn.field, message: c.invalid! })),
    schedule,
  };
}
