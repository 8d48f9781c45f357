import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  LakehouseManifest,
  readManifest,
  SAMPLE_LINEAGE_FILE,
} from '@lakeport/sample-lakehouse';
import {
  EXTERNAL_TOOL_TEST_TIMEOUT_MS,
  EXTERNAL_TOOL_TIMEOUT_MS,
  lakeportTestDatabaseIds,
} from '@lakeport/test-utils';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startLakehouseTestBackend } from '../__testUtils__/lakehouseTestBackend';
import {
  sampleLakehouseForTest,
  waitFor,
} from '../__testUtils__/lakehouseTests';

const exec = promisify(execFile);
const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const repo = path.resolve(__dirname, '../../../..');
const tools = path.join(repo, 'python/lakeport_tools');
const python =
  process.env.LAKEPORT_PYTHON ?? path.join(repo, '.venv/bin/python');
const sodaPython =
  process.env.LAKEPORT_SODA_PYTHON ?? path.join(repo, '.venv-soda/bin/python');
const enc = encodeURIComponent;

const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';
const ORDERS = 'dataset:lakeport:commerce.curated.orders';
const PRODUCTS = 'dataset:lakeport:commerce.curated.products';

// Who owns what: Olga is in customers-data (owner of customers), Ana is not;
// Marcus is a platform admin. The real Lakeport policy decides.
const OWNERSHIP: Record<string, string[]> = {
  'user:default/marcus': ['user:default/marcus', 'group:default/data-platform'],
  'user:default/olga': ['user:default/olga', 'group:default/customers-data'],
  'user:default/ana': ['user:default/ana', 'group:default/data-science'],
  'user:default/carl': ['user:default/carl', 'group:default/commerce-data'],
};

async function toolsInstalled(...binaries: string[]): Promise<boolean> {
  try {
    for (const binary of binaries) await fs.access(binary);
    return true;
  } catch {
    if (process.env.LAKEPORT_REQUIRE_PYTHON)
      throw new Error(`No Python tools at ${binaries}: run scripts/test`);
    return false;
  }
}

