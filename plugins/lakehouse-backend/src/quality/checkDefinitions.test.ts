import { parseContractQuality } from './checkDefinitions';
import { planCheck, passes, scanSql } from './compileChecks';
import { gradeOf, healthOf, scoreChecks } from './scoring';

const columns = ['id', 'email', 'status', 'amount', 'day'];
const parse = (quality: unknown, properties: unknown[] = []) =>
  parseContractQuality(
    'shop/orders.odcs.yaml',
    { quality, properties },
    columns,
    { hours: 24, element: 'day', field: 'slaProperties[0]' },
  );

describe('parseContractQuality', () => {
  it('reads ODCS library metrics, SQL rules and Lakeport extensions with defaults', () => {
    const { checks, problems, schedule } = parse(
      [
        { metric: 'rowCount', mustBeGreaterThan: 0 },
        {
          type: 'sql',
          name: 'no orders from the future',
          query: 'SELECT count(*) FROM ${object} WHERE day > current_date',
          mustBe: 0,
          dimension: 'conformity',
          schedule: '0 * * * *',
          scheduler: 'cron',
        },
        { metric: 'duplicateValues', arguments: { properties: ['id', 'day'] } },
      ],
      [
        { name: 'id', quality: [{ metric: 'nullValues' }] },
        {
          name: 'email',
          quality: [
            {
              metric: 'invalidValues',
              arguments: { format: 'email' },
              mustBeLessThan: 1,
              unit: 'percent',
              severity: 'warning',
            },
          ],
        },
      ],
    );
    expect(problems).toEqual([]);
    expect(schedule).toBe('0 * * * *');
    expect(checks.map(c => [c.id, c.dimension, c.severity])).toEqual([
      ['table:rowCount', 'completeness', 'error'],
      ['table:sql', 'validity', 'error'],
      ['table:duplicateValues', 'uniqueness', 'error'],
      ['id:nullValues', 'completeness', 'error'],
      ['email:invalidValues', 'validity', 'warning'],
      ['schema', 'schema', 'warning'],
      ['freshness', 'freshness', 'error'],
    ]);
    // Counting metrics default to "none allowed".
    expect(checks[3].threshold).toEqual({ operator: 'mustBe', value: 0 });
    expect(checks[4].unit).toBe('percent');
    expect(checks[6]).toMatchObject({
      column: 'day',
      threshold: { operator: 'mustBeLessOrEqualTo', value: 24 },
      definedIn: { file: 'shop/orders.odcs.yaml', field: 'slaProperties[0]' },
    });
  });

  it('reports each broken rule with file and field, and keeps the others', () => {
    const { checks, problems } = parse(
      [
        { metric: 'rowcount', mustBe: 1 },
        { metric: 'rowCount' },
        { metric: 'rowCount', mustBe: 1, mustNotBe: 2 },
        { metric: 'rowCount', mustBeBetween: [5, 1] },
        { metric: 'nullValues' },
        { metric: 'duplicateValues', arguments: { properties: ['nope'] } },
        { type: 'sql', mustBe: 0 },
        { metric: 'rowCount', mustBe: 1, dimension: 'beauty' },
        { metric: 'rowCount', mustBe: 1, schedule: 'every hour' },
        { type: 'text', description: 'documentation only' },
        { metric: 'rowCount', mustBeGreaterThan: 0 },
      ],
      [
        {
          name: 'status',
          quality: [
            { metric: 'invalidValues' },
            { metric: 'invalidValues', arguments: { pattern: '(' } },
          ],
        },
      ],
    );
    expect(problems.map(p => [p.field, p.message])).toEqual([
      [
        'schema[0].quality[0]',
        expect.stringContaining('unknown metric "rowcount"'),
      ],
      ['schema[0].quality[1]', expect.stringContaining('needs a threshold')],
      [
        'schema[0].quality[2]',
        expect.stringContaining('one threshold per rule'),
      ],
      ['schema[0].quality[3]', expect.stringContaining('low ≤ high')],
      [
        'schema[0].quality[4]',
        expect.stringContaining('belongs on a property'),
      ],
      [
        'schema[0].quality[5]',
        expect.stringContaining('"nope" is not in the contract'),
      ],
      ['schema[0].quality[6]', expect.stringContaining('needs a query')],
      [
        'schema[0].quality[7]',
        expect.stringContaining('unknown dimension "beauty"'),
      ],
      [
        'schema[0].quality[8]',
        expect.stringContaining('not a cron expression'),
      ],
      [
        'schema[0].properties[0].quality[0]',
        expect.stringContaining('invalidValues needs arguments'),
      ],
      [
        'schema[0].properties[0].quality[1]',
        expect.stringContaining('not a regular expression'),
      ],
    ]);
    expect(problems.every(p => p.file === 'shop/orders.odcs.yaml')).toBe(true);
    // The valid rule still becomes a check; ids stay unique.
    const runnable = checks.filter(c => !c.invalid);
    expect(runnable.map(c => c.id)).toEqual([
      'table:rowCount#2',
      'schema',
      'freshness',
    ]);
    expect(new Set(checks.map(c => c.id)).size).toBe(checks.length);
  });

  it('refuses two schedules in one contract', () => {
    const { problems, schedule } = parse([
      { metric: 'rowCount', mustBe: 1, schedule: '0 * * * *' },
      { metric: 'rowCount', mustBe: 2, schedule: '0 0 * * *' },
    ]);
    expect(schedule).toBe('0 * * * *');
    expect(problems[0].message).toContain('one schedule');
  });
});

