import { QualityCheckStatus } from '@lakeport/plugin-lakehouse-common';
import {
  CheckDefinition,
  FORMAT_PATTERNS,
  Threshold,
} from './checkDefinitions';

/**
 * Checks as SQL pushed down to the engine: every row-level check becomes an
 * aggregate of ONE scan (`sum(CASE …)`, `count(DISTINCT …)`, `max(…)`);
 * only composite keys, references and custom SQL need a query of their own.
 * Plain ANSI aggregates, so the same shape runs on a distributed engine;
 * the dialect only picks the regular-expression function.
 */

export type SqlDialect = 'duckdb' | 'trino';

export interface CompileContext {
  table: string;
  quoteTable(name: string): string;
  dialect: SqlDialect;
  /** Engine columns of the table: name → type. */
  columns: Map<string, string>;
}

/** What a run knows besides the query results. */
export interface MeasureInput {
  /** The aggregate scan's row. */
  scan: Record<string, unknown>;
  /** The check's own query row, if it has one. */
  own?: Record<string, unknown>;
  rows: number;
  now: Date;
  lastModified?: string;
  drift: { missingInContract: string[]; missingInEngine: string[] };
  /** Row counts of earlier runs, newest first. */
  rowCountHistory: number[];
}

export interface Measurement {
  /** The value compared with the threshold. */
  value?: number;
  /** Shown to people when it differs from `value` (a date, a list). */
  observed?: number | string;
  failingRows?: number;
  message?: string;
  /** Decided without a threshold (no history yet, nothing to compare). */
  status?: QualityCheckStatus;
}

export interface CheckPlan {
  check: CheckDefinition;
  /** Set when the check cannot run against this table. */
  error?: string;
  /** Aggregates added to the one scan, by alias. */
  aggregates: Record<string, string>;
  /** A query of its own returning one row. */
  query?: string;
  measure(input: MeasureInput): Measurement;
  /**
   * Selects offending rows (for samples), without a limit; a function when
   * it needs the check's own query row (the duplicated keys it found).
   */
  sampleSql?: string | ((own: Record<string, unknown>) => string | undefined);
}

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function literal(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return `'${value.replace(/'/g, "''")}'`;
}

function boundLiteral(value: number | string): string {
  if (typeof value === 'number') return String(value);
  if (value === 'today') return 'CURRENT_DATE';
  if (value === 'now') return 'CURRENT_TIMESTAMP';
  if (/^[+-]?\d+(\.\d+)?$/.test(value)) return value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `DATE ${literal(value)}`;
  return `TIMESTAMP ${literal(value.replace('T', ' ').replace(/Z$/, ''))}`;
}

function regexMatches(dialect: SqlDialect, expr: string, pattern: string) {
  return dialect === 'trino'
    ? `regexp_like(${expr}, ${literal(pattern)})`
    : `regexp_matches(${expr}, ${literal(pattern)})`;
}

const asText = (col: string) => `CAST(${col} AS VARCHAR)`;
const countWhere = (predicate: string) =>
  `sum(CASE WHEN ${predicate} THEN 1 ELSE 0 END)`;

export function toNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** A count as the rule's unit: rows, or percent of all rows. */
function inUnit(check: CheckDefinition, count: number, rows: number) {
  if (check.unit === 'rows') return count;
  return rows === 0 ? 0 : Math.round((count / rows) * 100 * 10_000) / 10_000;
}

function countMeasure(check: CheckDefinition, alias: string, fromOwn = false) {
  return (input: MeasureInput): Measurement => {
    const count = toNumber((fromOwn ? input.own : input.scan)?.[alias]) ?? 0;
    return {
      value: inUnit(check, count, input.rows),
      failingRows: count,
    };
  };
}

/** The row-level predicate of offending values, for counts and samples. */
function invalidPredicate(
  check: CheckDefinition,
  col: string,
  dialect: SqlDialect,
): string {
  const a = check.arguments;
  const valid: string[] = [];
  if (a.validValues) {
    const allNumbers = a.validValues.every(v => typeof v === 'number');
    const target = allNumbers ? col : asText(col);
    const values = a.validValues.map(v =>
      allNumbers ? literal(v) : literal(String(v)),
    );
    valid.push(`${target} IN (${values.join(', ')})`);
  }
  const pattern = a.pattern ?? (a.format && FORMAT_PATTERNS[a.format]);
  if (pattern) valid.push(regexMatches(dialect, asText(col), pattern));
  if (a.minimum !== undefined)
    valid.push(`${col} >= ${boundLiteral(a.minimum)}`);
  if (a.maximum !== undefined)
    valid.push(`${col} <= ${boundLiteral(a.maximum)}`);
  return `${col} IS NOT NULL AND NOT (${valid.join(' AND ')})`;
}

