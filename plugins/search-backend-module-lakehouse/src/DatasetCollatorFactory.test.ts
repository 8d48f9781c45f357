import { datasetDocument } from './DatasetCollatorFactory';

describe('datasetDocument', () => {
  it('makes column names and descriptions searchable and links the entity page', () => {
    const doc = datasetDocument({
      id: 'dataset:lakeport:customers.curated.customers',
      namespace: 'lakeport',
      name: 'customers.curated.customers',
      title: 'Customers',
      description: 'One row per customer.',
      tags: ['gdpr'],
      columnCount: 2,
      status: 'active',
      entityRef: 'resource:default/customers-curated-customers',
      owner: 'group:default/customers-data',
      columns: [
        { name: 'customer_id', type: 'BIGINT', nullable: false },
        {
          name: 'date_of_birth',
          type: 'DATE',
          nullable: true,
          description: 'Date of birth.',
        },
      ],
    });
    expect(doc).toMatchObject({
      title: 'Customers',
      location: '/catalog/default/resource/customers-curated-customers',
      columns: ['customer_id', 'date_of_birth'],
      owner: 'group:default/customers-data',
    });
    expect(doc.text).toContain('date_of_birth: Date of birth.');
    expect(doc.text).toContain('One row per customer.');
  });
});
