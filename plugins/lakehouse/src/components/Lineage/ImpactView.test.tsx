import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { LakehouseApi, lakehouseApiRef } from '../../api/LakehouseApi';
import { ImpactView } from './ImpactView';

describe('ImpactView', () => {
  it('lists downstream assets by distance with the owners to warn', async () => {
    const api: Partial<LakehouseApi> = {
      getImpact: async node => ({
        root: node,
        truncated: false,
        owners: [
          { owner: 'group:default/commerce-data', count: 2 },
          { owner: 'group:default/data-science', count: 1 },
        ],
        items: [
          {
            id: 'job:lakeport:commerce.curate_orders',
            kind: 'job',
            name: 'commerce.curate_orders',
            owners: [],
            distance: 1,
          },
          {
            id: 'dataset:lakeport:commerce.curated.orders',
            kind: 'dataset',
            name: 'commerce.curated.orders',
            title: 'Orders',
            owner: 'group:default/commerce-data',
            owners: [],
            entityRef: 'resource:default/commerce-curated-orders',
            distance: 1,
          },
        ],
      }),
    };
    await renderInTestApp(
      <ImpactView node="dataset:lakeport:customers.curated.customers" />,
      {
        apis: [[lakehouseApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findByText(/reaches/)).toHaveTextContent(
      'A change here reaches 1 downstream datasets through 1 jobs.',
    );
    expect(screen.getByTestId('impact-owners')).toHaveTextContent(
      'commerce-data · 2',
    );
    const table = screen.getByRole('table', { name: 'downstream assets' });
    const orders = within(table).getByRole('link', { name: 'Orders' });
    expect(orders).toHaveAttribute(
      'href',
      '/catalog/default/resource/commerce-curated-orders',
    );
  });
});
