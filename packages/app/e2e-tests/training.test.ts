import { expect, test } from '@playwright/test';
import {
  MLFLOW_TRAINING_TIMEOUT_MS,
  mlVenv,
  PROJECT_TOOL_TIMEOUT_MS,
} from '@lakeport/test-utils';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { call, cancelOpenRequests, revokeGrants, signedIn } from './portalApi';
import { clone, dryRun, runTemplate } from './projectsApi';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');
const shots = path.join(repo, 'test-results/screenshots');
const enc = encodeURIComponent;

const LABELS = 'dataset:lakeport:customers.curated.customers';
const FRAUD = 'dataset:lakeport:risk.feature.fraud_features';
/** A feature service of the sample Feast repository (registry `lakeport`, project `lakeport`). */
const CHURN_SERVICE = 'featureservice:lakeport/lakeport:churn_model_v1';
/** A name no earlier run took: projects are never overwritten, and the portal's database outlives a run. */
const model = `churn-e2e-${Date.now().toString(36)}`;
const snake = model.replace(/-/g, '_');

test.afterAll(async () => {
  await cancelOpenRequests('ana', LABELS);
  await cancelOpenRequests('ana', FRAUD);
});

/**
 * The training template against the Feast registry and the MLflow server
 * scripts/start runs: Ana scaffolds a churn model over the customers table
 * (labels), the fraud features table (a new feature view) and the sample
 * churn_model_v1 service (reused); the generated project's tests and
 * training run as a user runs them; the new version is on the model's page
 * with its feature service, views and datasets.
 */
