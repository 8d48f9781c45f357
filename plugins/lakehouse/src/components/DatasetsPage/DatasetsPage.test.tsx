import { renderInTestApp } from '@backstage/frontend-test-utils';
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
    },
  };
}

describe('DatasetsPage', () => {
  it('searches as you type, shows matched columns and filters by facet', async () => {
    const calls: ListDatasetsQuery[] = [];
    const api: LakehouseApi = {
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
    };
    await renderInTestApp(<DatasetsPage />, {
      apis: [[lakehouseApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });

    expect(
      await screen.findByText('1 dataset', undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('customers.curated.customers')).toBeInTheDocument();
    expect(screen.getByTestId('classification-pii')).toHaveTextContent('PII');

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
    const api: LakehouseApi = {
      listDatasets: async query => {
        if (query.q === 'boom') throw new Error('backend down');
        return response([]);
      },
      getDataset: jest.fn(),
      previewDataset: jest.fn(),
    };
    await renderInTestApp(<DatasetsPage />, {
      apis: [[lakehouseApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(await screen.findByText('No dataset matches')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Search datasets'), 'boom');
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
  }, 30_000);
});
