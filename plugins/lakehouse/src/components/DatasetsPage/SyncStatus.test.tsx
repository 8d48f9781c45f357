import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { LakehouseApi, lakehouseApiRef } from '../../api/LakehouseApi';
import { SyncStatus } from './SyncStatus';

// A file of its own: usePermission caches decisions for the whole module.
describe('SyncStatus for a user who may not sync', () => {
  it('shows the last sync but no Sync now button', async () => {
    const api: Partial<LakehouseApi> = { getLastSync: async () => null };
    await renderInTestApp(<SyncStatus onSynced={() => {}} />, {
      apis: [
        [lakehouseApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.DENY }),
      ],
    });
    expect(
      await screen.findByText('The lakehouse has not been synced yet.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Sync now' }),
    ).not.toBeInTheDocument();
  });
});
