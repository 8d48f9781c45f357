import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import duckdbModule from '@lakeport/plugin-lakehouse-backend-module-duckdb';
import os from 'node:os';
import request from 'supertest';
import { lakehousePlugin } from '../plugin';
import { sampleCatalogFactory } from '../__testUtils__/sampleCatalog';

describe('lakehouse plugin when the policy denies', () => {
  it('answers 403 naming the permission on every route, for existing ids or not', async () => {
    const deny = async (requests: unknown[]) =>
      requests.map(() => ({ result: AuthorizeResult.DENY }));
    const { server } = await startTestBackend({
      features: [
        lakehousePlugin,
        sampleCatalogFactory(),
        duckdbModule,
        mockServices.permissions.mock({
          authorize: deny as any,
          authorizeConditional: deny as any,
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            lakeport: {
              lakehouse: {
                duckdb: { root: os.tmpdir() },
                syncIntervalMinutes: 600,
              },
            },
          },
        }),
      ],
    });
    const auth = {
      Authorization: mockCredentials.user.header('user:default/ana'),
    };
    const id = encodeURIComponent(
      'dataset:lakeport:customers.curated.customers',
    );
    const cases: Array<[string, string, string, object?]> = [
      ['get', '/api/lakehouse/datasets', 'lakehouse.dataset.read'],
      ['get', `/api/lakehouse/datasets/${id}`, 'lakehouse.dataset.read'],
      [
        'get',
        `/api/lakehouse/datasets/${id}/preview`,
        'lakehouse.dataset.preview',
      ],
      ['post', '/api/lakehouse/sync', 'lakehouse.sync.run'],
      [
        'get',
        `/api/lakehouse/lineage/graph?node=${id}`,
        'lakehouse.dataset.read',
      ],
      [
        'get',
        `/api/lakehouse/lineage/columns?node=${id}`,
        'lakehouse.dataset.read',
      ],
      [
        'get',
        `/api/lakehouse/lineage/graph?node=${encodeURIComponent(
          'job:lakeport:customers.curate_customers',
        )}`,
        'lakehouse.dataset.read',
      ],
      [
        'get',
        `/api/lakehouse/lineage/impact?node=${id}`,
        'lakehouse.dataset.read',
      ],
      [
        'get',
        `/api/lakehouse/lineage/classifications?node=${id}`,
        'lakehouse.dataset.read',
      ],
      [
        'post',
        '/api/lakehouse/lineage/api/v1/lineage',
        'lakehouse.lineage.write',
      ],
      ['post', '/api/lakehouse/api/v1/lineage', 'lakehouse.lineage.write'],
      ['post', '/api/lakehouse/lineage', 'lakehouse.lineage.write'],
      ['post', '/api/lakehouse/lineage/dbt', 'lakehouse.lineage.write'],
      [
        'post',
        '/api/lakehouse/lineage/classifications/confirmations',
        'lakehouse.classification.confirm',
        {
          datasetId: 'dataset:lakeport:customers.curated.customers',
          column: 'email',
          reason: 'counts only',
        },
      ],
      [
        'post',
        '/api/lakehouse/lineage/classifications/confirmations/x/revoke',
        'lakehouse.classification.confirm',
        {},
      ],
      [
        'get',
        `/api/lakehouse/lineage/classifications/confirmations?datasetId=${id}`,
        'lakehouse.dataset.read',
      ],
      [
        'get',
        `/api/lakehouse/quality/scorecards/${id}`,
        'lakehouse.dataset.read',
      ],
      ['get', '/api/lakehouse/quality/health', 'lakehouse.dataset.read'],
      [
        'post',
        '/api/lakehouse/quality/runs',
        'lakehouse.quality.run',
        { datasetId: 'dataset:lakeport:customers.curated.customers' },
      ],
      [
        'post',
        `/api/lakehouse/quality/scorecards/${id}/checks/schema/acknowledgements`,
        'lakehouse.quality.run',
        { comment: 'known' },
      ],
      [
        'post',
        '/api/lakehouse/access/requests',
        'lakehouse.access.request',
        {
          datasetId: 'dataset:lakeport:customers.curated.customers',
          purpose: 'p',
          justification: 'j',
          durationDays: 1,
        },
      ],
      [
        'get',
        `/api/lakehouse/access/audit?datasetId=${id}`,
        'lakehouse.access.revoke',
      ],
      [
        'get',
        `/api/lakehouse/access/requests?datasetId=${id}`,
        'lakehouse.access.revoke',
      ],
      [
        'post',
        '/api/lakehouse/quality/results',
        'lakehouse.quality.run',
        {
          datasetId: 'dataset:lakeport:customers.curated.customers',
          format: 'soda',
          result: { checks: [{ name: 'row_count > 0', outcome: 'pass' }] },
        },
      ],
    ];
    for (const [method, url, permission, body] of cases) {
      let call = (request(server) as any)[method](url).set(auth);
      if (body) call = call.send(body);
      const res = await call;
      expect({
        url,
        status: res.status,
        message: res.body.error?.message,
      }).toEqual({
        url,
        status: 403,
        message: `Not allowed: ${permission}`,
      });
    }
  });
});
