import { expect, Page, test } from '@playwright/test';

async function signInAs(page: Page, displayName: string) {
  await page.goto('/');
  await expect(
    page.getByRole('heading', {
      name: 'Development sign-in: choose who to be',
    }),
  ).toBeVisible();
  await page.getByRole('button', { name: `Sign in as ${displayName}` }).click();
  await expect(page.getByText('Welcome to Lakeport')).toBeVisible();
}

test('a sample user signs in and finds the sample org in the catalog', async ({
  page,
}) => {
  await signInAs(page, 'Ana Souza');

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog/);

  await page.goto('/catalog?filters%5Bkind%5D=group');
  await expect(page.getByText('All Groups (8)')).toBeVisible();
  for (const team of [
    'Data Platform',
    'Data Governance (stewards)',
    'Commerce Data',
    'Risk Data',
  ]) {
    await expect(
      page.getByRole('link', { name: team, exact: true }),
    ).toBeVisible();
  }

  await page
    .getByRole('link', { name: 'Data Governance (stewards)', exact: true })
    .click();
  await expect(page.getByText('members (2 of 2)')).toBeVisible();
  await expect(page.getByText('sofia.rossi@lakeport.example')).toBeVisible();
  await expect(page.getByText('priya.raman@lakeport.example')).toBeVisible();

  await page.goto('/catalog?filters%5Bkind%5D=domain');
  for (const domain of ['Customers', 'Commerce', 'Risk']) {
    await expect(
      page.getByRole('link', { name: domain, exact: true }),
    ).toBeVisible();
  }
});

test('signing out lets the person choose another user', async ({ page }) => {
  await signInAs(page, 'Ana Souza');
  await page.goto('/settings');
  await expect(page.getByText('ana.souza@lakeport.example')).toBeVisible();
  await page.getByRole('button', { name: 'more' }).click();
  await page.getByRole('menuitem', { name: 'Sign Out' }).click();

  await signInAs(page, 'Sofia Rossi');
  await page.goto('/settings');
  await expect(page.getByText('sofia.rossi@lakeport.example')).toBeVisible();
  await expect(page.getByText('ana.souza@lakeport.example')).toHaveCount(0);
});