function missingPredicate(check: CheckDefinition, col: string): string {
  const values = check.arguments.missingValues ?? [null, ''];
  const listed = values.filter(v => v !== null).map(v => literal(String(v)));
  const parts = [];
  if (values.includes(null)) parts.push(`${col} IS NULL`);
  if (listed.length) parts.push(`${asText(col)} IN (${listed.join(', ')})`);
  return parts.join(' OR ');
}

function hoursSince(value: unknown, now: Date): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value);
  // A day's data is complete at the end of that day.
  const at = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? new Date(`${text}T23:59:59Z`)
    : new Date(text.includes('T') || text.endsWith('Z') ? text : `${text}Z`);
  if (isNaN(at.getTime())) return undefined;
  return Math.max(0, (now.getTime() - at.getTime()) / 3_600_000);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Plans one check against the table; never throws. */
export function planCheck(
  check: CheckDefinition,
  index: number,
  ctx: CompileContext,
): CheckPlan {
  const plan: CheckPlan = {
    check,
    aggregates: {},
    measure: () => ({}),
  };
  if (check.invalid) return { ...plan, error: check.invalid };
  const keyColumns =
    check.metric === 'duplicateValues'
      ? check.arguments.properties ?? []
      : [check.column].filter((c): c is string => !!c);
  const missing = keyColumns.find(c => !ctx.columns.has(c));
  if (missing)
    return { ...plan, error: `column "${missing}" is not in the table` };

  const table = ctx.quoteTable(ctx.table);
  const col = check.column ? ident(check.column) : '';
  const alias = `c${index}`;
  switch (check.metric) {
    case 'nullValues': {
      const predicate = `${col} IS NULL`;
      plan.aggregates[alias] = countWhere(predicate);
      plan.measure = countMeasure(check, alias);
      plan.sampleSql = `SELECT * FROM ${table} WHERE ${predicate}`;
      return plan;
    }
    case 'missingValues': {
      const predicate = missingPredicate(check, col);
      plan.aggregates[alias] = countWhere(predicate);
      plan.measure = countMeasure(check, alias);
      plan.sampleSql = `SELECT * FROM ${table} WHERE ${predicate}`;
      return plan;
    }
    case 'invalidValues': {
      const predicate = invalidPredicate(check, col, ctx.dialect);
      plan.aggregates[alias] = countWhere(predicate);
      plan.measure = countMeasure(check, alias);
      plan.sampleSql = `SELECT * FROM ${table} WHERE ${predicate}`;
      return plan;
    }
    case 'duplicateValues': {
      const keys = keyColumns.map(ident);
      const notNull = keys.map(k => `${k} IS NOT NULL`).join(' AND ');
      const groups = `SELECT ${keys.join(
        ', ',
      )}, count(*) AS n FROM ${table} WHERE ${notNull} GROUP BY ${keys.join(
        ', ',
      )} HAVING count(*) > 1`;
      plan.measure = countMeasure(check, alias, true);
      if (keys.length === 1) {
        // One GROUP BY gives the count and two duplicated keys, so the
        // sample is a cheap lookup instead of a second GROUP BY (the count
        // costs what count(DISTINCT) in the scan would).
        const key = keyColumns[0];
        plan.query = `SELECT coalesce(sum(n - 1), 0) AS ${alias}, min(${keys[0]}) AS k1, max(${keys[0]}) AS k2 FROM (${groups}) d`;
        plan.sampleSql = own => {
          const found = [own.k1, own.k2].filter(
            v => v !== null && v !== undefined,
          );
          if (found.length === 0) return undefined;
          const type = ctx.columns.get(key) ?? 'VARCHAR';
          const values = [...new Set(found.map(String))].map(
            v => `CAST(${literal(v)} AS ${type})`,
          );
          return `SELECT * FROM ${table} WHERE ${keys[0]} IN (${values.join(
            ', ',
          )}) ORDER BY ${keys[0]}`;
        };
      } else {
        plan.query = `SELECT coalesce(sum(n - 1), 0) AS ${alias} FROM (${groups}) d`;
        plan.sampleSql = `SELECT t.* FROM ${table} t JOIN (SELECT ${keys.join(
          ', ',
        )} FROM (${groups}) g ORDER BY ${keys.join(', ')} LIMIT 5) d ON ${keys
          .map(k => `t.${k} = d.${k}`)
          .join(' AND ')} ORDER BY ${keys.map(k => `t.${k}`).join(', ')}`;
      }
      return plan;
    }
    case 'rowCount':
      plan.measure = input => ({ value: input.rows });
      return plan;
    case 'rowCountChange':
      plan.measure = input => {
        const earlier = input.rowCountHistory.slice(0, check.arguments.history);
        if (earlier.length === 0)
          return {
            observed: input.rows,
            status: 'passed',
            message: 'no earlier run to compare with yet',
          };
        const average = earlier.reduce((a, b) => a + b, 0) / earlier.length;
        let change = (Math.abs(input.rows - average) / average) * 100;
        if (average === 0) change = input.rows === 0 ? 0 : 100;
        return {
          value: Math.round(change * 100) / 100,
          message: `${input.rows} rows against an average of ${Math.round(
            average,
          )} over the last ${earlier.length} runs`,
        };
      };
      return plan;
    case 'freshness':
      if (check.column) plan.aggregates[alias] = `max(${col})`;
      plan.measure = input => {
        const latest = check.column ? input.scan[alias] : input.lastModified;
        const age = hoursSince(latest, input.now);
        if (age === undefined)
          return {
            status: 'failed',
            message: check.column
              ? `${check.column} has no values`
              : 'no modification time known',
          };
        return {
          value: round1(age),
          message: `newest ${check.column ?? 'file change'}: ${String(
            latest,
          )}, ${round1(age)} h ago`,
        };
      };
      return plan;
    case 'referentialIntegrity': {
      const ref = ctx.quoteTable(check.arguments.dataset!);
      const refCol = ident(check.arguments.column!);
      const predicate = `c.${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ref} r WHERE r.${refCol} = c.${col})`;
      plan.query = `SELECT count(*) AS ${alias} FROM ${table} c WHERE ${predicate}`;
      plan.measure = countMeasure(check, alias, true);
      plan.sampleSql = `SELECT c.* FROM ${table} c WHERE ${predicate}`;
      return plan;
    }
    case 'schema':
      plan.measure = input => {
        const { missingInContract, missingInEngine } = input.drift;
        const parts = [];
        if (missingInEngine.length)
          parts.push(`not in the table: ${missingInEngine.join(', ')}`);
        if (missingInContract.length)
          parts.push(`not in the contract: ${missingInContract.join(', ')}`);
        return {
          value: missingInContract.length + missingInEngine.length,
          message: parts.join('; ') || undefined,
        };
      };
      return plan;
    default: {
      // ODCS custom SQL: ${object} / {object} is the table, ${property} the column.
      const sql = check.arguments
        .query!.replace(/\$?\{object\}/g, table)
        .replace(/\$?\{property\}/g, col || 'NULL');
      plan.query = `SELECT * FROM (${sql.replace(/;\s*$/, '')}) q`;
      plan.measure = input => {
        const value = toNumber(Object.values(input.own ?? {})[0]);
        return value === undefined
          ? { status: 'error', message: 'the query did not return a number' }
          : { value };
      };
      return plan;
    }
  }
}

