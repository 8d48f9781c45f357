import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ColumnClassification } from '@lakeport/plugin-lakehouse-common';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LakehouseApi, lakehouseApiRef } from '../../api/LakehouseApi';
import { ClassificationConfirmation } from './ClassificationConfirmation';

const DATASET = 'dataset:tests:country_stats';
const derived: ColumnClassification = {
  column: 'phones',
  derived: 'pii',
  status: 'derived',
  sources: [
    {
      node: 'dataset:lakeport:customers.curated.customers',
      column: 'phone',
      classification: 'pii',
      via: ['job:tests:build_country_stats'],
    },
  ],
  removedBy: [],
  proposal: { job: 'job:tests:build_country_stats', aggregate: 'count' },
};

describe('ClassificationConfirmation', () => {
  it('lets a steward confirm a derived column with a reason, and shows the SQL proposal', async () => {
    const calls: unknown[] = [];
    const api: Partial<LakehouseApi> = {
      confirmNotSensitive: async input => {
        calls.push(input);
        return {
          id: 'c1',
          datasetId: DATASET,
          column: 'phones',
          reason: input.reason,
          confirmedBy: 'user:default/sofia',
          confirmedAt: '2026-11-30T10:00:00Z',
        };
      },
    };
    const onChange = jest.fn();
    await renderInTestApp(
      <ClassificationConfirmation
        datasetId={DATASET}
        value={derived}
        canConfirm
        onChange={onChange}
      />,
      { apis: [[lakehouseApiRef, api]] },
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Confirm phones' }),
    );
    expect(
      screen.getByText(/computes this column with count\(\)/),
    ).toBeInTheDocument();
    const submit = screen.getByRole('button', {
      name: 'Confirm not sensitive',
    });
    // No reason, no confirmation.
    expect(submit).toBeDisabled();
    await userEvent.type(screen.getByLabelText(/Reason/), 'counts per country');
    await userEvent.click(submit);
    expect(calls).toEqual([
      { datasetId: DATASET, column: 'phones', reason: 'counts per country' },
    ]);
    expect(onChange).toHaveBeenCalled();
    // Rendering and typing in jsdom take seconds on a loaded 2-core machine.
  }, 30_000);

  it('shows a confirmation to everyone and the revoke button to stewards only', async () => {
    const confirmed: ColumnClassification = {
      ...derived,
      derived: undefined,
      status: 'none',
      proposal: undefined,
      confirmation: {
        id: 'c1',
        datasetId: DATASET,
        column: 'phones',
        reason: 'counts per country',
        confirmedBy: 'user:default/sofia',
        confirmedAt: '2026-11-30T10:00:00Z',
      },
    };
    await renderInTestApp(
      <ClassificationConfirmation
        datasetId={DATASET}
        value={confirmed}
        canConfirm={false}
        onChange={() => {}}
      />,
      { apis: [[lakehouseApiRef, {}]] },
    );
    expect(
      screen.getByTestId('classification-confirmation-phones'),
    ).toHaveTextContent('steward: not sensitive');
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  }, 30_000);
});
