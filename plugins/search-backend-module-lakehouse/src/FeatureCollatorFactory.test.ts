import { featureDocument } from './FeatureCollatorFactory';

describe('featureDocument', () => {
  it('makes feature names, descriptions and tags searchable and links the entity page', () => {
    const doc = featureDocument({
      id: 'featureview:lakeport/lakeport:customer_profile',
      kind: 'featureview',
      namespace: 'lakeport/lakeport',
      registry: 'lakeport',
      project: 'lakeport',
      name: 'customer_profile',
      description: 'Profile and engagement of a customer.',
      tags: { team: 'customers-data' },
      entities: ['customer'],
      featureCount: 1,
      classification: 'pii',
      entityRef:
        'resource:default/featureview-lakeport-lakeport-customer-profile',
      updatedAt: '2026-11-30T00:00:00Z',
      features: [
        {
          name: 'age_band',
          type: 'STRING',
          description: 'Age band at the feature date.',
          tags: { source: 'crm' },
        },
      ],
    });
    expect(doc).toMatchObject({
      title: 'customer_profile',
      location:
        '/catalog/default/resource/featureview-lakeport-lakeport-customer-profile',
      features: ['age_band'],
      entities: ['customer'],
      classification: 'pii',
    });
    expect(doc.text).toContain(
      'age_band: Age band at the feature date.: source: crm',
    );
    expect(doc.text).toContain('entities: customer');
    expect(doc.text).toContain('team: customers-data');
  });
});
