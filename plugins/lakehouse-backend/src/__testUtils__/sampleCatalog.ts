import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The sample org (catalog-info/org.yaml) as the catalog serves it to the
 * lakehouse plugin: users with their emails and memberOf relations.
 */
export function sampleCatalogEntities(): Entity[] {
  const file = path.resolve(__dirname, '../../../../catalog-info/org.yaml');
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJS() as Entity)
    .filter(Boolean)
    .map(e => ({
      ...e,
      metadata: { namespace: 'default', ...e.metadata },
      relations: ((e.spec?.memberOf as string[] | undefined) ?? []).map(g => ({
        type: 'memberOf',
        targetRef: `group:default/${g}`,
      })),
    }));
}

/** A catalog service with the sample org. */
export const sampleCatalogFactory = () =>
  catalogServiceMock.factory({ entities: sampleCatalogEntities() });
