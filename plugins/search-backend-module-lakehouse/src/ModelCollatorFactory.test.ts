import { modelDocument } from './ModelCollatorFactory';

describe('modelDocument', () => {
  it('makes a model findable by name, description, tags and aliases, and links its entity page', () => {
    const doc = modelDocument({
      id: 'model:local:fraud-detector',
      server: 'local',
      name: 'fraud-detector',
      description: 'Scores card transactions for fraud.',
      owner: 'group:default/risk-data',
      tags: { owner: 'group:default/risk-data', task: 'classification' },
      aliases: [{ alias: 'champion', version: '2' }],
      versionCount: 3,
      classification: 'confidential',
      entityRef: 'resource:default/model-local-fraud-detector',
      ungovernedAliases: [],
      updatedAt: '2026-11-30T00:00:00Z',
    });
    expect(doc).toMatchObject({
      title: 'fraud-detector',
      location: '/catalog/default/resource/model-local-fraud-detector',
      aliases: ['champion'],
      owner: 'group:default/risk-data',
    });
    expect(doc.text).toContain('Scores card transactions for fraud.');
    expect(doc.text).toContain('task: classification');
    expect(doc.text).toContain('aliases: champion (version 2)');
  });
});
