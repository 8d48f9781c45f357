import { expect, Page, test } from '@playwright/test';
import {
  hasSpark,
  runSparkJob,
  SPARK_JOB_TIMEOUT_MS,
} from '@lakeport/test-utils';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const shots = path.join(repo, 'test-results/screenshots');
const APP = 'job:spark:country_customer_summary';

async function signInAs(page: Page, displayName: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${displayName}` }).click();
  await expect(page.getByText('Welcome to Lakeport')).toBeVisible();
}

test('a stock Spark job reports to the portal with the development token and shows as one job with its actions', async ({
  page,
}) => {
  test.setTimeout(SPARK_JOB_TIMEOUT_MS + 120_000);
  test.skip(!(await hasSpark()), 'PySpark is not installed');
  // The stock OpenLineage Spark listener, configured as its users do: HTTP
  // transport to the portal, api_key auth with the development token.
  await runSparkJob({
    script: path.join(repo, 'python/spark_jobs/country_customer_summary.py'),
    args: [
      '--lakehouse-root',
      path.join(repo, 'data/lakehouse'),
      '--output',
      path.join(os.tmpdir(), 'lakeport-e2e-spark', 'country_customer_summary'),
    ],
    openLineage: {
      url: 'http://localhost:7007/api/lakehouse/lineage',
      apiKey: 'lakeport-dev-openlineage-token',
    },
  });

  await signInAs(page, 'Ana Souza');
  await page.goto('/catalog/default/resource/commerce-curated-orders/lineage');
  await page.getByRole('button', { name: 'Downstream' }).click();
  const graph = page.getByTestId('lineage-graph');
  const app = graph.getByTestId(`lineage-node-${APP}`);
  await expect(app).toContainText('country_customer_summary');
  await expect(app).toContainText('1 child job');
  await expect(app).toContainText('complete');
  // Spark's START-only schema reads are hidden until asked for.
  await expect(page.getByText(/Unfinished jobs \(\d+ hidden\)/)).toBeVisible();
  await expect(
    graph.getByText('map_partitions_parallel_collection', { exact: false }),
  ).toHaveCount(0);

  await app.click();
  const details = page.getByTestId('lineage-node-details');
  await expect(details.getByTestId('lineage-node-children')).toContainText(
    'adaptive spark plan →',
  );
  // The listener's `"uri": "file"` was kept but not interpreted, and says so.
  await expect(details.getByTestId('lineage-node-problems')).toContainText(
    'facet dataSource ignored: uri is not a URI',
  );
  await page.screenshot({
    path: path.join(shots, 'lineage-spark-application.png'),
    fullPage: true,
  });

  await page.getByLabel(/Unfinished jobs/).check();
  await expect(app).toContainText('2 child jobs');
  await page.getByLabel('Child jobs').check();
  await expect(
    graph.getByTestId(
      'lineage-node-job:spark:country_customer_summary.map_partitions_parallel_collection',
    ),
  ).toContainText('never finished');
  await page.screenshot({
    path: path.join(shots, 'lineage-spark-actions.png'),
    fullPage: true,
  });
});
