import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { startLakehouseTestBackend } from '../__testUtils__/lakehouseTestBackend';
import {
  asUser,
  sampleLakehouseForTest,
  syncAndWaitFor,
} from '../__testUtils__/lakehouseTests';

/**
 * What stops a classification flowing along column lineage: masking and
 * jobs that declare it, and a steward's confirmation; never an aggregate
 * alone (MAX and MIN return the values themselves).
 */
const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const repo = path.resolve(__dirname, '../../../..');
const enc = encodeURIComponent;
const PRODUCER = 'https://lakeport.dev/tests';
const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json';
const CUSTOMERS = {
  namespace: 'lakeport',
  name: 'customers.curated.customers',
};
const OWNERSHIP: Record<string, string[]> = {
  'user:default/marcus': ['user:default/marcus', 'group:default/data-platform'],
  'user:default/ana': ['user:default/ana', 'group:default/data-science'],
  'user:default/ben': ['user:default/ben', 'group:default/customers-data'],
  'user:default/sofia': ['user:default/sofia', 'group:default/data-governance'],
};

type Edge = { from: string; subtype: string; masking?: boolean };

/** A job computing `columns` of tests:<output> from customers' columns. */
function aggregateEvent(
  n: number,
  output: string,
  columns: Record<string, Edge>,
  sql?: string,
  input: { namespace: string; name: string } = CUSTOMERS,
) {
  return {
    eventType: 'COMPLETE',
    eventTime: '2026-11-20T10:00:00.000Z',
    producer: PRODUCER,
    schemaURL: `${SCHEMA_URL}#/$defs/RunEvent`,
    run: { runId: `1b2c3d4e-0000-4000-8000-${String(n).padStart(12, '0')}` },
    job: {
      namespace: 'tests',
      name: `build_${output}`,
      ...(sql
        ? {
            facets: {
              sql: { _producer: PRODUCER, _schemaURL: SCHEMA_URL, query: sql },
            },
          }
        : {}),
    },
    inputs: [input],
    outputs: [
      {
        namespace: 'tests',
        name: output,
        facets: {
          columnLineage: {
            _producer: PRODUCER,
            _schemaURL: SCHEMA_URL,
            fields: Object.fromEntries(
              Object.entries(columns).map(([column, e]) => [
                column,
                {
                  inputFields: [
                    {
                      ...input,
                      field: e.from,
                      transformations: [
                        {
                          type: 'DIRECT',
                          subtype: e.subtype,
                          masking: e.masking ?? false,
                        },
                      ],
                    },
                  ],
                },
              ]),
            ),
          },
        },
      },
    ],
  };
}