test('a data scientist scaffolds a training project, trains it, and the version is linked to its features and datasets', async ({
  browser,
}) => {
  test.setTimeout(
    3 * PROJECT_TOOL_TIMEOUT_MS + MLFLOW_TRAINING_TIMEOUT_MS + 6 * 60_000,
  );
  // Ana reads the customers table masked (an earlier run may have left her a grant).
  await revokeGrants('chloe', LABELS, 'user:default/ana');
  const values = {
    labels: LABELS,
    labelColumn: 'is_active',
    entityKey: 'customer_id',
    datasets: [FRAUD],
    featureServices: [CHURN_SERVICE],
    model,
    owner: 'group:default/data-science',
    description: 'Which customers stay active',
  };
  const preview = await dryRun('ana', 'ml-training-project', values);
  const files = preview.directoryContents.map((f: any) => f.path);
  expect(files).toEqual(
    expect.arrayContaining([
      'train.py',
      'project.json',
      'feature_repo/feature_store.yaml',
      'training/features.py',
      'tests/test_training.py',
      'catalog-info.yaml',
    ]),
  );

  const task = await runTemplate('ana', 'ml-training-project', values);
  expect(task.status).toBe('completed');
  const dir = await clone(model);
  const project = JSON.parse(
    await fs.readFile(path.join(dir, 'project.json'), 'utf8'),
  );
  expect(project).toMatchObject({
    model,
    owner: 'group:default/data-science',
    datasets: ['risk.feature.fraud_features'],
    featureServices: ['churn_model_v1'],
    portalModelId: `model:local:${model}`,
  });
  // Ana reads the customers table masked: the template asked for it.
  const maskedOf = (id: string) =>
    project.maskedColumns.find((m: any) => m.datasetId === id)?.columns ?? [];
  expect(maskedOf(LABELS)).toEqual(expect.arrayContaining(['email']));
  const storeYaml = await fs.readFile(
    path.join(dir, 'feature_repo/feature_store.yaml'),
    'utf8',
  );
  expect(storeYaml).toContain('project: lakeport');
  expect(storeYaml).toContain(path.join(repo, 'data/feast/registry.db'));

  const python = path.join(mlVenv(), 'bin/python');
  const env = {
    ...process.env,
    LAKEPORT_LAKEHOUSE_ROOT: path.join(repo, 'data/lakehouse'),
    MLFLOW_TRACKING_USERNAME: 'admin',
    MLFLOW_TRACKING_PASSWORD:
      process.env.LAKEPORT_MLFLOW_ADMIN_PASSWORD ?? 'lakeport-dev-mlflow-admin',
  };
  const tests = await run(python, ['-m', 'unittest', '-v'], {
    cwd: dir,
    env,
    timeout: PROJECT_TOOL_TIMEOUT_MS,
  });
  expect(tests.stderr).toMatch(/Ran 3 tests[\s\S]*OK/);
  const trained = await run(python, ['train.py'], {
    cwd: dir,
    env,
    timeout: MLFLOW_TRAINING_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(trained.stdout.trim().split('\n').at(-1)!);
  expect(result).toMatchObject({ model, version: '1' });
  expect(result.metrics.accuracy).toBeGreaterThan(0);

  // The portal reads Feast and MLflow again (as an admin) and links the version.
  const modelId = `model:local:${model}`;
  const service = `featureservice:lakeport/lakeport:${snake}_training`;
  let inputs: any[] = [];
  await expect
    .poll(
      async () => {
        await call('marcus', 'POST', '/lakehouse/metadata-sources/sync').catch(
          () => undefined,
        );
        const data = await call(
          'ana',
          'GET',
          `/lakehouse/models/${enc(modelId)}/training-data`,
        ).catch(() => undefined);
        inputs = data?.versions?.find((v: any) => v.version === '1')?.inputs;
        return inputs?.some((i: any) => i.id === service) ?? false;
      },
      { timeout: 180_000, intervals: [5000] },
    )
    .toBe(true);
  const ids = inputs.map(i => i.id);
  expect(ids).toEqual(
    expect.arrayContaining([
      service,
      `featureview:lakeport/lakeport:${snake}_fraud_features`,
      'featureview:lakeport/lakeport:customer_profile',
      'featureview:lakeport/lakeport:customer_orders',
      LABELS,
      FRAUD,
      'dataset:lakeport:customers.feature.customer_profile_features',
    ]),
  );
  // The fraud table reached through the new view, the labels read directly.
  expect(inputs.find(i => i.id === FRAUD).via).toBe(
    `featureview:lakeport/lakeport:${snake}_fraud_features`,
  );
  expect(inputs.find(i => i.id === LABELS).via).toBeUndefined();
  expect(
    inputs.find(i => i.id === 'featureview:lakeport/lakeport:customer_profile')
      .via,
  ).toBe(service);
  // What is masked for Ana did not become a feature.
  const view = await call(
    'ana',
    'GET',
    `/lakehouse/features/${enc(
      `featureview:lakeport/lakeport:${snake}_fraud_features`,
    )}`,
  );
  const featureNames = view.features.map((f: any) => f.name);
  expect(featureNames.length).toBeGreaterThan(0);
  for (const column of maskedOf(FRAUD))
    expect(featureNames).not.toContain(column);
  const detail = await call('ana', 'GET', `/lakehouse/models/${enc(modelId)}`);
  expect(detail.owner).toBe('group:default/data-science');
  const version = detail.versions.find((v: any) => v.version === '1');
  expect(version.tags.owner).toBe('group:default/data-science');
  // The labels table holds PII: so does a model trained on it.
  expect(version.classification).toBe('pii');

  // Ana's view: the model's page, version 1's training data.
  const page = await signedIn(browser, 'Ana Souza');
  await expect(async () => {
    await page.goto('/models');
    await page.getByLabel('Search models').fill(model);
    await page
      .getByRole('table', { name: 'Models' })
      .getByRole('link', { name: model })
      .click({ timeout: 5_000 });
    await expect(
      page.getByRole('link', { name: 'Training data', exact: true }),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 240_000 });
  await page.getByRole('link', { name: 'Training data', exact: true }).click();
  const table = page.getByRole('table', {
    name: 'Training data of version 1',
  });
  for (const name of [
    `${snake}_training`,
    `${snake}_fraud_features`,
    'customer_profile',
    'customers.curated.customers',
  ])
    await expect(
      table.getByRole('row').filter({ hasText: name }).first(),
    ).toBeVisible();
  await page.screenshot({
    path: `${shots}/training-project-version.png`,
    fullPage: true,
  });
});
