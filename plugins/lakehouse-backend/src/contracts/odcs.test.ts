import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadContracts } from './odcs';

const valid = (table: string, extra = '') => `
apiVersion: v3.1.0
kind: DataContract
id: urn:test:${table}
version: 1.0.0
status: active
domain: commerce
description:
  purpose: Test table.
tags: [a]
schema:
  - name: t
    physicalName: ${table}
    properties:
      - name: id
        classification: internal
      - name: email
        classification: pii
        description: Email.
slaProperties:
  - property: latency
    value: 2
    unit: d
    element: t.id
customProperties:
  - property: owner
    value: commerce-data
${extra}`;

describe('loadContracts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakeport-contracts-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('reads the sample contracts without a problem', async () => {
    const loaded = await loadContracts(
      path.resolve(__dirname, '../../../../catalog-info/contracts'),
    );
    expect(loaded.problems).toEqual([]);
    expect(loaded.byTable.size).toBe(15);
    expect(loaded.byTable.get('customers.curated.customers')).toMatchObject({
      owner: 'group:default/customers-data',
      system: 'customer-360',
      freshness: { hours: 24 },
    });
  });

  it('reads owner, classification and freshness of a valid contract', async () => {
    await fs.writeFile(
      path.join(dir, 'ok.odcs.yaml'),
      valid('commerce.curated.t'),
    );
    const { byTable, problems } = await loadContracts(dir);
    expect(problems).toEqual([]);
    expect(byTable.get('commerce.curated.t')).toMatchObject({
      owner: 'group:default/commerce-data',
      freshness: { hours: 48, element: 'id' },
      properties: [
        { name: 'id', classification: 'internal' },
        { name: 'email', classification: 'pii', description: 'Email.' },
      ],
    });
  });

  it('reports each broken contract with file and field, and keeps the others', async () => {
    await fs.mkdir(path.join(dir, 'nested'));
    await fs.writeFile(
      path.join(dir, 'ok.odcs.yaml'),
      valid('commerce.curated.ok'),
    );
    await fs.writeFile(
      path.join(dir, 'nested/bad.odcs.yaml'),
      valid('commerce.curated.bad').replace(
        'classification: pii',
        'classification: secret',
      ),
    );
    await fs.writeFile(
      path.join(dir, 'broken.odcs.yaml'),
      'apiVersion: [unclosed',
    );
    await fs.writeFile(
      path.join(dir, 'zz-dup.odcs.yaml'),
      valid('commerce.curated.ok').replace('urn:test:', 'urn:other:'),
    );
    await fs.writeFile(
      path.join(dir, 'owner.odcs.yaml'),
      valid('commerce.curated.owner').replace(
        'value: commerce-data',
        'value: "not a group!"',
      ),
    );
    const { byTable, problems } = await loadContracts(dir);
    expect([...byTable.keys()]).toEqual(['commerce.curated.ok']);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'broken.odcs.yaml', field: '(yaml)' }),
      {
        file: 'nested/bad.odcs.yaml',
        field: 'schema[0].properties[1].classification',
        message:
          'must be one of public, internal, confidential, pii, got "secret"',
        table: 'commerce.curated.bad',
      },
      expect.objectContaining({
        file: 'owner.odcs.yaml',
        field: 'customProperties[0].value',
        table: 'commerce.curated.owner',
      }),
      expect.objectContaining({
        file: 'zz-dup.odcs.yaml',
        field: 'schema[0].physicalName',
        message: 'commerce.curated.ok already has a contract in ok.odcs.yaml',
      }),
    ]);
  });

  it('names missing required fields', async () => {
    await fs.writeFile(
      path.join(dir, 'min.odcs.yaml'),
      'kind: DataContract\nschema: []\n',
    );
    const { problems } = await loadContracts(dir);
    expect(problems.map(p => p.field)).toEqual([
      'apiVersion',
      'id',
      'version',
      'status',
      'schema',
    ]);
  });
});
