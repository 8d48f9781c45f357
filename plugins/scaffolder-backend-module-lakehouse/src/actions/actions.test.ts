import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ConflictError } from '@backstage/errors';
import { parseContract } from '@lakeport/plugin-lakehouse-backend';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { LakehouseApi } from '../lakehouseApi';
import { createAccessRequestAction } from './accessRequest';
import { createContractGenerateAction } from './contractGenerate';
import { createContractValidateAction } from './contractValidate';
import { createTopicCreateAction } from './topicCreate';

const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';
const ORDERS = 'dataset:lakeport:commerce.curated.orders';

/**
 * The lakehouse API as these actions call it, answering from fixed
 * datasets (one layer: the actions; the API is tested in lakehouse-backend)
 * and validating contracts with the sync's own parser.
 */
function fakeApi(options: { masked?: Record<string, string[]> } = {}) {
  const posted: Array<{ path: string; body: any }> = [];
  const datasets: Record<string, any> = {
    [CUSTOMERS]: {
      name: 'customers.curated.customers',
      columns: [
        { name: 'customer_id', type: 'BIGINT', classification: 'internal' },
        { name: 'email', type: 'VARCHAR', classification: 'pii' },
        { name: 'segment', type: 'VARCHAR' },
      ],
    },
    [ORDERS]: {
      name: 'commerce.curated.orders',
      columns: [
        { name: 'order_id', type: 'BIGINT' },
        { name: 'customer_id', type: 'BIGINT' },
        { name: 'total', type: 'DOUBLE', classification: 'confidential' },
      ],
    },
  };
  const api: LakehouseApi = {
    async get(p: string) {
      const id = decodeURIComponent(p.split('/')[2]?.split('?')[0] ?? '');
      if (p.startsWith('/lineage/classifications')) {
        const node = decodeURIComponent(p.split('node=')[1]);
        // segment is derived from the date of birth upstream: PII by lineage.
        return {
          node,
          columns:
            node === CUSTOMERS
              ? [{ column: 'segment', derived: 'pii', status: 'derived' }]
              : [],
        } as any;
      }
      if (p.endsWith('/access'))
        return { maskedColumns: options.masked?.[id] ?? [] } as any;
      return datasets[id];
    },
    async post(p: string, body: any) {
      posted.push({ path: p, body });
      if (p === '/contracts/validate') {
        const { problems, table } = parseContract(
          body.file,
          parse(body.content),
        );
        return { valid: problems.length === 0, problems, table } as any;
      }
      if (p === '/streams/topics')
        return {
          datasetId: `dataset:kafka://127.0.0.1:9092:${body.topic}`,
          sourceId: 'kafka:local',
          topic: body.topic,
          partitions: body.partitions ?? 3,
        } as any;
      if (body.datasetId === ORDERS)
        throw new ConflictError('An open request exists');
      return { id: `req-${posted.length}`, status: 'requested' } as any;
    },
  };
  return { api, posted };
}

