import { DatasetMatcher, storageLocation } from './DatasetMatcher';

describe('DatasetMatcher', () => {
  const matcher = new DatasetMatcher(async () => [
    {
      id: 'dataset:lakeport:commerce.curated.orders',
      location: 'file:///lake/commerce/curated/orders',
    },
    {
      id: 'dataset:lakeport:risk.raw.events',
      location: 's3://bucket/risk/raw/events/',
    },
  ]);
  beforeAll(() => matcher.refresh());

  it('reads storage locations from OpenLineage naming', () => {
    expect(storageLocation({ namespace: 'file', name: '/lake/a/b' })).toBe(
      '/lake/a/b',
    );
    expect(storageLocation({ namespace: 'file://', name: '/lake/a/b/' })).toBe(
      '/lake/a/b',
    );
    expect(storageLocation({ namespace: 's3://bucket', name: 'x/y' })).toBe(
      's3://bucket/x/y',
    );
    expect(
      storageLocation({ namespace: 'postgres://db:5432', name: 'a.b.c' }),
    ).toBeUndefined();
  });

  it('matches by name, symlink, and a file inside a table folder; else keeps the own id', () => {
    expect(
      matcher.match({ namespace: 'lakeport', name: 'commerce.curated.orders' }),
    ).toEqual({
      id: 'dataset:lakeport:commerce.curated.orders',
      matchedBy: 'name',
    });
    expect(
      matcher.match({
        namespace: 'trino://h:8080',
        name: 'hive.commerce.orders',
        facets: {
          symlinks: {
            identifiers: [
              {
                namespace: 'lakeport',
                name: 'commerce.curated.orders',
                type: 'TABLE',
              },
            ],
          },
        },
      }),
    ).toEqual({
      id: 'dataset:lakeport:commerce.curated.orders',
      matchedBy: 'symlink',
    });
    expect(
      matcher.match({
        namespace: 'file',
        name: '/lake/commerce/curated/orders/order_date=2026-01-01/part-0.parquet',
      }),
    ).toEqual({
      id: 'dataset:lakeport:commerce.curated.orders',
      matchedBy: 'location',
    });
    expect(
      matcher.match({
        namespace: 's3://bucket',
        name: 'risk/raw/events/part-1.parquet',
      }).id,
    ).toBe('dataset:lakeport:risk.raw.events');
    expect(
      matcher.match({ namespace: 'file', name: '/lake/commerce/curated' }),
    ).toEqual({
      id: 'dataset:file:/lake/commerce/curated',
    });
  });
});
