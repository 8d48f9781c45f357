import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LakehouseApi } from '../lakehouseApi';
import { ConfigReader } from '@backstage/config';
import { projectPublishing, templateFilters } from '../templateFilters';
import { createDatasetPlanAction } from './datasetPlan';
import { createPublishLocalAction } from './publishLocal';
import { createTemplateAuditAction, redactParameters } from './templateAudit';

const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';

describe('project actions', () => {
  let tmp: string;
  let workspacePath: string;
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lakeport-project-'));
    workspacePath = path.join(tmp, 'workspace');
    await fs.mkdir(path.join(workspacePath, 'contracts'), { recursive: true });
    await fs.writeFile(
      path.join(workspacePath, 'catalog-info.yaml'),
      'kind: Component\nmetadata:\n  name: churn-notebook\n',
    );
    await fs.writeFile(
      path.join(workspacePath, 'contracts/out.odcs.yaml'),
      'kind: DataContract\n',
    );
  });
  afterEach(() => fs.rm(tmp, { recursive: true, force: true }));

  it('publishes the workspace to a new bare repository once, and tells the catalog', async () => {
    const gitDirectory = path.join(tmp, 'projects');
    const published: unknown[] = [];
    // The catalog reads the repository a moment later: the step waits.
    const getEntityByRef = jest
      .fn()
      .mockResolvedValueOnce(undefined)
      .mockResolvedValue({ kind: 'Component' });
    const action = createPublishLocalAction({
      gitDirectory,
      events: { publish: async (e: unknown) => published.push(e) } as any,
      catalog: { getEntityByRef } as any,
    });
    const ctx = createMockActionContext({
      workspacePath,
      input: { repoName: 'churn-notebook' },
    });
    await action.handler(ctx as any);
    const bare = path.join(gitDirectory, 'churn-notebook.git');
    expect(ctx.output).toHaveBeenCalledWith('remoteUrl', `file://${bare}`);
    expect(
      execFileSync(
        'git',
        ['--git-dir', bare, 'ls-tree', '-r', '--name-only', 'main'],
        {
          encoding: 'utf8',
        },
      )
        .trim()
        .split('\n'),
    ).toEqual(['catalog-info.yaml', 'contracts/out.odcs.yaml']);
    expect(getEntityByRef).toHaveBeenCalledTimes(2);
    expect(getEntityByRef).toHaveBeenLastCalledWith(
      'component:default/churn-notebook',
      expect.anything(),
    );
    expect(published).toEqual([
      {
        topic: 'lakeport.projects.published',
        eventPayload: {
          repoName: 'churn-notebook',
          remoteUrl: `file://${bare}`,
        },
      },
    ]);
    // The name is taken: a second project never overwrites the first.
    await expect(
      action.handler(
        createMockActionContext({
          workspacePath,
          input: { repoName: 'churn-notebook' },
        }) as any,
      ),
    ).rejects.toThrow('already exists');
    await expect(
      action.handler(
        createMockActionContext({
          workspacePath,
          input: { repoName: '../escape' },
        }) as any,
      ),
    ).rejects.toThrow('lowercase letters');
  });

  it('plans the output with the contract from the workspace; a dry run plans nothing', async () => {
    const posted: Array<{ path: string; body: any }> = [];
    const api: LakehouseApi = {
      get: async () => ({} as any),
      post: async (p: string, body: any) => {
        posted.push({ path: p, body });
        return {
          status: 'planned',
          outputId: `dataset:lakeport:${body.output}`,
        } as any;
      },
    };
    const input = {
      job: { namespace: 'spark', name: 'churn_inputs' },
      output: 'customers.feature.churn_inputs',
      inputs: [CUSTOMERS],
      owner: 'group:default/data-science',
      project: 'component:default/churn-inputs',
      contractPath: 'contracts/out.odcs.yaml',
    };
    const dry = {
      ...createMockActionContext({ workspacePath, input }),
      isDryRun: true,
    };
    await createDatasetPlanAction({ api }).handler(dry as any);
    expect(posted).toEqual([]);
    const ctx = createMockActionContext({ workspacePath, input });
    await createDatasetPlanAction({ api }).handler(ctx as any);
    expect(posted).toEqual([
      {
        path: '/planned',
        body: {
          job: input.job,
          output: input.output,
          inputs: [CUSTOMERS],
          owner: input.owner,
          project: input.project,
          contract: 'kind: DataContract\n',
        },
      },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('status', 'planned');
    await expect(
      createDatasetPlanAction({ api }).handler(
        createMockActionContext({
          workspacePath,
          input: { ...input, contractPath: '../../etc/passwd' },
        }) as any,
      ),
    ).rejects.toThrow(/outside/);
  });

  it('audits a template run with its parameters, secret-looking ones redacted', async () => {
    const auditor = mockServices.auditor.mock();
    const success = jest.fn();
    auditor.createEvent.mockResolvedValue({ success, fail: jest.fn() } as any);
    const ctx = createMockActionContext({
      workspacePath,
      input: {
        parameters: {
          datasets: [CUSTOMERS],
          purpose: 'churn',
          apiToken: 'abc',
          nested: { password: 'x', keep: 1 },
        },
      },
    });
    await createTemplateAuditAction({ auditor }).handler(ctx as any);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'template-run',
        meta: expect.objectContaining({
          parameters: {
            datasets: [CUSTOMERS],
            purpose: 'churn',
            apiToken: '[redacted]',
            nested: { password: '[redacted]', keep: 1 },
          },
        }),
      }),
    );
    expect(success).toHaveBeenCalled();
    expect(redactParameters(['a', { secret: 's' }])).toEqual([
      'a',
      { secret: '[redacted]' },
    ]);
  });

  it('turns dataset ids into catalog refs and table names for templates', () => {
    expect(templateFilters.datasetEntityRef([CUSTOMERS])).toEqual([
      'resource:default/customers-curated-customers',
    ]);
    expect(templateFilters.datasetTable(CUSTOMERS)).toBe(
      'customers.curated.customers',
    );
    const topic = 'dataset:kafka://127.0.0.1:9092:commerce.checkout_events';
    expect(templateFilters.datasetEntityRef(topic)).toBe(
      'resource:default/topic-commerce-checkout-events',
    );
    expect(templateFilters.datasetTable(topic)).toBe(
      'commerce.checkout_events',
    );
    expect(templateFilters.streamBootstrap(topic)).toBe('127.0.0.1:9092');
    expect(templateFilters.streamBootstrap(CUSTOMERS)).toBe('');
    expect(
      templateFilters.feastProject([
        'featureservice:lakeport/churn:churn_model_v1',
      ]),
    ).toEqual(['churn']);
  });
});

