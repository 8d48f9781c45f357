import { expect, Page, test } from '@playwright/test';
import { revokeGrants } from './portalApi';

async function signInAs(page: Page, displayName: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${displayName}` }).click();
  await expect(page.getByText('Welcome to Lakeport')).toBeVisible();
}

async function openCustomersByColumnSearch(page: Page) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Datasets' })
    .click();
  await page.getByLabel('Search datasets').fill('date_of_birth');
  const table = page.getByRole('table', { name: 'Datasets' });
  await expect(
    page.getByText('2 datasets matching “date_of_birth”'),
  ).toBeVisible();
  const row = table
    .getByRole('row')
    .filter({ hasText: 'customers.curated.customers' });
  await expect(row.getByText('column: date_of_birth')).toBeVisible();
  await expect(row.getByText('PII')).toBeVisible();
  await row.getByRole('link', { name: 'Customers', exact: true }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/resource\/customers-curated-customers/,
  );
}

test('a data scientist finds the customer table by a column, reads its schema and sees PII masked', async ({
  page,
}) => {
  // Whatever an earlier run left: Ana has no access to the customers.
  await revokeGrants(
    'chloe',
    'dataset:lakeport:customers.curated.customers',
    'user:default/ana',
  );
  await signInAs(page, 'Ana Souza');
  await openCustomersByColumnSearch(page);

  await page.getByRole('link', { name: 'Dataset', exact: true }).click();
  await expect(
    page.getByText('dataset:lakeport:customers.curated.customers'),
  ).toBeVisible();
  await expect(page.getByText('customers · curated')).toBeVisible();

  await page.getByRole('link', { name: 'Schema', exact: true }).click();
  const columns = page.getByRole('table', { name: 'Columns' });
  const email = columns
    .getByRole('row')
    .filter({ hasText: 'Primary email address.' });
  await expect(email.getByTestId('classification-pii')).toBeVisible();

  await page.getByRole('link', { name: 'Preview', exact: true }).click();
  await expect(
    page.getByText(/sensitive columns are masked for you/),
  ).toBeVisible();
  const preview = page.getByRole('table', { name: 'Preview' });
  await expect(preview.getByTestId('masked-value').first()).toBeVisible();
  await expect(
    preview.getByText(
      /@(example\.com|mail\.example|inbox\.example|post\.example)/,
    ),
  ).toHaveCount(0);
});

test('the owner sees the same preview unmasked', async ({ page }) => {
  await signInAs(page, 'Chloé Martin');
  await openCustomersByColumnSearch(page);
  await page.getByRole('link', { name: 'Preview', exact: true }).click();
  await expect(page.getByText('No column is masked for you.')).toBeVisible();
  const preview = page.getByRole('table', { name: 'Preview' });
  await expect(preview.getByTestId('masked-value')).toHaveCount(0);
  await expect(
    preview
      .getByText(/@(example\.com|mail\.example|inbox\.example|post\.example)/)
      .first(),
  ).toBeVisible();
});