describe.each(databases.eachSupportedId())(
  'classification breakers on %s',
  databaseId => {
    let tmp: string;
    let server: any;
    const sent: NotificationSendOptions[] = [];
    const get = (url: string, user = 'ana') =>
      request(server).get(url).set(asUser(user));
    const post = (url: string, body: object, user: string) =>
      request(server).post(url).set(asUser(user)).send(body);
    const ingest = (event: object) =>
      request(server)
        .post('/api/lakehouse/lineage/api/v1/lineage')
        .set({ Authorization: mockCredentials.service.header() })
        .send(event);
    const columns = async (dataset: string) => {
      const res = await get(
        `/api/lakehouse/lineage/classifications?node=${enc(dataset)}`,
      );
      expect(res.status).toBe(200);
      return Object.fromEntries(
        res.body.columns.map((c: any) => [c.column, c]),
      );
    };

    beforeAll(async () => {
      let root: string;
      ({ tmp, root } = await sampleLakehouseForTest('lakeport-breakers-'));
      const knex = await databases.init(databaseId);
      ({ server } = await startLakehouseTestBackend({
        knex,
        root,
        contractsDirectory: path.join(repo, 'catalog-info/contracts'),
        ownership: OWNERSHIP,
        sent,
      }));
      await syncAndWaitFor(
        server,
        'dataset:lakeport:customers.curated.customers',
        120_000,
      );
      const stats = aggregateEvent(
        1,
        'country_stats',
        {
          max_email: { from: 'email', subtype: 'AGGREGATION' },
          min_birth: { from: 'date_of_birth', subtype: 'AGGREGATION' },
          customers: {
            from: 'customer_id',
            subtype: 'AGGREGATION',
            masking: true,
          },
          phones: { from: 'phone', subtype: 'AGGREGATION' },
          email_hash: {
            from: 'email',
            subtype: 'TRANSFORMATION',
            masking: true,
          },
        },
        'SELECT country_code, max(email) AS max_email, min(date_of_birth) AS min_birth, ' +
          'count(customer_id) AS customers, count(DISTINCT phone) AS phones, ' +
          'sha2(email, 256) AS email_hash FROM customers GROUP BY country_code',
      );
      const statsAnswer = await ingest(stats);
      if (statsAnswer.status !== 201)
        throw new Error(`stats event: ${statsAnswer.status}`);
      // Downstream of the stats: copies of two columns.
      const copy = aggregateEvent(
        2,
        'country_stats_copy',
        {
          phones: { from: 'phones', subtype: 'IDENTITY' },
          max_email: { from: 'max_email', subtype: 'IDENTITY' },
        },
        undefined,
        { namespace: 'tests', name: 'country_stats' },
      );
      const copyAnswer = await ingest(copy);
      if (copyAnswer.status !== 201)
        throw new Error(`copy event: ${copyAnswer.status}`);
    }, 240_000);

    afterAll(async () => {
      if (tmp) await fs.rm(tmp, { recursive: true, force: true });
    });

    it('keeps PII through MAX and MIN; removes it only where a transformation masks', async () => {
      const stats = await columns('dataset:tests:country_stats');
      expect(stats.max_email).toMatchObject({
        derived: 'pii',
        status: 'derived',
      });
      expect(stats.min_birth).toMatchObject({
        derived: 'pii',
        status: 'derived',
      });
      // count(DISTINCT phone) without a masking flag: still derived, but the
      // SQL shows a count, so a steward is offered the confirmation.
      expect(stats.phones).toMatchObject({
        derived: 'pii',
        proposal: { job: 'job:tests:build_country_stats', aggregate: 'count' },
      });
      expect(stats.max_email.proposal).toBeUndefined();
      expect(stats.customers.derived).toBeUndefined();
      expect(stats.email_hash.derived).toBeUndefined();
      expect(stats.email_hash.removedBy).toEqual([
        expect.objectContaining({
          column: 'email',
          reason: 'masked (transformation)',
        }),
      ]);
      const copy = await columns('dataset:tests:country_stats_copy');
      expect(copy.max_email.derived).toBe('pii');
    });

    it('lets only a steward confirm a column is not sensitive, with a reason; audited, shown, revocable', async () => {
      const url = '/api/lakehouse/lineage/classifications/confirmations';
      const body = {
        datasetId: 'dataset:tests:country_stats',
        column: 'phones',
        reason: 'a count of distinct phone numbers per country',
      };
      expect((await post(url, body, 'ben')).status).toBe(403);
      expect((await post(url, body, 'marcus')).status).toBe(403);
      const noReason = await post(url, { ...body, reason: ' ' }, 'sofia');
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.message).toContain('reason');
      const notDerived = await post(
        url,
        { ...body, column: 'customers' },
        'sofia',
      );
      expect(notDerived.status).toBe(400);
      expect(notDerived.body.error.message).toContain(
        'carries no derived classification',
      );
      const unknown = await post(url, { ...body, column: 'nope' }, 'sofia');
      expect(unknown.status).toBe(400);

      const confirmed = await post(url, body, 'sofia');
      expect(confirmed.status).toBe(201);
      expect(confirmed.body).toMatchObject({
        column: 'phones',
        derived: 'pii',
        confirmedBy: 'user:default/sofia',
        reason: body.reason,
      });
      let stats = await columns('dataset:tests:country_stats');
      expect(stats.phones.derived).toBeUndefined();
      expect(stats.phones.confirmation).toMatchObject({
        id: confirmed.body.id,
        confirmedBy: 'user:default/sofia',
      });
      expect(stats.phones.removedBy).toEqual([
        expect.objectContaining({
          column: 'phone',
          reason: expect.stringContaining('user:default/sofia'),
        }),
      ]);
      // Downstream copies are clean too; the other columns are unchanged.
      let copy = await columns('dataset:tests:country_stats_copy');
      expect(copy.phones.derived).toBeUndefined();
      expect(copy.max_email.derived).toBe('pii');

      const history = await get(`${url}?datasetId=${enc(body.datasetId)}`);
      expect(history.body.items).toHaveLength(1);

      const revokeUrl = `${url}/${confirmed.body.id}/revoke`;
      expect((await post(revokeUrl, {}, 'ben')).status).toBe(403);
      const revoked = await post(
        revokeUrl,
        { reason: 'counts can single people out' },
        'sofia',
      );
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({
        revokedBy: 'user:default/sofia',
        revokeReason: 'counts can single people out',
      });
      expect((await post(revokeUrl, {}, 'sofia')).status).toBe(409);
      stats = await columns('dataset:tests:country_stats');
      expect(stats.phones.derived).toBe('pii');
      expect(stats.phones.confirmation).toBeUndefined();
      copy = await columns('dataset:tests:country_stats_copy');
      expect(copy.phones.derived).toBe('pii');
    });
  },
);
