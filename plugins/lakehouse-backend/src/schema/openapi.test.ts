import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

describe('openapi.yaml', () => {
  const spec = YAML.parse(
    fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
  );

  it('documents every route the plugin serves', () => {
    expect(Object.keys(spec.paths).sort()).toEqual([
      '/datasets',
      '/datasets/{id}',
      '/datasets/{id}/preview',
      '/sync',
    ]);
    expect(Object.keys(spec.paths['/sync'])).toEqual(['get', 'post']);
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
