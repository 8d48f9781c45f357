import { TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { MASKED_VALUE } from '@lakeport/plugin-lakehouse-common';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import { tableFromIPC } from 'apache-arrow';
import { Knex } from 'knex';
import fs from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { startLakehouseTestBackend } from '../__testUtils__/lakehouseTestBackend';
import {
  asUser,
  sampleLakehouseForTest,
  syncAndWaitFor,
  waitFor,
} from '../__testUtils__/lakehouseTests';

const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
jest.setTimeout(60_000);
const repo = path.resolve(__dirname, '../../../..');
const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';
const OWNERSHIP: Record<string, string[]> = {
  'user:default/ana': ['user:default/ana', 'group:default/data-science'],
  'user:default/chloe': ['user:default/chloe', 'group:default/customers-data'],
  'user:default/sofia': ['user:default/sofia', 'group:default/data-governance'],
  'user:default/marcus': ['user:default/marcus', 'group:default/data-platform'],
};
/** A query that runs for minutes: a three-way cross join of the orders. */
const SLOW =
  'SELECT count(*) AS n FROM commerce.curated.orders a, commerce.curated.orders b, commerce.curated.orders c';

describe.each(databases.eachSupportedId())('query API on %s', databaseId => {
  let tmp: string;
  let server: any;
  let knex: Knex;
  const sent: NotificationSendOptions[] = [];
  const query = (user: string, body: object) =>
    request(server).post('/api/lakehouse/query').set(asUser(user)).send(body);
  const audit = () => knex('lakehouse_query_audit').orderBy('id');

  beforeAll(async () => {
    let root: string;
    ({ tmp, root } = await sampleLakehouseForTest('lakeport-query-'));
    knex = await databases.init(databaseId);
    ({ server } = await startLakehouseTestBackend({
      knex,
      root,
      contractsDirectory: path.join(repo, 'catalog-info/contracts'),
      ownership: OWNERSHIP,
      sent,
      lakeport: { query: { maxRows: 500, timeoutSeconds: 2 } },
    }));
    await syncAndWaitFor(server, CUSTOMERS, 60_000);
  }, 300_000);

  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('masks what the caller may not see, as the preview does, wherever the column goes', async () => {
    const sql = `SELECT customer_id, email, lower(email) AS e, segment
      FROM customers.curated.customers WHERE email IS NOT NULL ORDER BY customer_id`;
    const ana = await query('ana', { sql, limit: 5 });
    expect(ana.status).toBe(200);
    expect(ana.body.rows).toHaveLength(5);
    expect(ana.body.truncated).toBe(true);
    for (const row of ana.body.rows) {
      expect(row.email).toBe(MASKED_VALUE);
      expect(row.e).toBe(MASKED_VALUE);
    }
    expect(ana.body.datasets).toEqual([CUSTOMERS]);
    expect(ana.body.masked[0].columns).toEqual(
      expect.arrayContaining(['email', 'phone', 'date_of_birth']),
    );
    // The owner group sees the values.
    const chloe = await query('chloe', { sql, limit: 5 });
    expect(chloe.body.rows[0].email).toMatch(/@/);
    expect(chloe.body.masked).toEqual([]);
    // Counting or filtering on a masked column learns nothing.
    const probe = await query('ana', {
      sql: `SELECT count(*) AS n FROM customers.curated.customers WHERE email LIKE '%@%'`,
    });
    expect(Number(probe.body.rows[0].n)).toBe(0);
  });

  it('unmasks the columns an approved grant covers, and only those', async () => {
    const asked = await request(server)
      .post('/api/lakehouse/access/requests')
      .set(asUser('ana'))
      .send({
        datasetId: CUSTOMERS,
        columns: ['email'],
        purpose: 'Churn model features',
        justification: 'Email domains for the churn model (JIRA-7)',
        durationDays: 30,
      });
    expect(asked.status).toBe(201);
    for (const reviewer of ['chloe', 'sofia'])
      expect(
        (
          await request(server)
            .post(`/api/lakehouse/access/requests/${asked.body.id}/decision`)
            .set(asUser(reviewer))
            .send({ decision: 'approve', comment: 'ok' })
        ).status,
      ).toBe(200);
    const row = await waitFor(async () => {
      const res = await query('ana', {
        sql: 'SELECT email, phone FROM customers.curated.customers WHERE email IS NOT NULL AND phone IS NOT NULL LIMIT 1',
      });
      return res.body.rows?.[0]?.email !== MASKED_VALUE
        ? res.body.rows[0]
        : undefined;
    }, 'the grant');
    expect(row.email).toMatch(/@/);
    expect(row.phone).toBe(MASKED_VALUE);
  });

  it('answers Arrow IPC when asked for it', async () => {
    const res = await request(server)
      .post('/api/lakehouse/query')
      .set(asUser('ana'))
      .set('Accept', 'application/vnd.apache.arrow.stream')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .send({
        sql: 'SELECT customer_id, phone FROM customers.curated.customers WHERE phone IS NOT NULL ORDER BY customer_id LIMIT 3',
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain(
      'application/vnd.apache.arrow.stream',
    );
    expect(JSON.parse(res.headers['x-lakeport-datasets'])).toEqual([CUSTOMERS]);
    const table = tableFromIPC(res.body as Buffer);
    expect(table.numRows).toBe(3);
    expect(table.schema.fields.map(f => f.name)).toEqual([
      'customer_id',
      'phone',
    ]);
    expect(table.getChild('phone')!.get(0)).toBe(MASKED_VALUE);
    // Typed by the engine's columns: the id is an integer, not a float.
    expect(String(table.schema.fields[0].type)).toBe('Int64');
    expect(typeof table.getChild('customer_id')!.get(0)).toBe('bigint');
  });

  it('refuses what is not one SELECT over datasets the caller may read, naming the problem', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ sql: 'DELETE FROM customers.curated.customers' }, /Only SELECT/],
      [{ sql: 'SELECT 1; SELECT 2' }, /Exactly one statement/],
      [
        {
          sql: "SELECT * FROM read_parquet('customers/curated/customers/*.parquet')",
        },
        /Table functions are not allowed \(read_parquet\)/,
      ],
      [{ sql: 'SELECT 1 AS one' }, /reads no lakehouse dataset/],
      [{ sql: 'SELECT * FROM nope.nope.nope' }, /nope/],
      [{ sql: '' }, /sql is required/],
      [
        { sql: 'SELECT 1 FROM commerce.curated.orders', limit: 501 },
        /limit must be an integer from 1 to 500/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await query('ana', body);
      expect({
        body,
        status: res.status,
        message: res.body.error?.message,
      }).toEqual({
        body,
        status: 400,
        message: expect.stringMatching(message),
      });
    }
    // Signed out: no query at all.
    expect(
      (
        await request(server)
          .post('/api/lakehouse/query')
          .send({ sql: 'SELECT 1' })
      ).status,
    ).toBe(401);
  });

  it('stops a query at its timeout, and when the client goes away', async () => {
    const timedOut = await query('ana', { sql: SLOW });
    expect(timedOut.status).toBe(400);
    expect(timedOut.body.error.message).toMatch(/cancelled after 2000 ms/);

    // A client that hangs up: the query is cancelled, not left running.
    const { port } = (server as { address(): AddressInfo }).address();
    const before = (await audit()).length;
    await new Promise<void>(resolve => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/lakehouse/query',
        headers: { 'content-type': 'application/json', ...asUser('ana') },
      });
      req.on('error', () => resolve());
      req.end(JSON.stringify({ sql: SLOW }));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 300);
    });
    const row = await waitFor(async () => {
      const rows = await audit();
      return rows.length > before ? rows.at(-1) : undefined;
    }, 'the audit of the abandoned query');
    expect(row.status).toBe('cancelled');
    expect(Number(row.duration_ms)).toBeLessThan(2000);
  });

  it('audits every query: who, which datasets, which columns were masked, how it ended', async () => {
    const rows = await audit();
    const first = rows[0];
    expect(first).toMatchObject({
      actor: 'user:default/ana',
      status: 'ok',
    });
    expect(JSON.parse(first.datasets)).toEqual([CUSTOMERS]);
    expect(JSON.parse(first.masked)[0]).toMatchObject({
      dataset: CUSTOMERS,
      columns: expect.arrayContaining(['email']),
    });
    expect(rows.map(r => r.status)).toEqual(
      expect.arrayContaining([
        'ok',
        'not_read_only',
        'invalid',
        'timeout',
        'cancelled',
      ]),
    );
  });

  it('validates a contract with the validator the sync uses', async () => {
    const check = (content: string) =>
      request(server)
        .post('/api/lakehouse/contracts/validate')
        .set(asUser('ana'))
        .send({ file: 'x.odcs.yaml', content });
    const good = await check(
      await fs.readFile(
        path.join(
          repo,
          'catalog-info/contracts/risk/raw.chargebacks.odcs.yaml',
        ),
        'utf8',
      ),
    );
    expect(good.body).toEqual({
      valid: true,
      table: 'risk.raw.chargebacks',
      problems: [],
    });
    const bad = await check('kind: Nope\n');
    expect(bad.body.valid).toBe(false);
    expect(bad.body.problems.map((p: any) => p.field)).toEqual(
      expect.arrayContaining(['kind', 'apiVersion']),
    );
    expect((await check('a: [b')).body.problems[0].message).toMatch(/not YAML/);
  });
});
