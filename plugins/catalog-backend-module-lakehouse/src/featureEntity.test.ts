import { featureEntity, UNKNOWN_OWNER } from './featureEntity';

const base = {
  id: 'featureservice:lakeport/lakeport:churn_model_v1',
  kind: 'featureservice' as const,
  namespace: 'lakeport/lakeport',
  registry: 'lakeport',
  project: 'lakeport',
  name: 'churn_model_v1',
  tags: { model: 'churn-classifier' },
  entities: ['customer'],
  featureCount: 10,
  entityRef: 'resource:default/featureservice-lakeport-lakeport-churn-model-v1',
  updatedAt: '2026-11-30T00:00:00Z',
};

describe('featureEntity', () => {
  it('is a feature-service Resource owned by the group of its Feast owner, in its source’s system', () => {
    const entity = featureEntity(
      {
        ...base,
        ownerEmail: 'ana.souza@lakeport.example',
        owner: 'group:default/data-science',
        system: 'customer-360',
        classification: 'pii',
      },
      { location: 'url:http://x/features/y' },
    );
    expect(entity.metadata.name).toBe(
      'featureservice-lakeport-lakeport-churn-model-v1',
    );
    expect(entity.spec).toEqual({
      type: 'feature-service',
      owner: 'group:default/data-science',
      lifecycle: 'production',
      system: 'customer-360',
    });
    expect(entity.metadata.labels).toMatchObject({
      'lakeport.io/classification': 'pii',
    });
    expect(entity.metadata.tags).toEqual(['model-churn-classifier', 'feast']);
  });

  it('shows an owner no catalog user has as unknown instead of guessing', () => {
    const entity = featureEntity(
      { ...base, ownerEmail: 'someone@elsewhere.example' },
      { location: 'url:http://x/features/y' },
    );
    expect(entity.spec?.owner).toBe(UNKNOWN_OWNER);
    expect(entity.metadata.annotations?.['lakeport.io/owner-email']).toBe(
      'someone@elsewhere.example',
    );
  });
});
