import { Browser, expect, Page, test } from '@playwright/test';
import {
  AIRFLOW_DAG_TEST_TIMEOUT_MS,
  hasProjectTools,
  NOTEBOOK_RUN_TIMEOUT_MS,
  PROJECT_TOOL_TIMEOUT_MS,
  runGeneratedPipeline,
  runNotebook,
} from '@lakeport/test-utils';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { call, revokeGrants, signedIn, tokenOf } from './portalApi';
import { clone, dryRun, runTemplate } from './projectsApi';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');
const shots = path.join(repo, 'test-results/screenshots');
const notebooks = path.join(repo, 'test-results/notebooks');
const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';
const ORDERS = 'dataset:lakeport:commerce.curated.orders';
/** Names no earlier run of this portal took (projects are never overwritten). */
const suffix = Date.now().toString(36);

/** Standard output of a notebook's cells, joined. */
const printed = (nb: { cells: Array<{ outputs?: any[] }> }) =>
  nb.cells
    .flatMap(c => c.outputs ?? [])
    .filter(o => o.name === 'stdout')
    .map(o => [o.text].flat().join(''))
    .join('');

/**
 * The orders' downstream jobs, all of them: every run of this test on a
 * machine adds a pipeline there, so past 15 jobs the graph groups the rest.
 */
async function ordersDownstream(page: Page) {
  await page.goto('/catalog/default/resource/commerce-curated-orders/lineage');
  await page.getByRole('button', { name: 'Downstream' }).click();
  await expect(
    page.getByTestId('lineage-node-dataset:lakeport:commerce.curated.orders'),
  ).toBeVisible();
  const jobs = page.getByTestId('lineage-group-1');
  if (await jobs.count()) await jobs.getByText('show all').click();
}

test('a data scientist opens the customer table in a notebook: picker filled, project created, component in the catalog, access requested', async ({
  browser,
}) => {
  test.setTimeout(4 * 60_000);
  const name = `ana-look-${suffix}`;
  await revokeGrants('chloe', CUSTOMERS, 'user:default/ana');
  const ana = await signedIn(browser, 'Ana Souza');
  await ana.goto(
    '/catalog/default/resource/customers-curated-customers/dataset',
  );
  await ana.getByRole('link', { name: 'Open in a notebook' }).click();
  // The picker is filled in, with what Ana may read.
  const picked = ana.getByTestId(`picked-dataset-${CUSTOMERS}`);
  await expect(picked).toContainText('pii');
  await expect(picked).toContainText(/masked for you: .*email/);
  await ana.getByLabel('Purpose').fill('First look at customer churn drivers');
  await ana.screenshot({ path: `${shots}/template-notebook-picker.png` });
  await ana.getByRole('button', { name: 'Next' }).click();
  await ana.getByLabel('Name').fill(name);
  await ana.getByLabel('Owner').fill('Data Science');
  await ana
    .getByRole('option', { name: /Data Science/ })
    .first()
    .click();
  await ana.getByRole('button', { name: 'Review' }).click();
  await ana.getByRole('button', { name: 'Create' }).click();
  // The task's steps complete, one by one.
  await expect(ana.getByText('Publish', { exact: true })).toBeVisible();
  await expect(ana.getByRole('link', { name: 'Open in catalog' })).toBeVisible({
    timeout: 120_000,
  });
  await ana.screenshot({ path: `${shots}/template-notebook-done.png` });
  await ana.getByRole('link', { name: 'Open in catalog' }).click();
  // The component reaches the catalog from the published repository.
  await expect(ana.getByText(name).first()).toBeVisible({ timeout: 60_000 });
  await expect(ana.getByText('Data Science').first()).toBeVisible();
  // Her access request, filed on her behalf, is in My access.
  await ana.goto('/access');
  await expect(
    ana
      .getByRole('table', { name: 'My requests' })
      .getByRole('row')
      .filter({
        hasText: `Notebook ${name}`,
      })
      .first(),
  ).toBeVisible();
  await ana.screenshot({ path: `${shots}/template-notebook-my-access.png` });
});

