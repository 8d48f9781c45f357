import { FeatureAssetDetail } from '@lakeport/plugin-lakehouse-common';
import { featureSnippet } from './featureSnippet';

const base: FeatureAssetDetail = {
  id: 'featureview:lakeport/lakeport:customer_profile',
  kind: 'featureview',
  namespace: 'lakeport/lakeport',
  registry: 'lakeport',
  project: 'lakeport',
  name: 'customer_profile',
  tags: {},
  entities: ['customer'],
  online: true,
  featureCount: 2,
  entityRef: 'resource:default/x',
  updatedAt: '2026-11-30T00:00:00Z',
  features: [{ name: 'age_band' }, { name: 'tenure_days' }],
  sources: [],
  inputViews: [],
  usedBy: [],
  views: [],
  entityKeys: [{ entity: 'customer', joinKey: 'customer_id', type: 'INT64' }],
  requestFields: [],
};

describe('featureSnippet', () => {
  it('reads a view’s features by reference, keyed by its entities’ join keys', () => {
    const code = featureSnippet(base);
    expect(code).toContain('    "customer_profile:age_band",\n');
    expect(code).toContain('"customer_id": [100001],');
    expect(code).toContain('entity_df=entity_df, features=features');
    expect(code).toContain('entity_rows=[{"customer_id": 100001}]');
  });

  it('reads a service by name and sends the request fields of its on-demand views', () => {
    const code = featureSnippet({
      ...base,
      kind: 'featureservice',
      name: 'fraud_scoring_v1',
      online: undefined,
      features: [{ name: 'order_context:amount_vs_avg_order' }],
      requestFields: [{ name: 'order_amount', type: 'DOUBLE' }],
    });
    expect(code).toContain(
      'features=store.get_feature_service("fraud_scoring_v1")',
    );
    expect(code).toContain('"order_amount": [1.0],');
    expect(code).not.toContain('features = [');
  });

  it('leaves out online serving for an offline-only view', () => {
    const code = featureSnippet({ ...base, online: false });
    expect(code).not.toContain('get_online_features');
    expect(code).toContain('Offline only');
  });
});
