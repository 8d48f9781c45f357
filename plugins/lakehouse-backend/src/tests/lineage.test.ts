import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import duckdbModule from '@lakeport/plugin-lakehouse-backend-module-duckdb';
import { SAMPLE_LINEAGE_FILE } from '@lakeport/sample-lakehouse';
import {
  EXTERNAL_TOOL_TEST_TIMEOUT_MS,
  EXTERNAL_TOOL_TIMEOUT_MS,
  lakeportTestDatabaseIds,
} from '@lakeport/test-utils';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { lakehousePlugin } from '../plugin';
import {
  sampleLakehouseForTest,
  waitFor,
} from '../__testUtils__/lakehouseTests';
import { sampleCatalogFactory } from '../__testUtils__/sampleCatalog';

const run = promisify(execFile);
const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const repo = path.resolve(__dirname, '../../../..');
const contracts = path.join(repo, 'catalog-info/contracts');
// The repo's virtualenv (scripts/test installs python/requirements.txt).
const python =
  process.env.LAKEPORT_PYTHON ?? path.join(repo, '.venv/bin/python');

const PROFILE = 'dataset:lakeport:customers.feature.customer_profile_features';
const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';
const CRM = 'dataset:lakeport:customers.raw.crm_customers';
const PRODUCER = 'https://lakeport.dev/tests';
const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json';
const enc = encodeURIComponent;

async function hasPython(): Promise<boolean> {
  try {
    await fs.access(python);
    return true;
  } catch {
    if (process.env.LAKEPORT_REQUIRE_PYTHON) {
      throw new Error(`No Python tools at ${python}: run scripts/test`);
    }
    return false;
  }
}

