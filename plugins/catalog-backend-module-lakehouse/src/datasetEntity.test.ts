import { datasetEntity } from './datasetEntity';

describe('datasetEntity', () => {
  it('makes a Resource of type dataset, owned, in its system, tagged, with the asset id', () => {
    const entity = datasetEntity(
      {
        id: 'dataset:lakeport:customers.curated.customers',
        namespace: 'lakeport',
        name: 'customers.curated.customers',
        title: 'Customers',
        description: 'One row per customer.',
        domain: 'customers',
        layer: 'curated',
        system: 'customer-360',
        owner: 'group:default/customers-data',
        tags: ['golden-record', 'GDPR'],
        classification: 'pii',
        columnCount: 14,
        status: 'active',
        entityRef: 'resource:default/customers-curated-customers',
      },
      {
        defaultOwner: 'group:default/data-platform',
        location: 'url:http://x/datasets/1',
      },
    );
    expect(entity).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: 'customers-curated-customers',
        title: 'Customers',
        tags: ['golden-record', 'gdpr', 'curated'],
        labels: {
          'lakeport.io/layer': 'curated',
          'lakeport.io/classification': 'pii',
        },
        annotations: {
          'lakeport.io/asset-id':
            'dataset:lakeport:customers.curated.customers',
        },
      },
      spec: {
        type: 'dataset',
        owner: 'group:default/customers-data',
        system: 'customer-360',
      },
    });
  });
});
