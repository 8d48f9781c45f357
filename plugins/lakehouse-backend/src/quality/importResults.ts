import { InputError } from '@backstage/errors';
import {
  QualityCheckResult,
  QualityCheckStatus,
  QualityDimension,
  QualityRunSource,
  QualitySeverity,
} from '@lakeport/plugin-lakehouse-common';
import { createHash } from 'node:crypto';
import { isObject } from '../isObject';

/**
 * Great Expectations 1.x validation results and Soda (SodaCL v3) scan
 * results as Lakeport check results: same dimensions, severities and
 * statuses, so they join the scorecard and its history. Check ids are
 * stable across runs (expectation type, column and arguments; Soda's check
 * identity), so each check keeps a history.
 */
export interface ImportedSuite {
  source: QualityRunSource;
  suite: string;
  /** The table the tool says it checked, to find the dataset. */
  table?: string;
  results: QualityCheckResult[];
  rowCount?: number;
}

const shortHash = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 10);

function geDimension(type: string): QualityDimension {
  if (/not_be_null|_to_be_null|null/.test(type)) return 'completeness';
  if (/unique/.test(type)) return 'uniqueness';
  if (/table_row_count/.test(type)) return 'completeness';
  if (/table_column|column_to_exist|be_of_type|in_type_list/.test(type))
    return 'schema';
  if (/column_pair|multicolumn|compound/.test(type)) return 'consistency';
  return 'validity';
}

function geSeverity(value: unknown): QualitySeverity {
  return value === 'warning' || value === 'info' ? 'warning' : 'error';
}

function describeKwargs(kwargs: Record<string, unknown>): string {
  return Object.entries(kwargs)
    .filter(([key]) => key !== 'batch_id' && key !== 'column')
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(', ');
}

function observedOf(value: unknown): number | string | undefined {
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (value === null || value === undefined) return undefined;
  return JSON.stringify(value).slice(0, 200);
}

/** A Great Expectations 1.x suite validation result (`to_json_dict()`). */
export function fromGreatExpectations(doc: unknown): ImportedSuite {
  if (!isObject(doc) || !Array.isArray(doc.results))
    throw new InputError(
      'result must be a Great Expectations validation result with a results list',
    );
  const suite =
    typeof doc.suite_name === 'string' && doc.suite_name
      ? doc.suite_name
      : 'great_expectations';
  let rowCount: number | undefined;
  const results = doc.results.map((r: unknown, i: number) => {
    const at = `result.results[${i}]`;
    if (!isObject(r) || !isObject(r.expectation_config))
      throw new InputError(`${at}.expectation_config is missing`);
    const config = r.expectation_config;
    const type = config.type ?? config.expectation_type;
    if (typeof type !== 'string')
      throw new InputError(`${at}.expectation_config.type must be a string`);
    if (typeof r.success !== 'boolean')
      throw new InputError(`${at}.success must be true or false`);
    const kwargs: Record<string, unknown> = isObject(config.kwargs)
      ? config.kwargs
      : {};
    const column =
      typeof kwargs.column === 'string' ? kwargs.column : undefined;
    const result: Record<string, any> = isObject(r.result) ? r.result : {};
    if (typeof result.element_count === 'number')
      rowCount = Math.max(rowCount ?? 0, result.element_count);
    const raised =
      isObject(r.exception_info) && r.exception_info.raised_exception;
    let status: QualityCheckStatus = r.success ? 'passed' : 'failed';
    if (raised) status = 'error';
    const args = describeKwargs(kwargs);
    const { batch_id: _batch, ...identity } = kwargs;
    void _batch;
    const readable = type.replace(/^expect_/, '').replace(/_/g, ' ');
    return {
      checkId: `ge:${suite}:${type}:${column ?? 'table'}:${shortHash(
        identity,
      )}`,
      name: `${column ? `${column}: ` : ''}${readable}`,
      dimension: geDimension(type),
      severity: geSeverity(config.severity),
      status,
      source: 'great_expectations' as const,
      observed: observedOf(result.observed_value ?? result.unexpected_count),
      expectation: `${type}${args ? ` (${args})` : ''}`,
      failingRows:
        typeof result.unexpected_count === 'number'
          ? result.unexpected_count
          : undefined,
      message: raised
        ? String(r.exception_info.exception_message ?? 'raised an exception')
        : undefined,
    };
  });
  const batch = isObject(doc.meta)
    ? doc.meta.active_batch_definition
    : undefined;
  return {
    source: 'great_expectations',
    suite,
    table:
      isObject(batch) && typeof batch.data_asset_name === 'string'
        ? batch.data_asset_name
        : undefined,
    results,
    rowCount,
  };
}

function sodaDimension(name: string): QualityDimension {
  const metric = name.toLowerCase();
  if (/^(missing_|row_count)/.test(metric)) return 'completeness';
  if (/^duplicate_/.test(metric)) return 'uniqueness';
  if (/^freshness/.test(metric)) return 'freshness';
  if (/^schema/.test(metric)) return 'schema';
  if (/^(values in|reference|change|anomaly)/.test(metric))
    return 'consistency';
  return 'validity';
}

/** A Soda (SodaCL v3) scan result (`soda scan -srf`, `Scan.get_scan_results()`). */
export function fromSoda(doc: unknown): ImportedSuite {
  if (!isObject(doc) || !Array.isArray(doc.checks))
    throw new InputError(
      'result must be a Soda scan result with a checks list',
    );
  const suite =
    typeof doc.definitionName === 'string' && doc.definitionName
      ? doc.definitionName
      : 'soda';
  let table: string | undefined;
  let rowCount: number | undefined;
  const results = doc.checks.map((c: unknown, i: number) => {
    const at = `result.checks[${i}]`;
    if (!isObject(c) || typeof c.name !== 'string')
      throw new InputError(`${at}.name must be a string`);
    if (typeof c.table === 'string') table ??= c.table;
    const outcome = c.outcome;
    if (
      outcome !== null &&
      outcome !== undefined &&
      typeof outcome !== 'string'
    )
      throw new InputError(`${at}.outcome must be pass, warn, fail or null`);
    let status: QualityCheckStatus = 'error';
    if (outcome === 'pass') status = 'passed';
    if (outcome === 'fail' || outcome === 'warn') status = 'failed';
    const diagnostics: Record<string, any> = isObject(c.diagnostics)
      ? c.diagnostics
      : {};
    const failedRows = Array.isArray(diagnostics.blocks)
      ? diagnostics.blocks.find(
          (b: any) => isObject(b) && typeof b.totalFailingRows === 'number',
        )?.totalFailingRows
      : undefined;
    const value = observedOf(diagnostics.value);
    if (/^row_count/.test(c.name) && typeof value === 'number')
      rowCount = value;
    const column = typeof c.column === 'string' ? c.column : undefined;
    return {
      checkId: `soda:${suite}:${
        typeof c.identity === 'string' ? c.identity : shortHash(c.name)
      }`,
      name: `${column && !c.name.includes(column) ? `${column}: ` : ''}${
        c.name
      }`,
      dimension: sodaDimension(c.name),
      severity: (outcome === 'warn' ? 'warning' : 'error') as QualitySeverity,
      status,
      source: 'soda' as const,
      observed: value,
      expectation: typeof c.definition === 'string' ? c.definition : c.name,
      failingRows: failedRows,
      message:
        status === 'error'
          ? 'Soda could not evaluate this check (see the scan log)'
          : undefined,
    };
  });
  return { source: 'soda', suite, table, results, rowCount };
}