test('the generated notebook reads through the query API as Ana: masked before her access is approved, unmasked after', async () => {
  test.setTimeout(4 * NOTEBOOK_RUN_TIMEOUT_MS + 2 * 60_000);
  test.skip(!(await hasProjectTools()), 'papermill is not installed');
  await revokeGrants('chloe', CUSTOMERS, 'user:default/ana');
  const name = `ana-notebook-${suffix}`;
  const values = {
    datasets: [CUSTOMERS],
    purpose: 'Churn drivers in the customer table',
    name,
    owner: 'group:default/data-science',
  };
  const dry = await dryRun('ana', 'lakehouse-notebook', values);
  expect(dry.steps.map((s: any) => s.id)).toEqual([
    'audit',
    'fetch',
    'access',
    'publish',
    'publish-github',
    'register',
  ]);
  // The embedded default publishes to its local git, not to GitHub.
  expect(dry.log.map((l: any) => l.body.message)).toContain(
    'Skipping step publish-github because its if condition was false',
  );
  expect(dry.directoryContents.map((f: any) => f.path)).toContain(
    'notebooks/first_look.ipynb',
  );
  await runTemplate('ana', 'lakehouse-notebook', values);
  const dir = await clone(name);
  await fs.mkdir(notebooks, { recursive: true });
  const env = {
    LAKEPORT_URL: 'http://localhost:7007',
    LAKEPORT_TOKEN: await tokenOf('ana'),
  };
  const before = await runNotebook({
    cwd: path.join(dir, 'notebooks'),
    notebook: 'first_look.ipynb',
    output: path.join(notebooks, `${name}-before.ipynb`),
    parameters: { limit: 50 },
    env,
  });
  expect(printed(before)).toMatch(
    /masked columns of customers\.curated\.customers: .*email/,
  );

  // Her request (filed by the template, or earlier and still open) is
  // approved by the owner, then the steward.
  const open = (
    await call('ana', 'GET', '/lakehouse/access/requests?mine=true')
  ).items.filter(
    (r: any) => r.datasetId === CUSTOMERS && r.status === 'requested',
  );
  expect(open.length).toBeGreaterThan(0);
  for (const reviewer of ['chloe', 'sofia'])
    await call(
      reviewer,
      'POST',
      `/lakehouse/access/requests/${open[0].id}/decision`,
      {
        decision: 'approve',
        comment: 'For the churn notebook',
      },
    );
  await expect
    .poll(
      async () =>
        (
          await call('ana', 'GET', `/lakehouse/access/requests/${open[0].id}`)
        ).status,
      { timeout: 60_000 },
    )
    .toBe('active');
  try {
    const after = await runNotebook({
      cwd: path.join(dir, 'notebooks'),
      notebook: 'first_look.ipynb',
      output: path.join(notebooks, `${name}-after.ipynb`),
      parameters: { limit: 50 },
      env,
    });
    expect(printed(after)).toContain(
      'masked columns of customers.curated.customers: none',
    );
  } finally {
    // Leave Ana without access, as the other tests expect her.
    await revokeGrants('chloe', CUSTOMERS, 'user:default/ana');
  }
  await fs.rm(dir, { recursive: true, force: true });
});

