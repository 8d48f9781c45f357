import { expect, Page, test } from '@playwright/test';
import { revokeGrants } from './portalApi';
import {
  EXTERNAL_TOOL_TEST_TIMEOUT_MS,
  EXTERNAL_TOOL_TIMEOUT_MS,
} from '@lakeport/test-utils';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const repo = path.resolve(__dirname, '../../..');
const python =
  process.env.LAKEPORT_PYTHON ?? path.join(repo, '.venv/bin/python');
const shots = path.join(repo, 'test-results/screenshots');
const QUALITY_TAB =
  '/catalog/default/resource/customers-curated-customers/quality';
const NULLS = 'check-country_code:nullValues';

async function signInAs(page: Page, displayName: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${displayName}` }).click();
  await expect(page.getByText('Welcome to Lakeport')).toBeVisible();
}

test('an owner sees the seeded defect fail with its rows, gets one notification and acknowledges it', async ({
  page,
}) => {
  await signInAs(page, 'Chloé Martin');

  // Her datasets, worst first: the customer table is failing.
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'My data health' })
    .click();
  const mine = page.getByRole('table', { name: 'My datasets' });
  const customers = mine.getByRole('row').filter({
    hasText: 'customers.curated.customers',
  });
  // The first runs start after the first sync of a new portal.
  await expect(customers.getByText('failing')).toBeVisible({ timeout: 60_000 });
  await expect(mine.getByRole('row').nth(1)).toContainText('failing');
  await page.screenshot({ path: `${shots}/quality-my-data-health.png` });

  // The Quality tab: the failed check, opened, with its offending rows.
  await customers.getByRole('link', { name: 'Customers' }).click();
  await expect(page).toHaveURL(new RegExp(`${QUALITY_TAB}$`));
  const nulls = page.getByTestId(NULLS);
  await expect(nulls).toContainText('failed');
  await expect(nulls).toContainText('country_code is filled in');
  const rows = page.getByRole('table', { name: 'Offending rows' });
  await expect(rows.getByRole('row')).toHaveCount(11);
  // She owns the table: the emails are not masked for her.
  await expect(rows.getByText(/@/).first()).toBeVisible();
  await expect(page.getByText(/^[CDF]$/).first()).toBeVisible();
  await expect(page.getByText('Score over time')).toBeVisible();

  // Run checks now: the run shows, completes, and the defect still fails.
  await page.getByRole('button', { name: 'Run checks' }).click();
  await expect(
    page.getByText(/Last run manual \(lakeport\), completed/),
  ).toBeVisible();
  await expect(nulls).toContainText('failed');

  // Acknowledge it with a comment.
  await page
    .getByLabel('Acknowledge with a comment')
    .fill('CRM fix ships Monday (TICKET-42)');
  await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await expect(nulls).toContainText(
    'Acknowledged by chloe less than an hour ago: “CRM fix ships Monday (TICKET-42)”',
  );
  await page.screenshot({ path: `${shots}/quality-tab.png`, fullPage: true });

  // One summarised notification for the table, even after a second failing run.
  await page.goto('/notifications');
  // Other notifications (access requests, other datasets) may fill page one.
  await page
    .getByPlaceholder('Filter')
    .fill('customers.curated.customers is failing');
  await expect(
    page.getByText('customers.curated.customers is failing 1 quality check'),
  ).toHaveCount(1);
  await page.screenshot({ path: `${shots}/quality-notification.png` });
});

test('a real Great Expectations result joins the same scorecard', async ({
  page,
  request,
}) => {
  test.setTimeout(EXTERNAL_TOOL_TEST_TIMEOUT_MS);
  // A pipeline validates the table with Great Expectations and posts the
  // result with the development quality token.
  const out = path.join(
    await fs.mkdtemp(path.join(os.tmpdir(), 'ge-')),
    'r.json',
  );
  await promisify(execFile)(
    python,
    [
      path.join(
        repo,
        'python/lakeport_tools/validate_with_great_expectations.py',
      ),
      '--lakehouse-root',
      path.join(repo, 'data/lakehouse'),
      '--table',
      'customers.curated.customers',
      '--suite',
      'customers_nightly',
      '--expectations',
      JSON.stringify([
        {
          type: 'expect_column_values_to_not_be_null',
          kwargs: { column: 'country_code' },
        },
        {
          type: 'expect_column_values_to_be_unique',
          kwargs: { column: 'customer_id' },
        },
      ]),
      '--out',
      out,
    ],
    { timeout: EXTERNAL_TOOL_TIMEOUT_MS },
  );
  const posted = await request.post(
    'http://localhost:7007/api/lakehouse/quality/results',
    {
      headers: { Authorization: 'Bearer lakeport-dev-quality-token' },
      data: {
        format: 'great_expectations',
        result: JSON.parse(await fs.readFile(out, 'utf8')),
      },
    },
  );
  expect(posted.status()).toBe(201);

  await signInAs(page, 'Chloé Martin');
  await page.goto(QUALITY_TAB);
  const imported = page
    .getByRole('table', { name: 'Checks' })
    .getByRole('row')
    .filter({ hasText: 'imported from great expectations' });
  await expect(imported).toHaveCount(2);
  await expect(
    imported.filter({ hasText: 'country_code: column values to not be null' }),
  ).toContainText('failed');
  await expect(
    imported.filter({ hasText: 'customer_id: column values to be unique' }),
  ).toContainText('passed');
  await page.screenshot({
    path: `${shots}/quality-imported.png`,
    fullPage: true,
  });
});

test('a data scientist sees the grade and masked offending rows, and cannot run checks', async ({
  page,
}) => {
  // Whatever an earlier run left: Ana has no access to the customers.
  await revokeGrants(
    'chloe',
    'dataset:lakeport:customers.curated.customers',
    'user:default/ana',
  );
  await signInAs(page, 'Ana Souza');
  await page.goto('/datasets?grade=C&grade=D&grade=F');
  const table = page.getByRole('table', { name: 'Datasets' });
  await expect(
    table.getByRole('row').filter({ hasText: 'customers.curated.customers' }),
  ).toContainText(/[CDF] · \d+/);
  await page.goto(QUALITY_TAB);
  await expect(page.getByTestId(NULLS)).toContainText('failed');
  const rows = page.getByRole('table', { name: 'Offending rows' });
  await expect(rows.getByText('masked').first()).toBeVisible();
  await expect(rows.getByText(/@/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Run checks' })).toBeDisabled();
});