/** The one aggregate scan over the table for all plans that add to it. */
export function scanSql(plans: CheckPlan[], ctx: CompileContext): string {
  const aggregates = plans.flatMap(p =>
    Object.entries(p.aggregates).map(([alias, sql]) => `${sql} AS ${alias}`),
  );
  return `SELECT ${['count(*) AS row_count', ...aggregates].join(
    ', ',
  )} FROM ${ctx.quoteTable(ctx.table)}`;
}

export function passes(threshold: Threshold, value: number): boolean {
  const v = threshold.value;
  switch (threshold.operator) {
    case 'mustBe':
      return value === v;
    case 'mustNotBe':
      return value !== v;
    case 'mustBeGreaterThan':
      return value > (v as number);
    case 'mustBeGreaterOrEqualTo':
      return value >= (v as number);
    case 'mustBeLessThan':
      return value < (v as number);
    case 'mustBeLessOrEqualTo':
      return value <= (v as number);
    case 'mustBeBetween':
      return value >= (v as number[])[0] && value <= (v as number[])[1];
    default:
      return value < (v as number[])[0] || value > (v as number[])[1];
  }
}

const OPERATOR_TEXT: Record<Threshold['operator'], string> = {
  mustBe: '=',
  mustNotBe: '≠',
  mustBeGreaterThan: '>',
  mustBeGreaterOrEqualTo: '≥',
  mustBeLessThan: '<',
  mustBeLessOrEqualTo: '≤',
  mustBeBetween: 'between',
  mustNotBeBetween: 'not between',
};

/** The rule as people read it, e.g. `nullValues = 0 rows`. */
export function expectationText(check: CheckDefinition): string {
  const { operator, value } = check.threshold;
  const shown = Array.isArray(value) ? `${value[0]} and ${value[1]}` : value;
  let unit: string = check.unit === 'percent' ? '%' : ' rows';
  if (check.metric === 'freshness') unit = ' h old';
  if (check.metric === 'schema') unit = ' drifting columns';
  if (check.metric === 'sql') unit = '';
  if (check.metric === 'rowCountChange') unit = '% change';
  return `${check.metric} ${OPERATOR_TEXT[operator]} ${shown}${unit}`;
}
