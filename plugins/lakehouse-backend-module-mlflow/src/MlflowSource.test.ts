import { MlflowClient } from './MlflowClient';
import { datasetUri, MlflowSource } from './MlflowSource';
import recorded from './__fixtures__/mlflow-3.17-registry.json';

/**
 * The module's mapping, on responses recorded from a real MLflow 3.17
 * tracking server after the sample training script (lakehouse paths
 * shortened to /lakehouse). The end-to-end proof against a running server is
 * lakehouse-backend's mlflow.test.ts.
 */
const answers = recorded as Record<string, any>;

function fakeFetch(override?: (url: URL) => Response | undefined) {
  const calls: string[] = [];
  const auth = new Set<string>();
  const fetch = (async (input: any, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push(url.pathname.replace('/api/2.0/mlflow/', ''));
    auth.add((init?.headers as Record<string, string>)?.authorization);
    const own = override?.(url);
    if (own) return own;
    const path = url.pathname.replace('/api/2.0/mlflow/', '');
    const keys: Record<string, () => string> = {
      'model-versions/search': () =>
        `${path}:${/name='(.*)'/.exec(url.searchParams.get('filter')!)![1]}`,
      'runs/get': () => `${path}:${url.searchParams.get('run_id')}`,
    };
    const key = keys[path]?.() ?? path;
    const body = answers[key];
    return body
      ? new Response(JSON.stringify(body))
      : new Response('{"error_code":"RESOURCE_DOES_NOT_EXIST"}', {
          status: 404,
        });
  }) as typeof globalThis.fetch;
  return { fetch, calls, auth };
}

const source = (fake: ReturnType<typeof fakeFetch>) =>
  new MlflowSource({
    name: 'local',
    client: new MlflowClient({
      baseUrl: 'http://mlflow.test',
      username: 'lakeport',
      password: 'secret',
      fetch: fake.fetch,
    }),
    feastNamespace: () => 'lakeport/lakeport',
  });

describe('MlflowSource', () => {
  it('maps models and versions with metrics, params, training data and Feast features', async () => {
    const fake = fakeFetch();
    const { assets } = await source(fake).read({});
    expect(assets.map(a => a.id).sort()).toEqual([
      'model:local:churn-classifier',
      'model:local:fraud-detector',
      'modelversion:local:churn-classifier/1',
      'modelversion:local:churn-classifier/2',
      'modelversion:local:fraud-detector/1',
    ]);
    expect(fake.auth).toEqual(
      new Set([`Basic ${Buffer.from('lakeport:secret').toString('base64')}`]),
    );
    const v2 = assets.find(
      a => a.id === 'modelversion:local:churn-classifier/2',
    )!;
    expect(v2.owner).toBe('group:default/data-science');
    expect(v2.details).toMatchObject({
      status: 'READY',
      params: { algorithm: 'logistic_regression' },
      featureService: 'churn_model_v1',
    });
    expect(v2.inputs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          dataset: {
            path: '/lakehouse/customers/curated/customers/data_0.parquet',
          },
        }),
        expect.objectContaining({
          assetId: 'featureservice:lakeport/lakeport:churn_model_v1',
          fields: expect.arrayContaining([
            {
              source: 'customer_profile:age_band',
              target: 'customer_profile:age_band',
            },
          ]),
        }),
      ]),
    );
  });

  it('reads each finished run once per process', async () => {
    const fake = fakeFetch();
    const s = source(fake);
    await s.read({});
    await s.read({});
    expect(fake.calls.filter(c => c === 'runs/get')).toHaveLength(3);
  });

  it('fails naming the problem when the server refuses or answers garbage', async () => {
    const refused = fakeFetch(url =>
      url.pathname.endsWith('model-versions/search')
        ? new Response('{"error_code":"PERMISSION_DENIED"}', { status: 403 })
        : undefined,
    );
    await expect(source(refused).read({})).rejects.toThrow(
      /model-versions\/search: HTTP 403 .*PERMISSION_DENIED/,
    );
    const garbage = fakeFetch(() => new Response('<html>login</html>'));
    await expect(source(garbage).read({})).rejects.toThrow(/not JSON/);
  });

  it('finds the URI in a dataset source', () => {
    expect(datasetUri('{"uri": "s3://bucket/t/"}')).toBe('s3://bucket/t/');
    expect(datasetUri('{"table_name": "sales.orders"}')).toBe('sales.orders');
    expect(datasetUri(undefined)).toBeUndefined();
  });
});