test('the generated batch pipeline runs in Airflow and Spark and shows up governed: planned, then real with its lineage chain, contract with PII and a quality run', async ({
  browser,
}) => {
  test.setTimeout(AIRFLOW_DAG_TEST_TIMEOUT_MS + 2 * PROJECT_TOOL_TIMEOUT_MS);
  test.skip(!(await hasProjectTools()), 'Airflow is not installed');
  const table = `orders_customers_${suffix}`;
  const output = `dataset:lakeport:commerce.feature.${table}`;
  const values = {
    inputs: [ORDERS, CUSTOMERS],
    name: table,
    domain: 'commerce',
    layer: 'feature',
    owner: 'group:default/data-science',
    schedule: '@daily',
    freshnessHours: 24,
  };
  const dry = await dryRun('ana', 'governed-batch-pipeline', values);
  expect(dry.directoryContents.map((f: any) => f.path)).toEqual(
    expect.arrayContaining([
      'dags/pipeline_dag.py',
      'jobs/transform.py',
      `contracts/commerce.feature.${table}.odcs.yaml`,
    ]),
  );
  await runTemplate('ana', 'governed-batch-pipeline', values);
  const planned = (await call('ana', 'GET', '/lakehouse/planned')).items.find(
    (p: any) => p.outputId === output,
  );
  expect(planned).toMatchObject({
    status: 'planned',
    owner: 'group:default/data-science',
    jobId: `job:spark:${table}`,
  });

  // In the graph: planned, downstream of the orders, before any run.
  const ana = await signedIn(browser, 'Ana Souza');
  await ordersDownstream(ana);
  await expect(
    ana
      .getByTestId(`lineage-node-job:spark:${table}`)
      .getByTestId('lineage-planned'),
  ).toBeVisible();
  await ana.screenshot({ path: `${shots}/template-pipeline-planned.png` });

  const dir = await clone(table.replace(/_/g, '-'));
  // The DAG keeps Airflow's own Jinja: it was not rendered by the template.
  expect(
    await fs.readFile(path.join(dir, 'dags/pipeline_dag.py'), 'utf8'),
  ).toContain('lineage_run_id(task_instance)');
  await runGeneratedPipeline({
    dir,
    dagId: table,
    lakehouseRoot: path.join(repo, 'data/lakehouse'),
    openLineage: {
      url: 'http://localhost:7007/api/lakehouse/lineage',
      apiKey: 'lakeport-dev-openlineage-token',
    },
  });

  // The lakehouse sync finds the table: planned → real.
  await call('marcus', 'POST', '/lakehouse/sync');
  await expect
    .poll(
      async () =>
        (
          await call('ana', 'GET', '/lakehouse/planned')
        ).items.find((p: any) => p.outputId === output).status,
      { timeout: 120_000, intervals: [2000] },
    )
    .toBe('real');
  const dataset = await call(
    'ana',
    'GET',
    `/lakehouse/datasets/${encodeURIComponent(output)}`,
  );
  expect(dataset.owner).toBe('group:default/data-science');
  // Classification derived from the inputs, through the contract.
  expect(dataset.classification).toBe('pii');
  expect(
    dataset.columns.find((c: any) => c.name === 'email').classification,
  ).toBe('pii');

  // DAG run → task → Spark application, one chain; columns from the inputs.
  const graph = await call(
    'ana',
    'GET',
    `/lakehouse/lineage/graph?node=${encodeURIComponent(
      `job:airflow:${table}.run_spark_job`,
    )}&direction=both&depth=1`,
  );
  const task = graph.nodes.find(
    (n: any) => n.id === `job:airflow:${table}.run_spark_job`,
  );
  expect(task.parent.id).toBe(`job:airflow:${table}`);
  expect(task.latestRun.state).toBe('COMPLETE');
  const spark = await call(
    'ana',
    'GET',
    `/lakehouse/lineage/graph?node=${encodeURIComponent(
      `job:spark:${table}`,
    )}&direction=both&depth=1`,
  );
  expect(
    spark.nodes.find((n: any) => n.id === `job:spark:${table}`).parent.id,
  ).toBe(`job:airflow:${table}.run_spark_job`);
  const columns = await call(
    'ana',
    'GET',
    `/lakehouse/lineage/columns?node=${encodeURIComponent(
      output,
    )}&column=email&direction=upstream&depth=2`,
  );
  expect(JSON.stringify(columns)).toContain(CUSTOMERS);

  // Its first quality run, from the project's contract.
  await expect
    .poll(
      async () =>
        (
          await call(
            'ana',
            'GET',
            `/lakehouse/quality/scorecards/${encodeURIComponent(output)}`,
          )
        ).checks?.length ?? 0,
      { timeout: 120_000, intervals: [2000] },
    )
    .toBeGreaterThan(0);

  // The chain in the graph, downstream of the orders; nothing planned left.
  await ordersDownstream(ana);
  // One job for the pipeline: the Spark application with its actions
  // (its parent, the Airflow task, is in its details), no longer planned.
  const app = ana.getByTestId(`lineage-node-job:spark:${table}`);
  await expect(app).toContainText('complete');
  await expect(app.getByTestId('lineage-planned')).toHaveCount(0);
  await ana.screenshot({ path: `${shots}/template-pipeline-lineage.png` });
  await fs.rm(dir, { recursive: true, force: true });
});