describe('lakehouse scaffolder actions', () => {
  let workspacePath: string;
  beforeEach(async () => {
    workspacePath = await fs.mkdtemp(
      path.join(os.tmpdir(), 'lakeport-scaffold-'),
    );
  });
  afterEach(() => fs.rm(workspacePath, { recursive: true, force: true }));

  it('writes a contract the sync accepts, with classifications derived from the input columns', async () => {
    const { api } = fakeApi();
    const ctx = createMockActionContext({
      workspacePath,
      input: {
        output: 'customers.feature.churn_inputs',
        owner: 'group:default/data-science',
        freshnessHours: 6,
        key: ['customer_id'],
        inputs: [CUSTOMERS, ORDERS],
        columns: [
          {
            name: 'customer_id',
            from: ['customers.curated.customers.customer_id'],
          },
          {
            name: 'email_domain',
            type: 'VARCHAR',
            from: ['customers.curated.customers.email'],
          },
          { name: 'segment', from: ['customers.curated.customers.segment'] },
          { name: 'spend', from: ['commerce.curated.orders.total'] },
        ],
      },
    });
    await createContractGenerateAction({ api }).handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith(
      'path',
      'contracts/customers.feature.churn_inputs.odcs.yaml',
    );
    expect(ctx.output).toHaveBeenCalledWith('classification', 'pii');
    const text = await fs.readFile(
      path.join(
        workspacePath,
        'contracts/customers.feature.churn_inputs.odcs.yaml',
      ),
      'utf8',
    );
    const { contract, problems } = parseContract('c.yaml', parse(text));
    expect(problems).toEqual([]);
    const classes = Object.fromEntries(
      contract!.properties.map(c => [c.name, c.classification]),
    );
    // A transformation of the email is not assumed to remove the PII;
    // segment is PII through lineage though its contract says nothing.
    expect(classes).toEqual({
      customer_id: 'internal',
      email_domain: 'pii',
      segment: 'pii',
      spend: 'confidential',
    });
    expect(contract).toMatchObject({
      owner: 'group:default/data-science',
      domain: 'customers',
      physicalName: 'customers.feature.churn_inputs',
      freshness: { hours: 6 },
    });
    // The default rules are checks the quality runner knows.
    expect(contract!.quality.problems).toEqual([]);
    expect(contract!.quality.checks.map(c => c.id)).toEqual([
      'table:rowCount',
      'table:duplicateValues',
      'schema',
      'freshness',
    ]);

    // The validate action agrees, and names problems when there are some.
    const validate = createContractValidateAction({ api });
    const ok = createMockActionContext({
      workspacePath,
      input: { path: 'contracts/customers.feature.churn_inputs.odcs.yaml' },
    });
    await validate.handler(ok as any);
    expect(ok.output).toHaveBeenCalledWith(
      'table',
      'customers.feature.churn_inputs',
    );
    await fs.writeFile(path.join(workspacePath, 'bad.yaml'), 'kind: Nope\n');
    await expect(
      validate.handler(
        createMockActionContext({
          workspacePath,
          input: { path: 'bad.yaml' },
        }) as any,
      ),
    ).rejects.toThrow(/bad.yaml is not a valid contract: .*kind/);
  });

  it('infers the columns from the inputs, refuses unknown sources and paths outside the workspace', async () => {
    const { api } = fakeApi();
    const action = createContractGenerateAction({ api });
    const ctx = createMockActionContext({
      workspacePath,
      input: {
        output: 'customers.feature.copy',
        owner: 'group:default/x',
        inputs: [CUSTOMERS],
      },
    });
    await action.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('columns', 3);
    await expect(
      action.handler(
        createMockActionContext({
          workspacePath,
          input: {
            output: 'customers.feature.copy',
            owner: 'group:default/x',
            inputs: [CUSTOMERS],
            columns: [
              { name: 'x', from: ['customers.curated.customers.shoe_size'] },
            ],
          },
        }) as any,
      ),
    ).rejects.toThrow(/does not have/);
    await expect(
      action.handler(
        createMockActionContext({
          workspacePath,
          input: {
            output: 'customers.feature.copy',
            owner: 'group:default/x',
            inputs: [CUSTOMERS],
            targetPath: '../../etc/contract.yaml',
          },
        }) as any,
      ),
    ).rejects.toThrow(/outside/);
  });

  it('asks for exactly the masked columns, skips what needs nothing, and never fails the project', async () => {
    const { api, posted } = fakeApi({
      masked: { [CUSTOMERS]: ['email', 'phone'], [ORDERS]: ['total'] },
    });
    const ctx = createMockActionContext({
      workspacePath,
      input: {
        datasets: [CUSTOMERS, ORDERS, 'dataset:lakeport:risk.raw.chargebacks'],
        purpose: 'Churn notebook',
        justification: 'Exploring churn drivers (JIRA-9)',
      },
    });
    await createAccessRequestAction({ api }).handler(ctx as any);
    expect(posted.map(p => p.body)).toEqual([
      expect.objectContaining({
        datasetId: CUSTOMERS,
        columns: ['email', 'phone'],
        purpose: 'Churn notebook',
      }),
      expect.objectContaining({ datasetId: ORDERS, columns: ['total'] }),
    ]);
    expect(ctx.output).toHaveBeenCalledWith('requests', [
      {
        datasetId: CUSTOMERS,
        columns: ['email', 'phone'],
        id: 'req-1',
        status: 'requested',
      },
      {
        datasetId: ORDERS,
        columns: ['total'],
        skipped: 'An open request exists',
      },
      {
        datasetId: 'dataset:lakeport:risk.raw.chargebacks',
        columns: [],
        skipped: 'nothing is masked for you',
      },
    ]);

    // A dry run asks for nothing.
    const dry = fakeApi({ masked: { [CUSTOMERS]: ['email'] } });
    const dryCtx = {
      ...createMockActionContext({
        workspacePath,
        input: { datasets: [CUSTOMERS], purpose: 'p', justification: 'j' },
      }),
      isDryRun: true,
    };
    await createAccessRequestAction({ api: dry.api }).handler(dryCtx as any);
    expect(dry.posted).toEqual([]);
  });

  it('creates a topic with the contract it writes: fields, classification, freshness in minutes; a dry run only checks it', async () => {
    const input = {
      topic: 'commerce.return_events',
      owner: 'group:default/commerce-data',
      domain: 'commerce',
      freshnessMinutes: 10,
      partitions: 2,
      project: 'component:default/returns',
      fields: [
        { name: 'return_id', type: 'string', required: true },
        { name: 'email', type: 'string', classification: 'pii' },
        { name: 'event_ts', type: 'timestamp' },
      ],
    };
    const dry = fakeApi();
    const dryCtx = createMockActionContext({ workspacePath, input });
    (dryCtx as any).isDryRun = true;
    await createTopicCreateAction({ api: dry.api }).handler(dryCtx as any);
    expect(dry.posted.map(p => p.path)).toEqual(['/contracts/validate']);

    const { api, posted } = fakeApi();
    const ctx = createMockActionContext({ workspacePath, input });
    await createTopicCreateAction({ api }).handler(ctx as any);
    const path_ = 'contracts/commerce.return_events.odcs.yaml';
    expect(ctx.output).toHaveBeenCalledWith('path', path_);
    expect(ctx.output).toHaveBeenCalledWith('classification', 'pii');
    expect(ctx.output).toHaveBeenCalledWith(
      'datasetId',
      'dataset:kafka://127.0.0.1:9092:commerce.return_events',
    );
    const yaml = await fs.readFile(path.join(workspacePath, path_), 'utf8');
    const { contract, problems } = parseContract(path_, parse(yaml));
    expect(problems).toEqual([]);
    expect(contract).toMatchObject({
      physicalName: 'commerce.return_events',
      stream: true,
      owner: 'group:default/commerce-data',
      freshness: { hours: 10 / 60, element: 'event_ts' },
    });
    // Unsure means internal, never public.
    expect(
      contract!.properties.map(p => [p.name, p.classification, p.logicalType]),
    ).toEqual([
      ['return_id', 'internal', 'string'],
      ['email', 'pii', 'string'],
      ['event_ts', 'internal', 'timestamp'],
    ]);
    const [request] = posted.filter(p => p.path === '/streams/topics');
    expect(request.body).toEqual({
      topic: 'commerce.return_events',
      owner: 'group:default/commerce-data',
      partitions: 2,
      project: 'component:default/returns',
      contract: yaml,
    });
  });

  it('refuses a topic whose fields repeat a name', async () => {
    const { api, posted } = fakeApi();
    const ctx = createMockActionContext({
      workspacePath,
      input: {
        topic: 't',
        owner: 'group:default/commerce-data',
        fields: [
          { name: 'a', type: 'string' },
          { name: 'a', type: 'integer' },
        ],
      },
    });
    await expect(
      createTopicCreateAction({ api }).handler(ctx as any),
    ).rejects.toThrow('a is listed twice');
    expect(posted).toEqual([]);
  });
});
