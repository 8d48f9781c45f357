import { DuckDBInstance } from '@duckdb/node-api';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSampleLakehouse, LakehouseManifest } from './generate';
import { SAMPLE_LINEAGE_FILE } from './lineage';

async function digestOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, {
    recursive: true,
    withFileTypes: true,
  })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = crypto
      .createHash('sha256')
      .update(await fs.readFile(file))
      .digest('hex');
  }
  return out;
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson();
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe('sample lakehouse', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lakeport-lakehouse-'));
  });
  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  describe('at full scale', () => {
    let dir: string;
    let manifest: LakehouseManifest;
    const parquet = (table: string) =>
      `read_parquet('${dir}/${table.replace(
        /\./g,
        '/',
      )}/**/*.parquet', hive_partitioning = true)`;

    beforeAll(async () => {
      dir = path.join(tmp, 'full');
      manifest = await generateSampleLakehouse({
        outDir: dir,
        asOf: '2026-11-25',
      });
    }, 120_000);

    it('has 12+ tables in raw, curated and feature layers of the sample domains', () => {
      const names = manifest.tables.map(t => t.name);
      expect(names.length).toBeGreaterThanOrEqual(12);
      for (const domain of ['customers', 'commerce', 'risk']) {
        for (const layer of ['raw', 'curated', 'feature']) {
          expect(names.some(n => n.startsWith(`${domain}.${layer}.`))).toBe(
            true,
          );
        }
      }
      const largest = Math.max(...manifest.tables.map(t => t.rows));
      expect(largest).toBeGreaterThanOrEqual(1_000_000);
    });

    it('writes real Parquet whose row counts match the manifest, Hive-partitioned where declared', async () => {
      for (const table of manifest.tables) {
        const [{ n }] = await query(
          `SELECT count(*)::INTEGER AS n FROM ${parquet(table.name)}`,
        );
        expect({ table: table.name, rows: n }).toEqual({
          table: table.name,
          rows: table.rows,
        });
      }
      const partitioned = manifest.tables.filter(t => t.partitionBy);
      expect(partitioned.length).toBeGreaterThanOrEqual(3);
      const days = await fs.readdir(
        path.join(dir, 'commerce/raw/order_events'),
      );
      expect(days).toHaveLength(92);
      expect(days[0]).toMatch(/^order_date=2026-08-26$/);
    });

    it('holds PII columns: email, phone, date of birth, address', async () => {
      const [row] = await query(
        `SELECT email, phone, date_of_birth::VARCHAR AS dob, address FROM ${parquet(
          'customers.curated.customers',
        )} WHERE email IS NOT NULL LIMIT 1`,
      );
      expect(row.email).toMatch(/^[a-z]+\.[a-z]+\d+@[a-z.]+$/);
      expect(row.phone).toMatch(/^\+\d+ \d{9}$/);
      expect(row.dob).toMatch(/^(19[5-9]\d)-\d\d-\d\d$/);
      expect(row.address).toMatch(/^\d+ .+, .+ .+$/);
    });

    it('contains the seeded defects, found by querying the Parquet files', async () => {
      const [nulls] = await query(
        `SELECT count(*)::INTEGER AS n FROM ${parquet(
          'customers.curated.customers',
        )} WHERE country_code IS NULL`,
      );
      const [dups] = await query(
        `SELECT (count(*) - count(DISTINCT order_id))::INTEGER AS n FROM ${parquet(
          'commerce.curated.orders',
        )}`,
      );
      const [stale] = await query(
        `SELECT (DATE '2026-11-25' - max(event_date))::INTEGER AS n FROM ${parquet(
          'customers.raw.web_events',
        )}`,
      );
      const [fresh] = await query(
        `SELECT (DATE '2026-11-25' - max(order_date))::INTEGER AS n FROM ${parquet(
          'commerce.raw.order_events',
        )}`,
      );
      const [negative] = await query(
        `SELECT count(*)::INTEGER AS n FROM ${parquet(
          'risk.curated.transactions',
        )} WHERE amount_eur < 0`,
      );
      const [scores] = await query(
        `SELECT count(*)::INTEGER AS n FROM ${parquet(
          'risk.curated.transactions',
        )} WHERE risk_score > 1`,
      );
      expect(nulls.n).toBeGreaterThan(100);
      expect(dups.n).toBeGreaterThan(50);
      expect(stale.n).toBe(15);
      expect(fresh.n).toBe(0);
      expect(negative.n).toBeGreaterThan(100);
      expect(scores.n).toBeGreaterThan(50);
      const byKind = Object.fromEntries(
        manifest.defects.map(d => [`${d.table}.${d.column}`, d.count]),
      );
      expect(byKind).toEqual({
        'customers.curated.customers.country_code': nulls.n,
        'commerce.curated.orders.order_id': dups.n,
        'customers.raw.web_events.event_date': stale.n,
        'risk.curated.transactions.amount_eur': negative.n,
        'risk.curated.transactions.risk_score': scores.n,
      });
    });

    it('hashes the email on the way to the feature layer', async () => {
      const [row] = await query(
        `SELECT f.email_sha256 = sha256(lower(c.email)) AS matches, f.email_sha256 AS hashed
         FROM ${parquet('customers.feature.customer_profile_features')} f
         JOIN ${parquet(
           'customers.curated.customers',
         )} c USING (customer_id) LIMIT 1`,
      );
      expect(row.matches).toBe(true);
      expect(row.hashed).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it('gives the same bytes for the same seed and different bytes for another seed', async () => {
    const options = { asOf: '2026-06-30', scale: 0.01 };
    await generateSampleLakehouse({ ...options, outDir: path.join(tmp, 'a') });
    await generateSampleLakehouse({ ...options, outDir: path.join(tmp, 'b') });
    await generateSampleLakehouse({
      ...options,
      seed: 7,
      outDir: path.join(tmp, 'c'),
    });
    // The sample lineage names the lakehouse's own folder (a Spark-style job
    // reports its output by path): the same once the folder is set aside.
    const lineageOf = async (dir: string) =>
      (await fs.readFile(path.join(tmp, dir, SAMPLE_LINEAGE_FILE), 'utf8'))
        .split(path.join(tmp, dir))
        .join('<root>');
    expect(await lineageOf('b')).toEqual(await lineageOf('a'));
    expect(await lineageOf('a')).toContain(
      '<root>/customers/feature/customer_profile_features',
    );
    const withoutLineage = async (dir: string) => {
      const { [SAMPLE_LINEAGE_FILE]: _lineage, ...rest } = await digestOf(
        path.join(tmp, dir),
      );
      return rest;
    };
    const a = await withoutLineage('a');
    expect(Object.keys(a).length).toBeGreaterThan(100);
    expect(await withoutLineage('b')).toEqual(a);
    const c = await digestOf(path.join(tmp, 'c'));
    expect(c['customers/curated/customers/data_0.parquet']).not.toEqual(
      a['customers/curated/customers/data_0.parquet'],
    );
  }, 60_000);

  it('rejects bad parameters before touching the output folder', async () => {
    const outDir = path.join(tmp, 'kept');
    await fs.mkdir(outDir);
    await fs.writeFile(path.join(outDir, 'marker'), 'x');
    await expect(
      generateSampleLakehouse({ outDir, asOf: '25/11/2026' }),
    ).rejects.toThrow('asOf must be YYYY-MM-DD');
    expect(await fs.readFile(path.join(outDir, 'marker'), 'utf8')).toBe('x');
  });
});
