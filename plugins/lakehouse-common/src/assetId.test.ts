import { datasetAssetId, parseAssetId, stringifyAssetId } from './assetId';

describe('asset ids', () => {
  it('round-trips OpenLineage names, namespaces with colons included', () => {
    expect(datasetAssetId('lakeport', 'commerce.curated.orders')).toBe(
      'dataset:lakeport:commerce.curated.orders',
    );
    const ref = parseAssetId('dataset:postgres://warehouse:5432:public.orders');
    expect(ref).toEqual({
      kind: 'dataset',
      namespace: 'postgres://warehouse:5432',
      name: 'public.orders',
    });
    expect(stringifyAssetId(ref)).toBe(
      'dataset:postgres://warehouse:5432:public.orders',
    );
  });

  it.each(['orders', 'dataset:orders', 'table:lakeport:orders', 'dataset::x'])(
    'rejects %s with a message naming the problem',
    id => {
      expect(() => parseAssetId(id)).toThrow(/Invalid asset id/);
    },
  );
});
