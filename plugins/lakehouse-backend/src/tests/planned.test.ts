import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import { Knex } from 'knex';
import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { stringify } from 'yaml';
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
const PRODUCTS = 'dataset:lakeport:commerce.curated.products';
const OUTPUT = 'dataset:lakeport:commerce.feature.product_bands';
const JOB = 'job:spark:product_bands';
const OWNERSHIP: Record<string, string[]> = {
  'user:default/ana': ['user:default/ana', 'group:default/data-science'],
  'user:default/marcus': ['user:default/marcus', 'group:default/data-platform'],
};

/** The output's contract, as lakehouse:contract:generate writes it. */
const contract = (table = 'commerce.feature.product_bands') =>
  stringify({
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: `urn:datacontract:lakeport:${table}`,
    name: 'product_bands',
    version: '0.1.0',
    status: 'draft',
    domain: 'commerce',
    schema: [
      {
        name: 'product_bands',
        physicalName: table,
        physicalType: 'table',
        description: 'Products by price band.',
        properties: [
          { name: 'sku', classification: 'internal' },
          { name: 'brand', classification: 'confidential' },
        ],
      },
    ],
    customProperties: [
      { property: 'owner', value: 'group:default/data-science' },
    ],
  });

const plan = (overrides: object = {}) => ({
  job: { namespace: 'spark', name: 'product_bands' },
  output: 'commerce.feature.product_bands',
  inputs: [PRODUCTS],
  owner: 'group:default/data-science',
  project: 'component:default/product-bands',
  contract: contract(),
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'planned pipelines on %s',
  databaseId => {
    let tmp: string;
    let root: string;
    let server: any;
    let knex: Knex;
    const post = (user: string, body: object) =>
      request(server)
        .post('/api/lakehouse/planned')
        .set(asUser(user))
        .send(body);
    const list = async () =>
      (await request(server).get('/api/lakehouse/planned').set(asUser('ana')))
        .body.items;
    const downstream = async () =>
      (
        await request(server)
          .get('/api/lakehouse/lineage/graph')
          .query({ node: PRODUCTS, direction: 'downstream', depth: 1 })
          .set(asUser('ana'))
      ).body.nodes as Array<{ id: string; planned?: boolean }> | undefined;

    beforeAll(async () => {
      ({ tmp, root } = await sampleLakehouseForTest('lakeport-planned-'));
      knex = await databases.init(databaseId);
      ({ server } = await startLakehouseTestBackend({
        knex,
        root,
        contractsDirectory: path.join(repo, 'catalog-info/contracts'),
        ownership: OWNERSHIP,
        sent: [],
      }));
      await syncAndWaitFor(server, PRODUCTS, 60_000);
    }, 300_000);

    afterAll(async () => {
      await fs.rm(tmp, { recursive: true, force: true });
    });

    it('refuses a plan that names no known input, another team as owner, or a contract of another table, writing nothing', async () => {
      const unknown = await post(
        'ana',
        plan({ inputs: ['dataset:lakeport:commerce.curated.nope'] }),
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain(
        'dataset:lakeport:commerce.curated.nope',
      );
      const owner = await post(
        'ana',
        plan({ owner: 'group:default/data-platform' }),
      );
      expect(owner.status).toBe(403);
      expect(owner.body.error.message).toContain('owner must be you');
      const other = await post(
        'ana',
        plan({ contract: contract('commerce.feature.other') }),
      );
      expect(other.status).toBe(400);
      expect(other.body.error.message).toContain('not the output');
      const table = await post('ana', plan({ output: 'product_bands' }));
      expect(table.status).toBe(400);
      expect(table.body.error.message).toContain('<domain>.<layer>.<table>');
      expect(await list()).toEqual([]);
      // No lineage at all for the products yet (the graph says 404).
      expect(await downstream()).toBeUndefined();
    });

    it('shows inputs → job → output as planned until the job reports and the table exists, then uses its contract', async () => {
      const planned = await post('ana', plan());
      expect(planned.status).toBe(201);
      expect(planned.body).toMatchObject({
        jobId: JOB,
        outputId: OUTPUT,
        status: 'planned',
        owner: 'group:default/data-science',
        plannedBy: 'user:default/ana',
        hasContract: true,
      });
      const graph = await request(server)
        .get('/api/lakehouse/lineage/graph')
        .query({ node: PRODUCTS, direction: 'downstream', depth: 1 })
        .set(asUser('ana'));
      expect(graph.body.nodes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: JOB, planned: true }),
          expect.objectContaining({ id: OUTPUT, planned: true }),
        ]),
      );
      expect(graph.body.edges).toEqual(
        expect.arrayContaining([
          { source: PRODUCTS, target: JOB },
          { source: JOB, target: OUTPUT },
        ]),
      );
      // Planning again from the same project is not a conflict; another
      // project may not take the job.
      expect((await post('ana', plan())).status).toBe(201);
      const taken = await post(
        'ana',
        plan({ project: 'component:default/someone-else' }),
      );
      expect(taken.status).toBe(409);

      // The first run reports, like a Spark application, nothing but its
      // state: the job is real, and the planned edges are gone.
      const report = (runId: string, withDatasets: boolean) =>
        request(server)
          .post('/api/lakehouse/lineage/api/v1/lineage')
          .set({ Authorization: mockCredentials.service.header() })
          .send({
            eventType: 'COMPLETE',
            eventTime: new Date().toISOString(),
            producer:
              'https://github.com/OpenLineage/OpenLineage/tree/1.53.0/integration/spark',
            schemaURL:
              'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
            run: { runId },
            job: { namespace: 'spark', name: 'product_bands' },
            inputs: withDatasets
              ? [{ namespace: 'lakeport', name: 'commerce.curated.products' }]
              : [],
            outputs: withDatasets
              ? [
                  {
                    namespace: 'lakeport',
                    name: 'commerce.feature.product_bands',
                  },
                ]
              : [],
          });
      expect(
        (await report('0194d3a0-0000-7000-8000-000000000001', false)).status,
      ).toBeLessThan(300);
      await waitFor(
        async () =>
          (await list())[0]?.status === 'running' ? true : undefined,
        'the planned job running',
        30_000,
      );
      expect(((await downstream()) ?? []).map(n => n.id)).not.toContain(JOB);
      // Its next run reports what it read and wrote: the output is still
      // planned (not in the lakehouse yet).
      expect(
        (await report('0194d3a0-0000-7000-8000-000000000002', true)).status,
      ).toBeLessThan(300);
      await waitFor(
        async () => ((await downstream()) ?? []).length > 1 || undefined,
        'the reported lineage',
        30_000,
      );
      const nodes = (await downstream())!;
      expect(nodes.find(n => n.id === JOB)?.planned).toBeUndefined();
      expect(nodes.find(n => n.id === OUTPUT)?.planned).toBe(true);

      // The table appears in the lakehouse: real, with the project's contract.
      await fs.cp(
        path.join(root, 'commerce/curated/products'),
        path.join(root, 'commerce/feature/product_bands'),
        { recursive: true },
      );
      await syncAndWaitFor(server, OUTPUT, 60_000);
      expect((await list())[0].status).toBe('real');
      expect(
        (await downstream())!.find(n => n.id === OUTPUT)?.planned,
      ).toBeUndefined();
      const dataset = await request(server)
        .get(`/api/lakehouse/datasets/${encodeURIComponent(OUTPUT)}`)
        .set(asUser('ana'));
      expect(dataset.body.owner).toBe('group:default/data-science');
      expect(
        dataset.body.columns.find((c: any) => c.name === 'brand')
          ?.classification,
      ).toBe('confidential');
    });
  },
);