function runEvent(overrides: Record<string, unknown> = {}) {
  return {
    eventType: 'COMPLETE',
    eventTime: '2026-11-20T10:00:00.000Z',
    producer: PRODUCER,
    schemaURL: `${SCHEMA_URL}#/$defs/RunEvent`,
    run: { runId: '0b8f3c1e-5a1d-4c59-9a4e-3f1c2d4e5f60' },
    job: { namespace: 'tests', name: 'copy_customers' },
    inputs: [{ namespace: 'lakeport', name: 'customers.curated.customers' }],
    outputs: [{ namespace: 'tests', name: 'customers_copy' }],
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())('lineage on %s', databaseId => {
  let tmp: string;
  let root: string;
  let server: any;
  const ana = {
    Authorization: mockCredentials.user.header('user:default/ana'),
  };
  const producer = { Authorization: mockCredentials.service.header() };
  const get = (url: string) => request(server).get(url).set(ana);
  const post = (body: unknown) =>
    request(server)
      .post('/api/lakehouse/lineage/api/v1/lineage')
      .set(producer)
      .send(body as object);

  beforeAll(async () => {
    ({ tmp, root } = await sampleLakehouseForTest('lakeport-lineage-'));
    const knex = await databases.init(databaseId);
    ({ server } = await startTestBackend({
      features: [
        lakehousePlugin,
        sampleCatalogFactory(),
        duckdbModule,
        mockServices.database.factory({ knex }),
        // Unauthenticated requests stay unauthenticated (no default user).
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            lakeport: {
              lakehouse: {
                duckdb: { root },
                contractsDirectory: contracts,
                syncIntervalMinutes: 600,
              },
              lineage: {
                sampleEventsFile: path.join(root, SAMPLE_LINEAGE_FILE),
              },
            },
          },
        }),
      ],
    }));
    // The sample lineage loads after the first sync (the test scheduler
    // runs tasks when triggered).
    const sync = await request(server).post('/api/lakehouse/sync').set(ana);
    if (sync.status !== 202)
      throw new Error(`sync not started: ${sync.status}`);
    let last: any;
    await waitFor(
      async () => {
        last = await get(`/api/lakehouse/lineage/graph?node=${enc(PROFILE)}`);
        return last.status === 200 ? last : undefined;
      },
      'the sample lineage',
      90_000,
    ).catch(e => {
      throw new Error(
        `${e.message}: ${last?.status} ${JSON.stringify(last?.body)}`,
      );
    });
  }, EXTERNAL_TOOL_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('loads the sample lineage and matches a job output named by path to its table', async () => {
    const res = await get(
      `/api/lakehouse/lineage/graph?node=${enc(
        PROFILE,
      )}&direction=upstream&depth=2`,
    );
    expect(res.status).toBe(200);
    const ids = res.body.nodes.map((n: any) => n.id).sort();
    // The Spark-style job reported its output as a folder path.
    expect(ids).toEqual(
      [
        PROFILE,
        CUSTOMERS,
        CRM,
        'dataset:lakeport:customers.raw.web_events',
        'job:lakeport:customers.build_customer_profile_features',
        'job:lakeport:customers.curate_customers',
      ].sort(),
    );
    expect(res.body.truncated).toBe(false);
    const profile = res.body.nodes.find((n: any) => n.id === PROFILE);
    expect(profile).toMatchObject({
      side: 'root',
      depth: 0,
      owner: 'group:default/customers-data',
      entityRef: 'resource:default/customers-feature-customer-profile-features',
    });
    const crm = res.body.nodes.find((n: any) => n.id === CRM);
    expect(crm).toMatchObject({ side: 'upstream', depth: 2 });
    const job = res.body.nodes.find(
      (n: any) => n.id === 'job:lakeport:customers.curate_customers',
    );
    expect(job.latestRun).toMatchObject({ state: 'COMPLETE' });
    expect(res.body.edges).toContainEqual({
      source: CRM,
      target: 'job:lakeport:customers.curate_customers',
    });
    // The path the job reported resolves to the same node.
    const byPath = await get(
      `/api/lakehouse/lineage/graph?node=${enc(
        `dataset:file:${path.join(
          root,
          'customers/feature/customer_profile_features',
        )}`,
      )}&depth=1`,
    );
    expect(byPath.status).toBe(200);
    expect(byPath.body.root).toBe(PROFILE);
  });

  it('limits the graph to the depth asked for and flags truncation', async () => {
    const one = await get(
      `/api/lakehouse/lineage/graph?node=${enc(
        CUSTOMERS,
      )}&direction=downstream&depth=1`,
    );
    expect(one.status).toBe(200);
    const datasets = one.body.nodes.filter(
      (n: any) => n.kind === 'dataset' && n.side === 'downstream',
    );
    expect(datasets.map((n: any) => n.depth)).not.toContain(2);
    expect(datasets.length).toBeGreaterThan(0);
    const cut = await get(
      `/api/lakehouse/lineage/graph?node=${enc(
        CUSTOMERS,
      )}&direction=both&depth=5&limit=3`,
    );
    expect(cut.body.nodes).toHaveLength(3);
    expect(cut.body.truncated).toBe(true);
  });

  it('follows the hashed email column upstream through its masking transformation', async () => {
    const res = await get(
      `/api/lakehouse/lineage/columns?node=${enc(
        PROFILE,
      )}&column=email_sha256&direction=upstream&depth=5`,
    );
    expect(res.status).toBe(200);
    expect(
      res.body.edges.map((e: any) => [
        `${e.source.node}#${e.source.column}`,
        `${e.target.node}#${e.target.column}`,
        e.transformation.masking,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [`${CUSTOMERS}#email`, `${PROFILE}#email_sha256`, true],
        [`${CRM}#email`, `${CUSTOMERS}#email`, false],
      ]),
    );
    expect(res.body.edges).toHaveLength(2);
  });

  it('derives classifications along column lineage, stops at masking, audits contract overrides', async () => {
    const res = await get(
      `/api/lakehouse/lineage/classifications?node=${enc(PROFILE)}`,
    );
    expect(res.status).toBe(200);
    const byColumn = Object.fromEntries(
      res.body.columns.map((c: any) => [c.column, c]),
    );
    // Hashing removed the PII: shown with where it was removed.
    expect(byColumn.email_sha256.derived).toBeUndefined();
    expect(byColumn.email_sha256).toMatchObject({
      declared: 'internal',
      status: 'declared',
      removedBy: [
        expect.objectContaining({
          node: CUSTOMERS,
          column: 'email',
          classification: 'pii',
          job: 'job:lakeport:customers.build_customer_profile_features',
        }),
      ],
    });
    // Age bands come from the date of birth: derived PII, which the contract
    // overrides as internal; the override is recorded after the sync.
    expect(byColumn.age_band).toMatchObject({
      derived: 'pii',
      declared: 'internal',
      status: 'overridden',
      sources: [
        expect.objectContaining({
          node: CUSTOMERS,
          column: 'date_of_birth',
          via: ['job:lakeport:customers.build_customer_profile_features'],
        }),
      ],
      override: expect.objectContaining({
        contractFile: expect.stringContaining(
          'feature.customer_profile_features.odcs.yaml',
        ),
      }),
    });
    // Aggregated clickstream carries no classification of its own.
    expect(byColumn.sessions_30d.derived).toBeUndefined();
  });

  it('stops classification at a job that declares it removes it', async () => {
    const copy = (job: object, name: string) =>
      runEvent({
        run: {
          runId: `5f1d2c3b-0000-4000-8000-00000000000${name.length % 10}`,
        },
        job,
        outputs: [
          {
            namespace: 'tests',
            name,
            facets: {
              columnLineage: {
                _producer: PRODUCER,
                _schemaURL: `${SCHEMA_URL}#/$defs/ColumnLineageDatasetFacet`,
                fields: {
                  contact: {
                    inputFields: [
                      {
                        namespace: 'lakeport',
                        name: 'customers.curated.customers',
                        field: 'email',
                        transformations: [
                          { type: 'DIRECT', subtype: 'IDENTITY' },
                        ],
                      },
                    ],
                  },
                },
              },
            },
          },
        ],
      });
    const plain = { namespace: 'tests', name: 'copy_contacts' };
    const declared = {
      namespace: 'tests',
      name: 'tokenize_contacts',
      facets: {
        lakeport_classification: {
          _producer: PRODUCER,
          _schemaURL: 'https://lakeport.dev/facets/ClassificationJobFacet.json',
          removesClassification: true,
          reason: 'format-preserving tokenization',
        },
      },
    };
    expect((await post(copy(plain, 'contacts'))).status).toBe(201);
    expect((await post(copy(declared, 'tokens'))).status).toBe(201);
    const of = async (name: string) =>
      (
        await get(
          `/api/lakehouse/lineage/classifications?node=${enc(
            `dataset:tests:${name}`,
          )}`,
        )
      ).body.columns[0];
    expect(await of('contacts')).toMatchObject({
      column: 'contact',
      derived: 'pii',
      status: 'derived',
    });
    const tokens = await of('tokens');
    expect(tokens.derived).toBeUndefined();
    expect(tokens.removedBy).toEqual([
      expect.objectContaining({
        column: 'email',
        reason: 'the job declares that it removes classification',
      }),
    ]);
  });

  it('masks in the preview a column that lineage says holds PII, where the contract is silent', async () => {
    const products = 'dataset:lakeport:commerce.curated.products';
    const preview = async () =>
      (await get(`/api/lakehouse/datasets/${enc(products)}/preview?limit=3`))
        .body;
    // price_band is in the table but not in the contract (drift).
    expect((await preview()).masked).not.toContain('price_band');
    const leak = runEvent({
      run: { runId: '7a0c1d2e-0000-4000-8000-000000000007' },
      job: { namespace: 'tests', name: 'leak_email_into_products' },
      outputs: [
        {
          namespace: 'lakeport',
          name: 'commerce.curated.products',
          facets: {
            columnLineage: {
              _producer: PRODUCER,
              _schemaURL: `${SCHEMA_URL}#/$defs/ColumnLineageDatasetFacet`,
              fields: {
                price_band: {
                  inputFields: [
                    {
                      namespace: 'lakeport',
                      name: 'customers.curated.customers',
                      field: 'email',
                    },
                  ],
                  transformationType: 'IDENTITY',
                },
                is_active: {
                  inputFields: [
                    {
                      namespace: 'lakeport',
                      name: 'customers.curated.customers',
                      field: 'email',
                    },
                  ],
                  transformationType: 'IDENTITY',
                },
              },
            },
          },
        },
      ],
    });
    expect((await post(leak)).status).toBe(201);
    const after = await preview();
    expect(after.masked).toContain('price_band');
    expect(
      after.columns.find((c: any) => c.name === 'price_band').classification,
    ).toBe('pii');
    // The contract classifies is_active (internal): the contract wins.
    expect(after.masked).not.toContain('is_active');
  });

  it('lists everything downstream with owners and distance', async () => {
    const res = await get(`/api/lakehouse/lineage/impact?node=${enc(CRM)}`);
    expect(res.status).toBe(200);
    const datasets = res.body.items.filter((i: any) => i.kind === 'dataset');
    expect(datasets[0]).toMatchObject({
      id: CUSTOMERS,
      distance: 1,
      owner: 'group:default/customers-data',
    });
    expect(datasets.map((d: any) => d.id)).toEqual(
      expect.arrayContaining([
        PROFILE,
        'dataset:lakeport:commerce.curated.orders',
        'dataset:lakeport:commerce.feature.customer_order_features',
      ]),
    );
    const orders = datasets.find(
      (d: any) => d.id === 'dataset:lakeport:commerce.curated.orders',
    );
    expect(orders).toMatchObject({
      distance: 2,
      owner: 'group:default/commerce-data',
    });
    expect(res.body.owners).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ owner: 'group:default/commerce-data' }),
      ]),
    );
  });

  it('refuses anonymous posts and answers malformed events with 400 naming the field, writing nothing', async () => {
    const anonymous = await request(server)
      .post('/api/lakehouse/lineage/api/v1/lineage')
      .send(runEvent());
    expect(anonymous.status).toBe(401);

    const cases: Array<[object, string]> = [
      [runEvent({ run: { runId: 'not-a-uuid' } }), 'run.runId'],
      [runEvent({ eventType: 'FINISHED' }), 'eventType'],
      [runEvent({ eventTime: 'yesterday' }), 'eventTime'],
      [runEvent({ eventType: undefined }), 'eventType: is required'],
      [
        runEvent({ outputs: [{ namespace: 'tests', facets: {} }] }),
        'outputs[0].name',
      ],
      [runEvent({ job: { namespace: 'tests' } }), 'job.name'],
    ];
    for (const [event, field] of cases) {
      const res = await post(event);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.error.message).toContain(field);
    }
    const graph = await get(
      `/api/lakehouse/lineage/graph?node=${enc('job:tests:copy_customers')}`,
    );
    expect(graph.status).toBe(404);
  });

  it('accepts an event whose facets do not match their schema, keeps it verbatim and records what it ignored', async () => {
    const runId = 'f1f2f3f4-0000-4000-8000-000000000001';
    const event = runEvent({
      run: { runId },
      job: { namespace: 'tests', name: 'odd_facets' },
      inputs: [
        {
          namespace: 'lakeport',
          name: 'customers.curated.customers',
          // The stock Spark listener's data source for local files.
          facets: { dataSource: { name: 'file', uri: 'file' } },
        },
      ],
      outputs: [
        {
          namespace: 'tests',
          name: 'odd_output',
          facets: {
            // Facets without _producer/_schemaURL are read all the same.
            schema: { fields: [{ name: 'id', type: 'long' }] },
            columnLineage: {
              fields: { id: { inputFields: [{ field: 'x' }] } },
            },
            vendor_facet: { anything: ['goes'] },
          },
        },
      ],
    });
    const res = await post(event);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      status: 'accepted',
      problems: [
        'facet dataSource ignored: uri is not a URI',
        'facet columnLineage ignored: fields.id.inputFields[0].namespace is missing',
      ],
    });
    const graph = await get(
      `/api/lakehouse/lineage/graph?node=${enc(
        'dataset:tests:odd_output',
      )}&depth=1`,
    );
    expect(graph.status).toBe(200);
    const output = graph.body.nodes.find(
      (n: any) => n.id === 'dataset:tests:odd_output',
    );
    expect(output.fields).toEqual([{ name: 'id', type: 'long' }]);
    const job = graph.body.nodes.find(
      (n: any) => n.id === 'job:tests:odd_facets',
    );
    expect(job.latestRun.problems).toEqual(res.body.problems);
    expect(
      (await get(`/api/lakehouse/lineage/runs/${runId}`)).body.problems,
    ).toEqual(res.body.problems);
    // The same bytes again: a duplicate, still telling what was ignored.
    expect((await post(event)).body).toEqual({
      status: 'duplicate',
      problems: res.body.problems,
    });
  });

  it('is idempotent and ends out-of-order runs in the right state', async () => {
    const runId = 'a6c7d8e9-0000-4000-8000-000000000001';
    const complete = runEvent({
      run: { runId },
      eventTime: '2026-11-20T10:05:00Z',
    });
    const start = runEvent({
      run: { runId },
      eventType: 'START',
      eventTime: '2026-11-20T10:00:00Z',
    });
    expect((await post(complete)).body).toEqual({ status: 'accepted' });
    expect((await post(complete)).body).toEqual({ status: 'duplicate' });
    expect((await post(start)).body).toEqual({ status: 'accepted' });
    const state = await get(`/api/lakehouse/lineage/runs/${runId}`);
    expect(state.body).toMatchObject({
      state: 'COMPLETE',
      startedAt: '2026-11-20T10:00:00.000Z',
      endedAt: '2026-11-20T10:05:00.000Z',
    });
    const graph = await get(
      `/api/lakehouse/lineage/graph?node=${enc(
        'job:tests:copy_customers',
      )}&depth=1`,
    );
    expect(graph.body.edges).toHaveLength(2);
  });

  it('takes concurrent posts: each event applied once, shared nodes without deadlock', async () => {
    const events = Array.from({ length: 30 }, (_, i) =>
      runEvent({
        run: {
          runId: `c0c0c0c0-0000-4000-8000-${String(i).padStart(12, '0')}`,
        },
        job: { namespace: 'tests', name: `fan_in_${i % 3}` },
        inputs: [
          { namespace: 'lakeport', name: 'customers.curated.customers' },
          { namespace: 'tests', name: `shared_${i % 2}` },
        ],
        outputs: [{ namespace: 'tests', name: 'fan_in_target' }],
      }),
    );
    const answers = await Promise.all(
      [...events, ...events].map(event => post(event)),
    );
    expect(answers.map(a => a.status).filter(s => s === 201)).toHaveLength(30);
    expect(answers.map(a => a.status).filter(s => s === 200)).toHaveLength(30);
    const graph = await get(
      `/api/lakehouse/lineage/graph?node=${enc(
        'dataset:tests:fan_in_target',
      )}&direction=upstream&depth=1`,
    );
    expect(graph.body.nodes).toHaveLength(7); // target, 3 jobs, 3 inputs
  });

  it(
    'takes events from the OpenLineage Python client and matches by path and symlink',
    async () => {
      if (!(await hasPython())) return;
      const { port } = (server as { address(): AddressInfo }).address();
      const { stdout } = await run(
        python,
        [
          path.join(repo, 'python/lakeport_tools/emit_openlineage.py'),
          '--url',
          `http://127.0.0.1:${port}/api/lakehouse/lineage`,
          '--api-key',
          mockCredentials.service.token(),
          '--lakehouse-root',
          root,
        ],
        { timeout: EXTERNAL_TOOL_TIMEOUT_MS },
      );
      const runs = JSON.parse(stdout.trim().split('\n').pop()!);
      const training = 'dataset:lakeport:ml.churn_training_set';
      const graph = await get(
        `/api/lakehouse/lineage/graph?node=${enc(
          training,
        )}&direction=both&depth=1`,
      );
      expect(graph.status).toBe(200);
      const ids = graph.body.nodes.map((n: any) => n.id);
      // Parquet file path → its table; Trino name with a symlink → our table.
      expect(ids).toEqual(
        expect.arrayContaining([
          PROFILE,
          'dataset:lakeport:commerce.feature.customer_order_features',
          'job:lakeport:ml.build_churn_training_set',
          'job:lakeport:ml.score_churn',
          'dataset:lakeport:ml.churn_scores',
        ]),
      );
      const node = graph.body.nodes.find((n: any) => n.id === training);
      expect(node).toMatchObject({
        owners: ['group:default/data-science'],
        description: 'Training set of the churn model.',
      });
      expect(node.fields.map((f: any) => f.name)).toEqual([
        'customer_id',
        'email_sha256',
        'age_band',
        'revenue_90d',
      ]);
      expect(
        (await get(`/api/lakehouse/lineage/runs/${runs.okRun}`)).body.state,
      ).toBe('COMPLETE');
      expect(
        (await get(`/api/lakehouse/lineage/runs/${runs.failedRun}`)).body,
      ).toMatchObject({
        state: 'FAIL',
        errorMessage: 'Table not found: hive.commerce.customer_order_features',
      });
      // Column path of the hashed email, from the training set to the CRM.
      const columns = await get(
        `/api/lakehouse/lineage/columns?node=${enc(
          training,
        )}&column=email_sha256&direction=upstream&depth=5`,
      );
      expect(columns.body.nodes.map((n: any) => n.id)).toEqual(
        expect.arrayContaining([training, PROFILE, CUSTOMERS, CRM]),
      );
    },
    EXTERNAL_TOOL_TEST_TIMEOUT_MS,
  );

  it(
    'imports the manifest of a dbt project built by dbt-duckdb',
    async () => {
      if (!(await hasPython())) return;
      const project = path.join(tmp, 'jaffle_shop');
      await fs.cp(path.join(repo, 'python/dbt/jaffle_shop'), project, {
        recursive: true,
      });
      const dbt = path.join(path.dirname(python), 'dbt');
      await run(
        dbt,
        ['build', '--project-dir', project, '--profiles-dir', project],
        {
          cwd: project,
          timeout: EXTERNAL_TOOL_TIMEOUT_MS,
          env: {
            ...process.env,
            JAFFLE_DUCKDB_PATH: path.join(tmp, 'jaffle.duckdb'),
            LAKEPORT_LAKEHOUSE_ROOT: root,
            DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
          },
        },
      );
      const manifest = JSON.parse(
        await fs.readFile(path.join(project, 'target/manifest.json'), 'utf8'),
      );
      const imported = await request(server)
        .post('/api/lakehouse/lineage/dbt')
        .set(producer)
        .send(manifest);
      expect(imported.status).toBe(201);
      // 3 seeds and 5 models.
      expect(imported.body).toMatchObject({ jobs: 8 });

      const customers = 'dataset:duckdb:jaffle.main.customers';
      const graph = await get(
        `/api/lakehouse/lineage/graph?node=${enc(
          customers,
        )}&direction=upstream&depth=3`,
      );
      expect(graph.status).toBe(200);
      const ids = graph.body.nodes.map((n: any) => n.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'job:dbt:jaffle_shop.customers',
          'dataset:duckdb:jaffle.main.stg_orders',
          'dataset:duckdb:jaffle.main.raw_customers',
          'job:dbt:jaffle_shop.stg_orders',
        ]),
      );
      const node = graph.body.nodes.find((n: any) => n.id === customers);
      expect(node.description).toBe(
        'One row per customer with order counts and lifetime value.',
      );
      expect(node.fields).toContainEqual({
        name: 'lifetime_value',
        description: "Sum of the customer's payments.",
      });
      // The source read from the lakehouse's Parquet files is the catalog table.
      const revenue = await get(
        `/api/lakehouse/lineage/graph?node=${enc(
          'dataset:duckdb:jaffle.main.daily_web_revenue',
        )}&direction=upstream&depth=1`,
      );
      expect(revenue.body.nodes.map((n: any) => n.id)).toContain(
        'dataset:lakeport:commerce.curated.orders',
      );

      const bad = await request(server)
        .post('/api/lakehouse/lineage/dbt')
        .set(producer)
        .send({ nodes: {} });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('metadata.dbt_schema_version');
    },
    EXTERNAL_TOOL_TEST_TIMEOUT_MS,
  );
});
