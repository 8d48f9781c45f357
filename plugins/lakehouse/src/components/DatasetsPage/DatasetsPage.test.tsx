import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  ListDatasetsQuery,
  ListDatasetsResponse,
} from '@lakeport/plugin-lakehouse-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LakehouseApi, lakehouseApiRef } from '../../api/LakehouseApi';
import { DatasetsPage } from './DatasetsPage';

const customers = {
  id: 'dataset:lakeport:customers.curated.customers',
  namespace: 'lakeport',
  name: 'customers.curated.customers',
  title: 'Customers',
  description: 'One row per customer.',
  domain: 'customers',
  layer: 'curated',
  owner: 'group:default/customers-data',
  tags: ['gdpr'],
  classification: 'pii' as const,
  columnCount: 14,
  rowCount: 50000,
  sizeBytes: 1_700_000,
  status: 'active' as const,
  entityRef: 'resource:default/customers-curated-customers',
};

function response(items: ListDatasetsResponse['items']): ListDatasetsResponse {
  return {
    items,
    totalCount: items.length,
    facets: {
      domain: [{ value: 'customers', count: items.length }],
      owner: [{ value: 'group:default/customers-data', count: items.length }],
      classification: [{ value: 'pii', count: items.length }],
      layer: [{ value: 'curated', count: items.length }],
      tag: [{ value: 'gdpr', count: items.length }],
      grade: [{ value: 'B', count: items.length }],
    },
  };
}

const lastSync = {
  startedAt: new Date().toISOString(),
  finishedAt: new Date().toISOString(),
  tables: 14,
  added: 0,
  updated: 14,
  removed: 1,
  schemaChanges: 2,
  contractProblems: [
    {
      file: 'risk/raw.x.odcs.yaml',
      field: 'schema[0].properties[2].classification',
      message:
        'must be one of public, internal, confidential, pii, got "secret"',
    },
  ],
};

describe('DatasetsPage', () => {
  it('searches as you type, shows matched columns and filters by facet', async () => {
    const calls: ListDatasetsQuery[] = [];
    const api: Partial<LakehouseApi> = {
      listDatasets: async query => {
        calls.push(query);
        return response(
          query.q
            ? [{ ...customers, matchedColumns: ['date_of_birth'] }]
            : [customers],
        );
      },
      getDataset: jest.fn(),
      previewDataset: jest.fn(),
      getLastSync: async () => lastSync,
      triggerSync: jest.fn(),
    };
    await renderInTestApp(<DatasetsPage />, {
      apis: [
        [lakehouseApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });

    expect(
      await screen.findByText('1 dataset', undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('customers.curated.customers')).toBeInTheDocument();
    expect(screen.getByTestId('classification-pii')).toHaveTextContent('PII');
    expect(
      await screen.findByText(/14 tables, 0 new, 1 removed, 2 schema changes/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/schema\[0\]\.properties\[2\]\.classification/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sync now' }),
    ).toBeInTheDocument();

    await userEvent.type(
      screen.getByLabelText('Search datasets'),
      'date_of_birth',
    );
    expect(
      await screen.findByText('column: date_of_birth'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(calls[calls.length - 1].q).toBe('date_of_birth'),
    );

    await userEvent.click(screen.getByRole('checkbox', { name: /PII/ }));
    await waitFor(() =>
      expect(calls[calls.length - 1]).toMatchObject({
        q: 'date_of_birth',
        classification: ['pii'],
      }),
    );
  }, 30_000);

  it('says so when nothing matches, and shows errors', async () => {
    const api: Partial<LakehouseApi> = {
      listDatasets: async query => {
        if (query.q === 'boom') throw new Error('backend down');
        return response([]);
      },
      getDataset: jest.fn(),
      previewDataset: jest.fn(),
      getLastSync: async () => lastSync,
      triggerSync: jest.fn(),
    };
    await renderInTestApp(<DatasetsPage />, {
      apis: [
        [lakehouseApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(await screen.findByText('No dataset matches')).toBeInTheDocument();
    expect(await screen.findByText(/14 tables/)).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Search datasets'), 'boom');
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
  }, 30_000);
});