describe('projectPublishing', () => {
  it('publishes locally where a projects directory is configured, else to GitHub', () => {
    expect(
      projectPublishing(
        new ConfigReader({ lakeport: { projects: { gitDirectory: 'x' } } }),
      ),
    ).toMatchObject({ publisher: 'local', githubOwner: '' });
    expect(
      projectPublishing(
        new ConfigReader({
          lakeport: {
            projects: {
              gitDirectory: 'x',
              publisher: 'github',
              github: { owner: 'acme' },
            },
          },
        }),
      ),
    ).toMatchObject({ publisher: 'github', githubOwner: 'acme' });
    expect(() =>
      projectPublishing(
        new ConfigReader({ lakeport: { projects: { publisher: 'svn' } } }),
      ),
    ).toThrow('local or github');
  });

  it('tells training projects where the Feast registry and the MLflow server the portal reads are', () => {
    const servers = [
      { name: 'local', baseUrl: 'http://127.0.0.1:5000' },
      { name: 'prod', baseUrl: 'https://mlflow.example' },
    ];
    const of = (projects: object) =>
      projectPublishing(
        new ConfigReader({
          lakeport: { projects, mlflow: { servers } },
        }),
      );
    expect(
      of({
        gitDirectory: 'x',
        feast: { registry: 'data/registry.db', project: 'ml' },
      }),
    ).toMatchObject({
      feast: {
        registry: path.resolve('data/registry.db'),
        registryType: 'file',
        project: 'ml',
      },
      mlflow: { server: 'local', trackingUri: 'http://127.0.0.1:5000' },
    });
    expect(
      of({
        gitDirectory: 'x',
        feast: { registry: 'postgresql+psycopg://feast@db/feast' },
        mlflow: { server: 'prod', trackingUri: 'http://mlflow.internal' },
      }),
    ).toMatchObject({
      feast: { registryType: 'sql', project: 'default' },
      mlflow: { server: 'prod', trackingUri: 'http://mlflow.internal' },
    });
    expect(
      of({ gitDirectory: 'x', feast: { registry: 's3://bucket/registry.pb' } })
        .feast,
    ).toEqual({
      registry: 's3://bucket/registry.pb',
      registryType: 'file',
      project: 'default',
    });
    expect(() => of({ gitDirectory: 'x', mlflow: { server: 'nope' } })).toThrow(
      'no MLflow server named nope',
    );
  });
});
