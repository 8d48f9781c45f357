import { DuckDBInstance } from '@duckdb/node-api';
import { generateSampleLakehouse } from '@lakeport/sample-lakehouse';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBEngine } from './DuckDBEngine';

describe('DuckDBEngine over the sample lakehouse', () => {
  let tmp: string;
  let engine: DuckDBEngine;
  const limits = { limit: 5, timeoutMs: 10_000 };

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lakeport-duckdb-'));
    await generateSampleLakehouse({
      outDir: path.join(tmp, 'lakehouse'),
      asOf: '2026-11-25',
      scale: 0.01,
    });
    // One table with nested types, written by DuckDB itself.
    const nested = path.join(tmp, 'lakehouse/customers/raw/nested_profiles');
    await fs.mkdir(nested, { recursive: true });
    const writer = await (await DuckDBInstance.create(':memory:')).connect();
    await writer.run(
      `COPY (SELECT struct_pack(city := 'Lisbon', zip := 1000) AS address, [1, 2] AS ids) TO '${nested}/data_0.parquet' (FORMAT parquet)`,
    );
    writer.closeSync();
    engine = await DuckDBEngine.create({
      root: path.join(tmp, 'lakehouse'),
      namespace: 'lakeport',
    });
  }, 60_000);

  afterAll(async () => {
    engine?.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('lists every table as <domain>.<layer>.<table>', async () => {
    const tables = await engine.listTables();
    expect(tables).toHaveLength(16);
    expect(tables).toContainEqual({
      namespace: 'lakeport',
      name: 'commerce.curated.orders',
    });
    expect(await engine.listNamespaces()).toContain('risk.feature');
  });

  it('describes a Hive-partitioned table: columns, rows, files, partitions', async () => {
    const table = await engine.describeTable('commerce.raw.order_events');
    expect(table!.columns.map(c => c.name)).toContain('order_date');
    expect(table!.columns.find(c => c.name === 'amount')).toEqual({
      name: 'amount',
      type: 'DOUBLE',
      nullable: true,
    });
    expect(table!.partitions).toEqual({
      columns: ['order_date'],
      count: 92,
      latest: 'order_date=2026-11-25',
    });
    expect(table!.fileCount).toBe(92);
    expect(table!.rowCount).toBeGreaterThan(10_000);
    expect(table!.sizeBytes).toBeGreaterThan(0);
    expect(table!.lastModified!.getTime()).toBeGreaterThan(0);
    expect(
      await engine.describeTable('commerce.curated.nothing'),
    ).toBeUndefined();
  });

  it('reads sample rows with JSON-safe values', async () => {
    const sample = await engine.sampleRows(
      'customers.curated.customers',
      limits,
    );
    expect(sample.rows).toHaveLength(5);
    expect(sample.truncated).toBe(true);
    expect(typeof sample.rows[0].customer_id).toBe('number');
    expect(sample.rows[0].email).toMatch(/@/);
  });

  it('describes nested types with their children', async () => {
    const table = await engine.describeTable('customers.raw.nested_profiles');
    expect(table!.columns).toEqual([
      {
        name: 'address',
        type: 'STRUCT("city" VARCHAR, "zip" INTEGER)',
        nullable: true,
        children: [
          { name: 'city', type: 'VARCHAR', nullable: true },
          { name: 'zip', type: 'INTEGER', nullable: true },
        ],
      },
      {
        name: 'ids',
        type: 'INTEGER[]',
        nullable: true,
        children: [{ name: 'element', type: 'INTEGER', nullable: true }],
      },
    ]);
  });

  it('runs read-only SELECTs over the tables with a row limit', async () => {
    const result = await engine.query(
      'SELECT status, count(*) AS n FROM commerce.curated.orders GROUP BY status ORDER BY status',
      { limit: 2, timeoutMs: 10_000 },
    );
    expect(result.rows).toHaveLength(2);
    expect(result.truncated).toBe(true);
  });

  it.each([
    ['DROP VIEW commerce.curated.orders', /Only SELECT/],
    ['SELECT 1; SELECT 2', /Exactly one statement/],
    ["COPY (SELECT 1) TO '/tmp/x.csv'", /disabled|Only SELECT/],
    ["SELECT * FROM read_csv('/etc/passwd')", /Permission|disabled/],
    ['SET enable_external_access = true', /Only SELECT/],
  ])('refuses %s', async (sql, message) => {
    await expect(engine.query(sql, limits)).rejects.toThrow(message);
  });

  it('cancels a runaway query at its timeout without blocking the event loop', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    const started = Date.now();
    await expect(
      engine.query('SELECT count(*) FROM range(100000000000) a', {
        limit: 1,
        timeoutMs: 500,
      }),
    ).rejects.toThrow('cancelled after 500 ms');
    clearInterval(ticker);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(ticks).toBeGreaterThan(10);
  });

  it('names the lakehouse tables a user query reads, and refuses files and unknown names', async () => {
    expect(
      await engine.tablesOf(
        `WITH recent AS (SELECT * FROM commerce.curated.orders)
         SELECT c.email, count(*) FROM customers.curated.customers c
         JOIN recent r ON r.customer_id = c.customer_id
         WHERE c.customer_id IN (SELECT customer_id FROM risk.curated.transactions)
         GROUP BY c.email`,
      ),
    ).toEqual([
      'commerce.curated.orders',
      'customers.curated.customers',
      'risk.curated.transactions',
    ]);
    // Table functions would read the files around the views (and masking).
    const lakehouseFile = path.join(
      tmp,
      'lakehouse/customers/curated/customers/*.parquet',
    );
    await expect(
      engine.tablesOf(`SELECT * FROM read_parquet('${lakehouseFile}')`),
    ).rejects.toThrow(/Table functions are not allowed \(read_parquet\)/);
    await expect(
      engine.tablesOf(
        `SELECT (SELECT count(*) FROM range(3)) FROM commerce.curated.orders`,
      ),
    ).rejects.toThrow(/Table functions are not allowed/);
    await expect(engine.tablesOf('SELECT * FROM orders')).rejects.toThrow(
      /Unknown table "orders"/,
    );
    await expect(
      engine.tablesOf('DELETE FROM commerce.curated.orders'),
    ).rejects.toThrow(/Only SELECT/);
  });

  it('masks columns at the source, so nothing computed from them sees the values', async () => {
    const mask = {
      columns: { 'customers.curated.customers': ['email'] },
      value: '••••••',
    };
    const rows = await engine.query(
      `SELECT customers.email, upper(c2.email) AS shout, count(*) OVER () AS n
       FROM customers.curated.customers JOIN customers.curated.customers c2 USING (customer_id)
       WHERE customers.email IS NOT NULL LIMIT 3`,
      { ...limits, mask },
    );
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const row of rows.rows) {
      expect(row.email).toBe('••••••');
      expect(row.shout).toBe('••••••');
    }
    // Filtering or counting on a masked column learns nothing.
    const probe = await engine.query(
      `SELECT count(DISTINCT email) AS distinct_emails,
              count(*) FILTER (WHERE email LIKE '%@%') AS with_at
       FROM customers.curated.customers`,
      { ...limits, mask },
    );
    expect(probe.rows[0]).toEqual({ distinct_emails: 1, with_at: 0 });
    // Unmasked, the same query sees the values.
    const clear = await engine.query(
      "SELECT count(*) FILTER (WHERE email LIKE '%@%') AS with_at FROM customers.curated.customers",
      limits,
    );
    expect(Number(clear.rows[0].with_at)).toBeGreaterThan(0);
  });

  it('stops a query when its caller goes away', async () => {
    const controller = new AbortController();
    const running = engine.query(
      'SELECT count(*) FROM commerce.curated.orders a, commerce.curated.orders b, commerce.curated.orders c',
      { limit: 1, timeoutMs: 60_000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 200);
    await expect(running).rejects.toMatchObject({ reason: 'cancelled' });
  });

  it('reads a table another replica synced, which this process never listed', async () => {
    // The sync ran elsewhere: this engine's DuckDB has no view of it yet.
    const other = await DuckDBEngine.create({
      root: path.join(tmp, 'lakehouse'),
      namespace: 'lakeport',
    });
    try {
      await other.listTables();
      const dir = path.join(tmp, 'lakehouse/ops/raw/new_table');
      await fs.mkdir(dir, { recursive: true });
      await fs.copyFile(
        path.join(tmp, 'lakehouse/commerce/curated/products/data_0.parquet'),
        path.join(dir, 'data_0.parquet'),
      );
      const counted = await other.query(
        'SELECT count(*) AS n FROM ops.raw.new_table',
        limits,
      );
      expect(Number(counted.rows[0].n)).toBeGreaterThan(0);
      expect(await other.tablesOf('SELECT * FROM ops.raw.new_table')).toEqual([
        'ops.raw.new_table',
      ]);
      // A name that is not a table stays unknown (a layer folder is not one).
      await expect(other.tablesOf('SELECT * FROM ops.raw')).rejects.toThrow(
        'Unknown table',
      );
    } finally {
      other.close();
      await fs.rm(path.join(tmp, 'lakehouse/ops'), {
        recursive: true,
        force: true,
      });
    }
  });
});
