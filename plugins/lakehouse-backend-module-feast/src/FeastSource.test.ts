import { FeastRegistryClient } from './FeastRegistryClient';
import { FeastSource } from './FeastSource';
import recorded from './__fixtures__/feast-0.67-registry.json';

/**
 * The module's mapping, on responses recorded from a real Feast 0.67
 * registry REST server (the sample repository; lakehouse paths shortened
 * to /lakehouse). The end-to-end proof against a running server is in
 * lakehouse-backend's feast.test.ts.
 */
type Handler = (url: URL) => { status?: number; body: unknown } | undefined;

function fakeFetch(handler: Handler) {
  const calls: string[] = [];
  const auth: string[] = [];
  const fetch = (async (input: any, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push(`${url.pathname}${url.search}`);
    auth.push((init?.headers as Record<string, string>)?.authorization);
    const answer = handler(url);
    if (!answer) return new Response('not found', { status: 404 });
    return new Response(
      typeof answer.body === 'string'
        ? answer.body
        : JSON.stringify(answer.body),
      { status: answer.status ?? 200 },
    );
  }) as typeof globalThis.fetch;
  return { fetch, calls, auth };
}

const KEYS: Record<string, keyof typeof recorded> = {
  '/api/v1/projects': 'projects',
  '/api/v1/entities': 'entities',
  '/api/v1/feature_views': 'feature_views',
  '/api/v1/feature_services': 'feature_services',
};
const fromRecording: Handler = url => {
  const key = KEYS[url.pathname];
  return key ? { body: recorded[key] } : undefined;
};

const source = (handler: Handler) => {
  const fake = fakeFetch(handler);
  return {
    ...fake,
    source: new FeastSource({
      name: 'lakeport',
      client: new FeastRegistryClient({
        baseUrl: 'http://feast.test',
        token: 'secret',
        fetch: fake.fetch,
      }),
    }),
  };
};

describe('FeastSource', () => {
  it('maps entities, views (batch and on-demand) and services with what they read', async () => {
    const { source: s, auth } = source(fromRecording);
    const { assets } = await s.read({});
    expect(new Set(auth)).toEqual(new Set(['Bearer secret']));
    expect(assets.map(a => a.id).sort()).toEqual([
      'entity:lakeport/lakeport:customer',
      'entity:lakeport/lakeport:merchant_category',
      'featureservice:lakeport/lakeport:churn_model_v1',
      'featureservice:lakeport/lakeport:fraud_scoring_v1',
      'featureview:lakeport/lakeport:customer_fraud',
      'featureview:lakeport/lakeport:customer_orders',
      'featureview:lakeport/lakeport:customer_profile',
      'featureview:lakeport/lakeport:merchant_category_stats',
      'featureview:lakeport/lakeport:order_context',
    ]);
    const byName = new Map(assets.map(a => [a.name, a]));
    const fraud = byName.get('customer_fraud')!;
    expect(fraud).toMatchObject({
      online: true,
      entities: ['customer'],
      owner: 'dev.patel@lakeport.example',
      details: { ttlSeconds: 86400 },
    });
    expect(fraud.version).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(fraud.inputs).toEqual([
      {
        dataset: {
          path: '/lakehouse/risk/feature/fraud_features/data_0.parquet',
        },
        fields: expect.arrayContaining([
          { source: 'txn_count_7d', target: 'transactions_7d' },
          { source: 'fraud_rate_90d', target: 'fraud_rate_90d' },
        ]),
      },
    ]);
    // Protobuf JSON leaves `online: false` out.
    expect(byName.get('merchant_category_stats')!.online).toBe(false);
    const odfv = byName.get('order_context')!;
    expect(odfv.type).toBe('onDemandFeatureView');
    expect(odfv.inputs).toEqual([
      {
        assetId: 'featureview:lakeport/lakeport:customer_orders',
        fields: expect.arrayContaining([
          { source: 'avg_order_value', target: 'amount_vs_avg_order' },
        ]),
      },
    ]);
    const churn = byName.get('churn_model_v1')!;
    expect(churn.fields.map(f => f.name)).toContain(
      'customer_profile:age_band',
    );
    expect(churn.entities).toEqual(['customer']);
  });

  it('pages through per-project lists only with page and limit, whatever the pagination keys', async () => {
    const views = (recorded.feature_views as any).featureViews as unknown[];
    const { source: s, calls } = source(url => {
      if (url.pathname === '/api/v1/feature_views') {
        const page = Number(url.searchParams.get('page'));
        // A registry that pages by 2 and says so with snake_case keys.
        const items = views.slice((page - 1) * 2, page * 2);
        return {
          body: {
            featureViews: items,
            pagination: { has_next: page * 2 < views.length, total_pages: 3 },
          },
        };
      }
      return fromRecording(url);
    });
    const { assets } = await s.read({});
    expect(assets.filter(a => a.kind === 'featureview')).toHaveLength(5);
    expect(calls.filter(c => c.startsWith('/api/v1/feature_views'))).toEqual([
      '/api/v1/feature_views?project=lakeport&page=1&limit=100',
      '/api/v1/feature_views?project=lakeport&page=2&limit=100',
      '/api/v1/feature_views?project=lakeport&page=3&limit=100',
    ]);
  });

  it('fails, naming the problem, on an error status or garbage instead of returning less', async () => {
    const down = source(url =>
      url.pathname === '/api/v1/entities'
        ? { status: 503, body: 'registry unavailable' }
        : fromRecording(url),
    );
    await expect(down.source.read({})).rejects.toThrow(
      /\/api\/v1\/entities: HTTP 503 registry unavailable/,
    );
    const garbage = source(url =>
      url.pathname === '/api/v1/feature_views'
        ? { body: '<html>proxy error</html>' }
        : fromRecording(url),
    );
    await expect(garbage.source.read({})).rejects.toThrow(/not JSON/);
    const broken = source(url =>
      url.pathname === '/api/v1/feature_services'
        ? { body: { featureServices: [{ spec: {} }] } }
        : fromRecording(url),
    );
    await expect(broken.source.read({})).rejects.toThrow(
      /feature_services\[0\]: no spec.name/,
    );
  });
});
