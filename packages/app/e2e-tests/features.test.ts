import { expect, test } from '@playwright/test';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const shots = path.join(repo, 'test-results/screenshots');

/**
 * The sample Feast repository, applied by scripts/start with real Feast and
 * served by `feast serve_registry --rest-api`, as a data scientist meets it.
 */
test('a data scientist finds a feature by name, sees where it comes from, its freshness and PII, and copies the code', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in as Ana Souza' }).click();
  await expect(page.getByText('Welcome to Lakeport')).toBeVisible();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Features' })
    .click();

  // The portal syncs Feast shortly after start: wait for the first sync.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText(/7 feature views and services/)).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000 });

  await page.getByLabel('Search features').fill('age_ba');
  const table = page.getByRole('table', { name: 'Features' });
  await expect(
    page.getByText(/2 feature views and services matching/),
  ).toBeVisible();
  const row = table.getByRole('row').filter({
    has: page.getByRole('link', { name: 'customer_profile', exact: true }),
  });
  await expect(row.getByText('feature: age_band')).toBeVisible();
  await expect(row.getByText('PII')).toBeVisible();
  await page.screenshot({
    path: `${shots}/features-search.png`,
    fullPage: true,
  });
  await row.getByRole('link', { name: 'customer_profile' }).click();

  // Overview: owner group from the Feast owner's email, freshness against TTL.
  // (The catalog takes its feature entities a little after the first sync.)
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole('link', { name: 'Feature overview', exact: true }),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 120_000 });
  await page
    .getByRole('link', { name: 'Feature overview', exact: true })
    .click();
  await expect(page.getByLabel('freshness fresh')).toBeVisible();
  await expect(page.getByText(/materialized up to/)).toBeVisible();
  await expect(page.getByText('Derived from personal data')).toBeVisible();
  await page.screenshot({
    path: `${shots}/feature-view-overview.png`,
    fullPage: true,
  });

  // Features: the PII flag on the feature derived from the date of birth.
  await page
    .getByRole('link', { name: 'Features', exact: true })
    .last()
    .click();
  const ageBand = page.getByTestId('feature-age_band');
  await expect(ageBand.getByTestId('classification-pii')).toBeVisible();
  await expect(
    ageBand.getByText('customer_profile_features.age_band'),
  ).toBeVisible();

  // Sources: the lakehouse dataset it reads, with a link and its quality grade.
  await page.getByRole('link', { name: 'Sources', exact: true }).click();
  await expect(page.getByText('Lakehouse dataset:')).toBeVisible();
  const dataset = page.getByRole('link', { name: 'Customer profile features' });
  await expect(dataset).toBeVisible();
  await page.screenshot({
    path: `${shots}/feature-view-sources.png`,
    fullPage: true,
  });

  // Lineage: dataset → feature view → feature service.
  await page.getByRole('link', { name: 'Lineage', exact: true }).click();
  await expect(
    page.getByTestId(
      'lineage-node-dataset:lakeport:customers.feature.customer_profile_features',
    ),
  ).toBeVisible({ timeout: 30_000 });
  await expect(
    page.getByTestId(
      'lineage-node-featureservice:lakeport/lakeport:churn_model_v1',
    ),
  ).toBeVisible();
  // …and on to the MLflow model version trained on that service's features.
  await expect(
    page.getByTestId('lineage-node-modelversion:local:churn-classifier/2'),
  ).toBeVisible();
  await page.screenshot({
    path: `${shots}/feature-view-lineage.png`,
    fullPage: true,
  });

  // Use it: the snippet with this view's references and entity key, copied.
  await page.getByRole('link', { name: 'Use it', exact: true }).click();
  await expect(page.getByText('"customer_profile:age_band",')).toBeVisible();
  await page.getByRole('button', { name: 'Copy snippet' }).click();
  await expect(page.getByText('Copied to the clipboard')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('store.get_historical_features(');
  expect(copied).toContain('"customer_id": [100001]');
  expect(copied).toContain('"customer_profile:age_band",');
  await page.screenshot({
    path: `${shots}/feature-view-use-it.png`,
    fullPage: true,
  });
});
