import { Browser, expect, test } from '@playwright/test';
import path from 'node:path';
import { signedIn } from './portalApi';

const repo = path.resolve(__dirname, '../../..');
const shots = path.join(repo, 'test-results/screenshots');

/** The sample MLflow server of scripts/start (scripts/lib/mlflow.sh), as its portal user reads it. */
const MLFLOW = 'http://127.0.0.1:5000';
const MLFLOW_AUTH = `Basic ${Buffer.from(
  `lakeport:${process.env.LAKEPORT_MLFLOW_PASSWORD ?? 'lakeport-dev-mlflow'}`,
).toString('base64')}`;

async function championInMlflow(): Promise<string | undefined> {
  const res = await fetch(
    `${MLFLOW}/api/2.0/mlflow/registered-models/alias?name=fraud-detector&alias=champion`,
    { headers: { Authorization: MLFLOW_AUTH } },
  );
  return res.ok ? (await res.json()).model_version.version : undefined;
}

/** Each person in a browser context of their own, signed in. */

/**
 * Real MLflow models trained by scripts/start over the sample lakehouse:
 * Yuki compares fraud-detector's versions on the chart, sees that version
 * 3 was trained on a dataset graded D, asks to promote version 2; Dev
 * (risk-data, the owners) approves, and MLflow's alias moves.
 */
test('a data scientist compares versions, asks for a promotion, the owner approves and MLflow’s alias moves', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const page = await signedIn(browser, 'Yuki Tanaka');
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Models' })
    .click();
  // The first MLflow sync follows the first lakehouse sync.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('2 models')).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 180_000 });
  await page.getByLabel('Search models').fill('fraud');
  await expect(page.getByText('1 model matching “fraud”')).toBeVisible();
  const table = page.getByRole('table', { name: 'Models' });
  const row = table.getByRole('row').filter({ hasText: 'fraud-detector' });
  await expect(row.getByText('champion → v1')).toBeVisible();
  await page.screenshot({ path: `${shots}/models-search.png`, fullPage: true });

  // The catalog takes its model entities shortly after the first sync.
  await expect(async () => {
    await page.reload();
    await row.getByRole('link', { name: 'fraud-detector' }).click();
    await expect(
      page.getByRole('link', { name: 'Versions', exact: true }),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 120_000 });

  // Versions → pick all three → Compare: a chart of each metric across versions.
  await page.getByRole('link', { name: 'Versions', exact: true }).click();
  const versions = page.getByRole('table', { name: 'Versions' });
  await expect(versions.getByRole('row')).toHaveCount(4);
  for (const v of ['1', '2', '3'])
    await page.getByLabel(`Select version ${v}`).check();
  await page.getByRole('button', { name: 'Compare 3 versions' }).click();
  const chart = page.getByRole('figure', {
    name: 'roc_auc across versions',
    exact: true,
  });
  await expect(chart).toBeVisible();
  // One point per version, in version order.
  await expect(chart.locator('.recharts-line-dot')).toHaveCount(3);
  await expect(chart.getByText('v3')).toBeVisible();
  await expect(
    page.getByRole('figure', { name: 'validation_roc_auc by step' }),
  ).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Params that differ' }),
  ).toContainText('max_depth');
  await expect(
    page.getByRole('table', { name: 'Signature inputs that differ' }),
  ).toContainText('web_sessions');
  await page.screenshot({ path: `${shots}/model-compare.png`, fullPage: true });

  // Training data: version 3 read the raw web events, graded D.
  await page.getByRole('link', { name: 'Training data', exact: true }).click();
  const v3 = page.getByRole('table', { name: 'Training data of version 3' });
  const web = v3
    .getByRole('row')
    .filter({ hasText: 'customers.raw.web_events' });
  await expect(web.getByLabel('grade D')).toBeVisible();
  await page.screenshot({
    path: `${shots}/model-training-data.png`,
    fullPage: true,
  });

  // Ask for version 2 as champion: every gate passes.
  await page.getByRole('link', { name: 'Promotions', exact: true }).click();
  await page.getByRole('button', { name: 'Ask for a promotion' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Alias').click();
  await page.getByRole('option', { name: 'champion' }).click();
  await dialog.getByLabel('Version').click();
  await page.getByRole('option', { name: 'v2', exact: true }).click();
  await dialog
    .getByLabel('Reason')
    .fill(
      'Better ROC AUC with spend aggregates, without the D-graded web events',
    );
  await dialog.getByRole('button', { name: 'Ask' }).click();
  const open = page.getByLabel('Promotion of champion to version 2');
  await expect(open).toBeVisible();
  await expect(open.getByText('failed')).toHaveCount(0);
  await expect(open.getByText('passed')).toHaveCount(4);
  await page.screenshot({
    path: `${shots}/model-promotion-asked.png`,
    fullPage: true,
  });
  // Yuki cannot approve her own request.
  await open.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('status')).toContainText(
    /own promotion|Not allowed/,
  );
  expect(await championInMlflow()).toBe('1');

  // Dev of risk-data, the model's owners, approves; the alias moves in MLflow.
  const dev = await signedIn(browser, 'Dev Patel');
  await dev.goto(page.url());
  const toDecide = dev.getByLabel('Promotion of champion to version 2');
  await toDecide.getByLabel('Comment').fill('Approved for the fraud team');
  await toDecide.getByRole('button', { name: 'Approve' }).click();
  await expect(dev.getByRole('status')).toContainText(
    'fraud-detector@champion → v2: Done',
  );
  expect(await championInMlflow()).toBe('2');
  await expect(dev.getByLabel('Alias audit')).toContainText('alias-set');
  await dev.screenshot({
    path: `${shots}/model-promotion-approved.png`,
    fullPage: true,
  });
  await dev.getByRole('link', { name: 'Model', exact: true }).click();
  const aliases = dev.getByRole('table', { name: 'Aliases' });
  await expect(
    aliases.getByRole('row').filter({ hasText: 'champion' }),
  ).toContainText('version 2');
});