describe('compileChecks', () => {
  const ctx = (dialect: 'duckdb' | 'trino') => ({
    table: 'shop.curated.orders',
    quoteTable: (n: string) =>
      n
        .split('.')
        .map(p => `"${p}"`)
        .join('.'),
    dialect,
    columns: new Map(columns.map(c => [c, 'VARCHAR'])),
  });

  it('puts row-level checks into one scan and picks the regex function per dialect', () => {
    const { checks } = parse(
      [],
      [
        {
          name: 'id',
          quality: [{ metric: 'nullValues' }, { metric: 'duplicateValues' }],
        },
        {
          name: 'email',
          quality: [
            { metric: 'invalidValues', arguments: { pattern: "^[^']+@" } },
          ],
        },
      ],
    );
    for (const dialect of ['duckdb', 'trino'] as const) {
      const plans = checks.map((c, i) => planCheck(c, i, ctx(dialect)));
      const sql = scanSql(plans, ctx(dialect));
      expect(sql.match(/FROM/g)).toHaveLength(1);
      expect(sql).toContain(
        'sum(CASE WHEN "id" IS NULL THEN 1 ELSE 0 END) AS c0',
      );
      // Duplicates: one GROUP BY of their own, which also finds sample keys.
      expect(plans[1].query).toContain('GROUP BY "id" HAVING count(*) > 1');
      expect(sql).toContain(
        dialect === 'trino'
          ? `regexp_like(CAST("email" AS VARCHAR), '^[^'']+@')`
          : `regexp_matches(CAST("email" AS VARCHAR), '^[^'']+@')`,
      );
      expect(plans.filter(p => p.query)).toHaveLength(1);
    }
  });

  it('errors a check whose column the table lacks, without stopping the plan', () => {
    const { checks } = parse(
      [],
      [{ name: 'status', quality: [{ metric: 'nullValues' }] }],
    );
    const table = { ...ctx('duckdb'), columns: new Map([['id', 'INTEGER']]) };
    expect(planCheck(checks[0], 0, table).error).toBe(
      'column "status" is not in the table',
    );
  });

  it('compares with every ODCS threshold operator', () => {
    expect(passes({ operator: 'mustBe', value: 0 }, 0)).toBe(true);
    expect(passes({ operator: 'mustNotBe', value: 0 }, 0)).toBe(false);
    expect(passes({ operator: 'mustBeGreaterThan', value: 0 }, 0)).toBe(false);
    expect(passes({ operator: 'mustBeGreaterOrEqualTo', value: 0 }, 0)).toBe(
      true,
    );
    expect(passes({ operator: 'mustBeLessThan', value: 1 }, 0.99)).toBe(true);
    expect(passes({ operator: 'mustBeLessOrEqualTo', value: 1 }, 1.01)).toBe(
      false,
    );
    expect(passes({ operator: 'mustBeBetween', value: [1, 2] }, 2)).toBe(true);
    expect(passes({ operator: 'mustNotBeBetween', value: [1, 2] }, 1.5)).toBe(
      false,
    );
  });
});

describe('scoring', () => {
  it('costs each failed check its share of its dimension, and explains the total', () => {
    const checks = [
      {
        checkId: 'a',
        dimension: 'completeness',
        severity: 'error',
        status: 'failed',
      },
      {
        checkId: 'b',
        dimension: 'completeness',
        severity: 'warning',
        status: 'passed',
      },
      {
        checkId: 'c',
        dimension: 'uniqueness',
        severity: 'error',
        status: 'passed',
      },
      {
        checkId: 'd',
        dimension: 'validity',
        severity: 'error',
        status: 'error',
      },
    ] as const;
    const score = scoreChecks([...checks])!;
    // completeness 25 and uniqueness 20 of 45 points scaled to 100; validity is not scored.
    expect(score.dimensions.map(d => [d.dimension, d.weight])).toEqual([
      ['completeness', 55.6],
      ['uniqueness', 44.4],
    ]);
    // a weighs 3 of the 4 severity points of completeness.
    expect(score.pointsLost.get('a')).toBeCloseTo(41.7, 1);
    expect(score.score).toBeCloseTo(100 - 41.7, 0);
    expect(score.grade).toBe('F');
    expect(healthOf([...checks])).toBe('failing');
    expect(scoreChecks([{ ...checks[3] }])).toBeUndefined();
    expect([95, 85, 75, 65, 10].map(gradeOf)).toEqual([
      'A',
      'B',
      'C',
      'D',
      'F',
    ]);
  });
});
