import { expect, Page, test } from '@playwright/test';
import {
  EXTERNAL_TOOL_TEST_TIMEOUT_MS,
  EXTERNAL_TOOL_TIMEOUT_MS,
} from '@lakeport/test-utils';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const repo = path.resolve(__dirname, '../../..');
const python =
  process.env.LAKEPORT_PYTHON ?? path.join(repo, '.venv/bin/python');
const PROFILE = 'dataset:lakeport:customers.feature.customer_profile_features';
const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';
const TRAINING_SET = 'dataset:lakeport:ml.churn_training_set';
const shots = path.join(repo, 'test-results/screenshots');

async function signInAs(page: Page, displayName: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${displayName}` }).click();
  await expect(page.getByText('Welcome to Lakeport')).toBeVisible();
}

test.beforeAll(async () => {
  test.setTimeout(EXTERNAL_TOOL_TEST_TIMEOUT_MS);
  // A producer posts with the OpenLineage Python client and the development
  // token, to the URL a producer is configured with.
  await promisify(execFile)(
    python,
    [
      path.join(repo, 'python/lakeport_tools/emit_openlineage.py'),
      '--url',
      'http://localhost:7007/api/lakehouse/lineage',
      '--api-key',
      'lakeport-dev-openlineage-token',
      '--lakehouse-root',
      path.join(repo, 'data/lakehouse'),
    ],
    { timeout: EXTERNAL_TOOL_TIMEOUT_MS },
  );
});

test('a data scientist follows the lineage of the profile features, the hashed email path and the impact', async ({
  page,
}) => {
  await signInAs(page, 'Ana Souza');
  await page.goto(
    '/catalog/default/resource/customers-feature-customer-profile-features',
  );
  await page.getByRole('link', { name: 'Lineage', exact: true }).click();

  // Upstream from the sample lineage, downstream from the Python client.
  const graph = page.getByTestId('lineage-graph');
  await expect(graph.getByTestId(`lineage-node-${PROFILE}`)).toBeVisible();
  await expect(graph.getByTestId(`lineage-node-${CUSTOMERS}`)).toBeVisible();
  await expect(graph.getByTestId(`lineage-node-${TRAINING_SET}`)).toBeVisible();
  await expect(
    graph.getByTestId('lineage-node-job:lakeport:ml.build_churn_training_set'),
  ).toContainText('fail');
  // A job's details: its SQL and the error of its failed run.
  await graph
    .getByTestId('lineage-node-job:lakeport:ml.build_churn_training_set')
    .click();
  const details = page.getByTestId('lineage-node-details');
  await expect(details).toContainText('Table not found');
  await expect(details).toContainText('SELECT p.customer_id');
  await page.screenshot({ path: `${shots}/lineage-graph.png`, fullPage: true });

  // Expanding the training set brings in the scoring job downstream of it.
  await graph
    .getByRole('button', { name: 'expand ml.churn_training_set' })
    .click();
  await expect(
    graph.getByTestId('lineage-node-job:lakeport:ml.score_churn'),
  ).toBeVisible();

  // Column level: the hashed email's path, back to the CRM extract.
  await page.getByLabel('Column level').check();
  await graph.getByTestId(`lineage-column-${PROFILE}#email_sha256`).click();
  await expect(
    graph.getByTestId(`lineage-column-${CUSTOMERS}#email`),
  ).toHaveAttribute('data-highlighted', 'true');
  await expect(
    graph.getByTestId(
      'lineage-column-dataset:lakeport:customers.raw.crm_customers#email',
    ),
  ).toHaveAttribute('data-highlighted', 'true');
  await expect(
    graph.getByTestId(`lineage-column-${CUSTOMERS}#country_code`),
  ).toHaveAttribute('data-highlighted', 'false');
  await expect(graph.getByText('masked')).toBeVisible();
  await page.screenshot({ path: `${shots}/lineage-columns.png` });

  // Whom to warn before changing it.
  await page.getByRole('button', { name: 'Impact' }).click();
  const impact = page.getByRole('table', { name: 'downstream assets' });
  await expect(impact.getByText('ml.churn_training_set')).toBeVisible();
  await expect(page.getByTestId('impact-owners')).toContainText('data-science');
  await page.screenshot({ path: `${shots}/lineage-impact.png` });

  // Classification that followed the data, on the schema.
  await page.getByRole('link', { name: 'Schema', exact: true }).click();
  await expect(page.getByTestId('lineage-classification-age_band')).toHaveText(
    'overrides derived pii',
  );
  await expect(
    page.getByTestId('lineage-classification-email_sha256'),
  ).toHaveText('pii removed upstream');
});

test('a table read by many jobs shows a few per distance and the rest on demand', async ({
  page,
}) => {
  // 40 report jobs read the chargebacks table, each writing its own report.
  for (let i = 0; i < 40; i++) {
    const response = await fetch(
      'http://localhost:7007/api/lakehouse/lineage/api/v1/lineage',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer lakeport-dev-openlineage-token',
        },
        body: JSON.stringify({
          eventType: 'COMPLETE',
          eventTime: '2026-11-26T10:00:00Z',
          producer: 'https://lakeport.dev/e2e',
          schemaURL:
            'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
          run: {
            runId: `e2e0e2e0-0000-4000-8000-${String(i).padStart(12, '0')}`,
          },
          job: { namespace: 'reports', name: `chargeback_report_${i}` },
          inputs: [{ namespace: 'lakeport', name: 'risk.raw.chargebacks' }],
          outputs: [{ namespace: 'reports', name: `chargebacks_${i}` }],
        }),
      },
    );
    expect(response.status).toBeLessThan(300);
  }
  await signInAs(page, 'Ana Souza');
  await page.goto('/catalog/default/resource/risk-raw-chargebacks/lineage');
  const graph = page.getByTestId('lineage-graph');
  // 41 jobs and 41 datasets downstream: 15 of each and a group for the rest.
  const groups = graph.getByText(/^\+26 more at this distance$/);
  await expect(groups).toHaveCount(2);
  // The 40 report jobs: some shown, the rest in a group until asked for.
  const reports = graph.locator(
    '[data-testid^="lineage-node-job:reports:chargeback_report_"]',
  );
  const outputs = graph.locator(
    '[data-testid^="lineage-node-dataset:reports:chargebacks_"]',
  );
  expect(await reports.count()).toBeLessThan(40);
  expect(await outputs.count()).toBeLessThan(40);
  // Distance 1 (the jobs), then distance 2 (their outputs).
  await graph.getByTestId('lineage-group-1').getByText('show all').click();
  await expect(groups).toHaveCount(1);
  await expect(graph.getByTestId('lineage-group-1')).toHaveCount(0);
  // After the first opening the graph is larger than the pane and the
  // second group may lie outside it (a user pans or fits the view; those
  // are React Flow's gestures, not under test): its control is pressed.
  await graph
    .getByTestId('lineage-group-2')
    .getByText('show all')
    .dispatchEvent('click');
  await expect(groups).toHaveCount(0);
  await expect(reports).toHaveCount(40);
  await expect(outputs).toHaveCount(40);
  await page.screenshot({ path: `${shots}/lineage-crowded.png` });
});
