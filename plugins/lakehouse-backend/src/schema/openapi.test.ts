import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

describe('openapi.yaml', () => {
  const spec = YAML.parse(
    fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
  );

  it('documents every route the plugin serves', () => {
    expect(Object.keys(spec.paths).sort()).toEqual([
      '/access/audit',
      '/access/grants',
      '/access/grants/{id}/revoke',
      '/access/requests',
      '/access/requests/{id}',
      '/access/requests/{id}/cancel',
      '/access/requests/{id}/decision',
      '/access/requests/{id}/retry',
      '/api/v1/lineage',
      '/contracts/validate',
      '/datasets',
      '/datasets/{id}',
      '/datasets/{id}/access',
      '/datasets/{id}/preview',
      '/datasets/{id}/stream',
      '/features',
      '/features/{id}',
      '/features/{id}/access-requests',
      '/lineage',
      '/lineage/api/v1/lineage',
      '/lineage/classifications',
      '/lineage/classifications/confirmations',
      '/lineage/classifications/confirmations/{id}/revoke',
      '/lineage/columns',
      '/lineage/dbt',
      '/lineage/graph',
      '/lineage/impact',
      '/lineage/runs/{runId}',
      '/metadata-sources',
      '/metadata-sources/sync',
      '/model-promotions',
      '/model-promotions/{id}',
      '/model-promotions/{id}/cancel',
      '/model-promotions/{id}/decision',
      '/model-promotions/{id}/retry',
      '/models',
      '/models/{id}',
      '/models/{id}/aliases/{alias}/revert',
      '/models/{id}/promotions',
      '/models/{id}/training-data',
      '/planned',
      '/quality/health',
      '/quality/results',
      '/quality/runs',
      '/quality/runs/{id}',
      '/quality/scorecards/{datasetId}',
      '/quality/scorecards/{datasetId}/checks/{checkId}/acknowledgements',
      '/query',
      '/streams/sync',
      '/streams/topics',
      '/sync',
      '/webhooks/{sourceId}',
    ]);
    expect(Object.keys(spec.paths['/sync'])).toEqual(['get', 'post']);
  });

  it('names the lineage parameters of the public contract', () => {
    const names = (route: string) =>
      spec.paths[route].get.parameters.map((p: any) =>
        p.$ref
          ? spec.components.parameters[p.$ref.split('/').pop()].name
          : p.name,
      );
    expect(names('/lineage/graph')).toEqual([
      'node',
      'direction',
      'depth',
      'limit',
      'unfinished',
      'group',
    ]);
    expect(names('/lineage/columns')).toEqual(
      expect.arrayContaining(['node', 'column', 'direction', 'depth']),
    );
    expect(names('/lineage/impact')).toEqual(['node']);
  });

  it('names the list parameters of the public contract', () => {
    const names = spec.paths['/datasets'].get.parameters.map(
      (p: any) => p.name,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'q',
        'domain',
        'owner',
        'classification',
        'tag',
        'layer',
        'limit',
        'cursor',
      ]),
    );
  });
});