describe.each(databases.eachSupportedId())('quality on %s', databaseId => {
  let tmp: string;
  let root: string;
  let server: any;
  let manifest: LakehouseManifest;
  const sent: NotificationSendOptions[] = [];
  const as = (user: string) => ({
    Authorization: mockCredentials.user.header(`user:default/${user}`),
  });
  const get = (url: string, user = 'ana') =>
    request(server).get(url).set(as(user));
  const scorecard = async (id: string, user = 'ana') => {
    const res = await get(`/api/lakehouse/quality/scorecards/${enc(id)}`, user);
    expect(res.status).toBe(200);
    return res.body;
  };
  const check = (card: any, id: string) => {
    const found = card.checks.find((c: any) => c.checkId === id);
    if (!found)
      throw new Error(
        `no check ${id} in ${card.checks.map((c: any) => c.checkId)}`,
      );
    return found;
  };

  beforeAll(async () => {
    ({ tmp, root } = await sampleLakehouseForTest('lakeport-quality-'));
    manifest = (await readManifest(root))!;
    // The repo's contracts, plus one broken rule that must not stop the others.
    const contracts = path.join(tmp, 'contracts');
    await fs.cp(path.join(repo, 'catalog-info/contracts'), contracts, {
      recursive: true,
    });
    const products = path.join(
      contracts,
      'commerce/curated.products.odcs.yaml',
    );
    await fs.writeFile(
      products,
      (
        await fs.readFile(products, 'utf8')
      ).replace(
        '    properties:\n',
        '    quality:\n      - metric: nullValues\n      - metric: rowCount\n        mustBeGreaterThan: 0\n    properties:\n',
      ),
    );
    const knex = await databases.init(databaseId);
    ({ server } = await startLakehouseTestBackend({
      knex,
      root,
      contractsDirectory: contracts,
      ownership: OWNERSHIP,
      sent,
      lakeport: {
        lineage: { sampleEventsFile: path.join(root, SAMPLE_LINEAGE_FILE) },
      },
    }));
    const sync = await request(server)
      .post('/api/lakehouse/sync')
      .set(as('marcus'));
    if (sync.status !== 202) throw new Error(`sync: ${sync.status}`);
    // The first sync queues a run for every dataset with a contract.
    await waitFor(
      async () => {
        const res = await get(
          `/api/lakehouse/quality/scorecards/${enc(ORDERS)}`,
        );
        return res.status === 200 && res.body.lastRun?.status === 'completed'
          ? true
          : undefined;
      },
      'the first quality runs',
      120_000,
    );
    await waitFor(
      async () => {
        const cards = await Promise.all(
          [CUSTOMERS, PRODUCTS].map(id =>
            get(`/api/lakehouse/quality/scorecards/${enc(id)}`),
          ),
        );
        return cards.every(c => c.body.lastRun?.status === 'completed')
          ? true
          : undefined;
      },
      'the first runs of customers and products',
      120_000,
    );
  }, 240_000);

  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('fails the seeded defects on the right tables, with the right counts', async () => {
    const expected: Record<string, string> = {
      'customers.curated.customers/country_code': 'country_code:nullValues',
      'commerce.curated.orders/order_id': 'order_id:duplicateValues',
      'risk.curated.transactions/amount_eur': 'amount_eur:invalidValues',
      'risk.curated.transactions/risk_score': 'risk_score:invalidValues',
      'customers.raw.web_events/event_date': 'freshness',
    };
    for (const defect of manifest.defects) {
      const id = `dataset:lakeport:${defect.table}`;
      await waitFor(
        async () =>
          (await scorecard(id)).lastRun?.status === 'completed'
            ? true
            : undefined,
        `the run of ${defect.table}`,
      );
      const card = await scorecard(id);
      const failed = check(card, expected[`${defect.table}/${defect.column}`]);
      expect(failed.status).toBe('failed');
      // Stale: days behind, as hours past the end of the newest day.
      const measured =
        defect.kind === 'stale_partition'
          ? Math.ceil(failed.observed / 24)
          : failed.failingRows;
      expect(measured).toBe(defect.count);
      expect(card.health).toBe('failing');
      expect(card.score).toBeLessThan(100);
      expect(failed.pointsLost).toBeGreaterThan(0);
      expect(failed.definedIn.file).toMatch(/\.odcs\.yaml$/);
    }
    // Checks that hold on the sample pass: accepted values, references, ranges.
    const orders = await scorecard(ORDERS);
    for (const id of [
      'status:invalidValues',
      'customer_id:referentialIntegrity',
      'total_amount:invalidValues',
      'table:rowCount',
      'schema',
    ]) {
      expect(check(orders, id).status).toBe('passed');
    }
    // The sample of a duplicate key shows the rows that share a key.
    const duplicates = check(orders, 'order_id:duplicateValues').sample.rows;
    const ids = duplicates.map((r: any) => r.order_id);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ids).size).toBeLessThan(ids.length);
    // The grade explains itself: 100 minus the points the failed checks cost.
    const lost = orders.checks.reduce(
      (sum: number, c: any) => sum + c.pointsLost,
      0,
    );
    expect(Math.abs(100 - lost - orders.score)).toBeLessThan(0.5);
    expect(orders.grade).toMatch(/^[A-F]$/);
    expect(
      orders.dimensions.find((d: any) => d.dimension === 'uniqueness').failed,
    ).toBe(1);
  });

  it('keeps offending rows, masked like the preview for whoever looks', async () => {
    const forAna = check(
      await scorecard(CUSTOMERS, 'ana'),
      'email:invalidValues',
    );
    expect(forAna.status).toBe('passed');
    const nulls = check(
      await scorecard(CUSTOMERS, 'ana'),
      'country_code:nullValues',
    );
    expect(nulls.sample.rows.length).toBeGreaterThan(0);
    for (const row of nulls.sample.rows) {
      expect(row.country_code).toBeNull();
      expect(row.email).toBe('••••••');
    }
    // Olga is in the owner group: she sees the values.
    const forOlga = check(
      await scorecard(CUSTOMERS, 'olga'),
      'country_code:nullValues',
    );
    expect(forOlga.sample.rows[0].email).toMatch(/@/);
  });

  it('reports a broken rule with file and field and still runs the others', async () => {
    const products = await scorecard(PRODUCTS);
    const broken = products.checks.find(
      (c: any) => c.definedIn?.field === 'schema[0].quality[0]',
    );
    expect(broken.status).toBe('error');
    expect(broken.message).toContain('belongs on a property');
    expect(broken.definedIn.file).toBe('commerce/curated.products.odcs.yaml');
    expect(check(products, 'table:rowCount').status).toBe('passed');
    const detail = await get(`/api/lakehouse/datasets/${enc(PRODUCTS)}`);
    expect(detail.body.contractProblems).toContainEqual(
      expect.objectContaining({
        file: 'commerce/curated.products.odcs.yaml',
        field: 'schema[0].quality[0]',
      }),
    );
  });

  it('sends one summarised notification per failing dataset, to owners downstream too', async () => {
    const forCustomers = sent.filter(n =>
      n.payload.title.startsWith('customers.curated.customers'),
    );
    expect(forCustomers).toHaveLength(1);
    const [notification] = forCustomers;
    expect(notification.payload.title).toMatch(/is failing \d+ quality check/);
    expect(notification.payload.description).toContain('country_code');
    expect(notification.payload.link).toBe(
      '/catalog/default/resource/customers-curated-customers/quality',
    );
    const recipients = (notification.recipients as any).entityRef;
    expect(recipients).toContain('group:default/customers-data');
    // Owners of the datasets built from customers (sample lineage) are told too.
    const impact = await get(
      `/api/lakehouse/lineage/impact?node=${enc(CUSTOMERS)}`,
    );
    const downstream = impact.body.owners
      .map((o: any) => o.owner)
      .filter((o: string) => o.startsWith('group:'));
    expect(downstream.length).toBeGreaterThan(0);
    for (const owner of downstream) expect(recipients).toContain(owner);
    // Datasets that pass send nothing.
    expect(
      sent.some(n => n.payload.title.startsWith('commerce.curated.products')),
    ).toBe(false);
  });

  it('runs on demand for owners with progress, and not for others', async () => {
    const denied = await request(server)
      .post('/api/lakehouse/quality/runs')
      .set(as('ana'))
      .send({ datasetId: CUSTOMERS });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('lakehouse.quality.run');

    const missing = await request(server)
      .post('/api/lakehouse/quality/runs')
      .set(as('olga'))
      .send({});
    expect(missing.status).toBe(400);

    const before = sent.length;
    const started = await request(server)
      .post('/api/lakehouse/quality/runs')
      .set(as('olga'))
      .send({ datasetId: CUSTOMERS });
    expect(started.status).toBe(202);
    const run = await waitFor(async () => {
      const res = await get(`/api/lakehouse/quality/runs/${started.body.id}`);
      return res.body.status === 'completed' ? res.body : undefined;
    }, 'the manual run');
    expect(run.progress).toBe(1);
    expect(run.trigger).toBe('manual');
    expect(run.requestedBy).toBe('user:default/olga');
    expect(
      run.results.find((r: any) => r.checkId === 'country_code:nullValues')
        .status,
    ).toBe('failed');
    // Still failing: no second notification.
    expect(sent.length).toBe(before);
    const card = await scorecard(CUSTOMERS);
    expect(card.history.length).toBeGreaterThanOrEqual(2);
    expect(check(card, 'country_code:nullValues').history.length).toBe(
      card.history.length,
    );
    expect(card.schedule.cron).toBe('0 */6 * * *');
    expect(new Date(card.schedule.nextRunAt).getTime()).toBeGreaterThan(
      Date.now(),
    );
    const unknown = await get('/api/lakehouse/quality/runs/nope');
    expect(unknown.status).toBe(404);
  });

  it('lets owners acknowledge a failing check with a comment', async () => {
    const path_ = `/api/lakehouse/quality/scorecards/${enc(
      CUSTOMERS,
    )}/checks/${enc('country_code:nullValues')}/acknowledgements`;
    const denied = await request(server)
      .post(path_)
      .set(as('ana'))
      .send({ comment: 'not mine' });
    expect(denied.status).toBe(403);
    const empty = await request(server)
      .post(path_)
      .set(as('olga'))
      .send({ comment: ' ' });
    expect(empty.status).toBe(400);
    const ok = await request(server)
      .post(path_)
      .set(as('olga'))
      .send({ comment: 'CRM fix ships Monday (TICKET-42)' });
    expect(ok.status).toBe(201);
    const acknowledged = check(
      await scorecard(CUSTOMERS),
      'country_code:nullValues',
    );
    expect(acknowledged.acknowledgement).toMatchObject({
      actor: 'user:default/olga',
      comment: 'CRM fix ships Monday (TICKET-42)',
    });
    const passing = await request(server)
      .post(
        `/api/lakehouse/quality/scorecards/${enc(CUSTOMERS)}/checks/${enc(
          'customer_id:duplicateValues',
        )}/acknowledgements`,
      )
      .set(as('olga'))
      .send({ comment: 'x' });
    expect(passing.status).toBe(409);
  });

  it('queues a run when a job reports (COMPLETE) that it wrote a dataset', async () => {
    const event = {
      eventType: 'COMPLETE',
      eventTime: new Date().toISOString(),
      producer: 'https://lakeport.dev/tests',
      schemaURL:
        'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: '7d0b3f8e-2a4c-4f7e-9a51-0c2b8e6f1d33' },
      job: { namespace: 'tests', name: 'rebuild_orders' },
      inputs: [],
      outputs: [{ namespace: 'lakeport', name: 'commerce.curated.orders' }],
    };
    const posted = await request(server)
      .post('/api/lakehouse/lineage/api/v1/lineage')
      .set({ Authorization: mockCredentials.service.header() })
      .send(event);
    expect(posted.status).toBe(201);
    const run = await waitFor(async () => {
      const card = await scorecard(ORDERS);
      return card.lastRun?.trigger === 'lineage' &&
        card.lastRun.status === 'completed'
        ? card.lastRun
        : undefined;
    }, 'a lineage-triggered run');
    expect(run.source).toBe('lakeport');
  });

  it('puts the grade in the Datasets list as a column and a facet', async () => {
    const list = await get('/api/lakehouse/datasets?limit=100');
    const orders = list.body.items.find((d: any) => d.id === ORDERS);
    expect(orders.qualityGrade).toMatch(/^[A-F]$/);
    expect(list.body.facets.grade.length).toBeGreaterThan(0);
    const grade = orders.qualityGrade;
    const filtered = await get(`/api/lakehouse/datasets?grade=${grade}`);
    expect(
      filtered.body.items.every((d: any) => d.qualityGrade === grade),
    ).toBe(true);
    const bad = await get('/api/lakehouse/datasets?grade=Z');
    expect(bad.status).toBe(400);
    const worst = await get(
      '/api/lakehouse/datasets?sort=qualityScore&order=asc&limit=3',
    );
    const scores = worst.body.items.map((d: any) => d.qualityScore);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
  });

  it("lists an owner's datasets worst first", async () => {
    const res = await get('/api/lakehouse/quality/health', 'olga');
    expect(res.status).toBe(200);
    const items = res.body.items;
    expect(items.length).toBeGreaterThan(1);
    expect(
      items.every((d: any) => d.owner === 'group:default/customers-data'),
    ).toBe(true);
    expect(items[0].health).toBe('failing');
    const order = { failing: 0, passing: 1, unknown: 2 } as Record<
      string,
      number
    >;
    const ranks = items.map((d: any) => order[d.health]);
    expect(ranks).toEqual([...ranks].sort());
    const anonymous = await request(server).get(
      '/api/lakehouse/quality/health',
    );
    expect(anonymous.status).toBe(401);
  });

  it('rejects bad imports with a clear error and writes nothing', async () => {
    const post = (body: unknown) =>
      request(server)
        .post('/api/lakehouse/quality/results')
        .set(as('olga'))
        .send(body as object);
    const before = (await scorecard(CUSTOMERS)).history.length;
    const wrongFormat = await post({ format: 'dbt', result: {} });
    expect(wrongFormat.status).toBe(400);
    expect(wrongFormat.body.error.message).toContain('format');
    const broken = await post({
      datasetId: CUSTOMERS,
      format: 'great_expectations',
      result: { results: [{ success: true, expectation_config: {} }] },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toContain(
      'result.results[0].expectation_config.type',
    );
    expect((await scorecard(CUSTOMERS)).history.length).toBe(before);
    const anonymous = await request(server)
      .post('/api/lakehouse/quality/results')
      .send({ format: 'soda', result: { checks: [] } });
    expect(anonymous.status).toBe(401);
  });

  it(
    'imports a real Great Expectations result into the same scorecard',
    async () => {
      if (!(await toolsInstalled(python))) return;
      const out = path.join(tmp, 'ge.json');
      await exec(
        python,
        [
          path.join(tools, 'validate_with_great_expectations.py'),
          '--lakehouse-root',
          root,
          '--table',
          'customers.curated.customers',
          '--suite',
          'customers_suite',
          '--expectations',
          JSON.stringify([
            {
              type: 'expect_column_values_to_not_be_null',
              kwargs: { column: 'country_code' },
            },
            {
              type: 'expect_column_values_to_be_in_set',
              kwargs: {
                column: 'segment',
                value_set: ['consumer', 'small_business', 'enterprise'],
              },
            },
          ]),
          '--out',
          out,
        ],
        { timeout: EXTERNAL_TOOL_TIMEOUT_MS },
      );
      const result = JSON.parse(await fs.readFile(out, 'utf8'));
      const before = await scorecard(CUSTOMERS);
      // No datasetId: the result names its data asset.
      const imported = await request(server)
        .post('/api/lakehouse/quality/results')
        .set(as('olga'))
        .send({ format: 'great_expectations', result });
      expect(imported.status).toBe(201);
      expect(imported.body).toMatchObject({ datasetId: CUSTOMERS, checks: 2 });
      const card = await scorecard(CUSTOMERS);
      const ge = card.checks.filter(
        (c: any) => c.source === 'great_expectations',
      );
      expect(ge).toHaveLength(2);
      const nulls = ge.find((c: any) => c.name.startsWith('country_code'));
      expect(nulls.status).toBe('failed');
      expect(nulls.dimension).toBe('completeness');
      expect(nulls.failingRows).toBe(
        manifest.defects.find(d => d.column === 'country_code')!.count,
      );
      expect(ge.find((c: any) => c.name.startsWith('segment')).status).toBe(
        'passed',
      );
      // Lakeport's own checks stay on the card beside the imported ones, samples too.
      const own = check(card, 'country_code:nullValues');
      expect(own.status).toBe('failed');
      expect(own.sample.rows.length).toBeGreaterThan(0);
      expect(card.history.length).toBe(before.history.length + 1);
      expect(card.history.at(-1).source).toBe('great_expectations');
    },
    EXTERNAL_TOOL_TEST_TIMEOUT_MS,
  );

  it(
    'imports a real Soda scan result',
    async () => {
      if (!(await toolsInstalled(sodaPython))) return;
      const checks = path.join(tmp, 'orders.sodacl.yml');
      await fs.writeFile(
        checks,
        [
          'checks for orders:',
          '  - duplicate_count(order_id) = 0',
          '  - missing_count(customer_id) = 0',
          '  - row_count > 0',
          '',
        ].join('\n'),
      );
      const out = path.join(tmp, 'soda.json');
      await exec(
        sodaPython,
        [
          path.join(tools, 'scan_with_soda.py'),
          '--lakehouse-root',
          root,
          '--table',
          'commerce.curated.orders',
          '--scan-name',
          'orders_daily',
          '--checks',
          checks,
          '--out',
          out,
        ],
        { timeout: EXTERNAL_TOOL_TIMEOUT_MS },
      );
      const imported = await request(server)
        .post('/api/lakehouse/quality/results')
        .set(as('carl'))
        .send({
          format: 'soda',
          result: JSON.parse(await fs.readFile(out, 'utf8')),
        });
      expect(imported.status).toBe(201);
      expect(imported.body.datasetId).toBe(ORDERS);
      const card = await scorecard(ORDERS);
      const soda = card.checks.filter((c: any) => c.source === 'soda');
      expect(soda).toHaveLength(3);
      const duplicates = soda.find((c: any) =>
        c.name.includes('duplicate_count'),
      );
      expect(duplicates.status).toBe('failed');
      expect(duplicates.dimension).toBe('uniqueness');
      expect(soda.filter((c: any) => c.status === 'passed')).toHaveLength(2);
    },
    EXTERNAL_TOOL_TEST_TIMEOUT_MS,
  );
});
