import { TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import { ListDatasetsQuery } from '@lakeport/plugin-lakehouse-common';
import path from 'node:path';
import { syntheticRecord } from '../bench/syntheticLakehouse';
import { conditionsToFilter } from '../permissions/datasetRules';
import { gradeOf } from '../quality/scoring';
import { DatasetRecord, DatasetStore } from './DatasetStore';

const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const migrations = path.resolve(__dirname, '../../migrations');
const records = Array.from({ length: 300 }, (_, i) => syntheticRecord(i));
// Every fourth dataset has no scorecard yet.
const qualityOf = new Map(
  records.map((r, i) => {
    const score = (i * 37) % 101;
    return [r.id, i % 4 === 0 ? undefined : { score, grade: gradeOf(score) }];
  }),
);

/** What the API must answer, computed from the records themselves. */
function expected(
  query: ListDatasetsQuery,
  visible = (_: DatasetRecord) => true,
) {
  const columnFacets = ['domain', 'owner', 'classification', 'layer'] as const;
  const words = (query.q ?? '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const text = (r: DatasetRecord) =>
    [
      r.name,
      r.title,
      r.description,
      ...r.tags,
      r.domain,
      ...r.columns.flatMap(c => [c.name, c.description]),
    ]
      .join(' ')
      .toLowerCase()
      .split(/[^a-z0-9]+/);
  const matchesWords = (r: DatasetRecord) =>
    words.every((w, i) =>
      text(r).some(t => (i === words.length - 1 ? t.startsWith(w) : t === w)),
    );
  const passes = (r: DatasetRecord, skip?: string) =>
    visible(r) &&
    matchesWords(r) &&
    columnFacets.every(
      f =>
        f === skip || !query[f]?.length || query[f]!.includes(r[f] as string),
    ) &&
    (skip === 'grade' ||
      !query.grade?.length ||
      query.grade.includes(qualityOf.get(r.id)?.grade ?? '')) &&
    (skip === 'tag' || (query.tag ?? []).every(t => r.tags.includes(t)));
  const count = (values: string[]) => {
    const counts = new Map<string, number>();
    values.forEach(v => counts.set(v, (counts.get(v) ?? 0) + 1));
    return [...counts]
      .map(([value, n]) => ({ value, count: n }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  };
  return {
    totalCount: records.filter(r => passes(r)).length,
    facets: {
      ...Object.fromEntries(
        columnFacets.map(f => [
          f,
          count(records.filter(r => passes(r, f)).map(r => r[f] as string)),
        ]),
      ),
      tag: count(records.filter(r => passes(r, 'tag')).flatMap(r => r.tags)),
      grade: count(
        records
          .filter(r => passes(r, 'grade'))
          .flatMap(r => qualityOf.get(r.id)?.grade ?? []),
      ),
    },
  };
}

describe.each(databases.eachSupportedId())('DatasetStore on %s', databaseId => {
  let store: DatasetStore;

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory: migrations });
    store = new DatasetStore(knex);
    await store.upsert(records);
    for (const [id, quality] of qualityOf) {
      if (quality) await store.setQuality(id, quality);
    }
  }, 60_000);

  it.each([
    ['qualityScore', 'asc'],
    ['qualityScore', 'desc'],
    ['rowCount', 'desc'],
  ] as const)('sorts by %s %s with empty values last', async (sort, order) => {
    const value = (r: DatasetRecord) =>
      sort === 'rowCount' ? r.rowCount : qualityOf.get(r.id)?.score;
    const present = records.filter(r => value(r) !== undefined);
    const sorted = present
      .map(value)
      .sort((a, b) => (order === 'asc' ? a! - b! : b! - a!));
    const items: Array<number | undefined> = [];
    let cursor: string | undefined;
    do {
      const page = await store.list({ sort, order, limit: 100, cursor });
      items.push(
        ...page.items.map(i =>
          sort === 'rowCount' ? i.rowCount : i.qualityScore,
        ),
      );
      cursor = page.nextCursor;
    } while (cursor);
    expect(items.slice(0, sorted.length)).toEqual(sorted);
    expect(items.slice(sorted.length).every(v => v === undefined)).toBe(true);
  });

  it.each<[string, ListDatasetsQuery]>([
    ['no query', {}],
    ['one word', { q: 'email' }],
    ['two words, last as prefix', { q: 'customer ema' }],
    ['two facets', { domain: ['domain3'], classification: ['pii'] }],
    ['grade facet', { grade: ['A', 'F'] }],
    [
      'several values of a facet',
      { owner: ['group:default/team-1', 'group:default/team-2'] },
    ],
    [
      'word, facet and tag',
      { q: 'payment', layer: ['curated'], tag: ['tag-7'] },
    ],
  ])('counts and facets match the data for %s', async (_, query) => {
    const result = await store.list({ ...query, limit: 5 });
    expect({ totalCount: result.totalCount, facets: result.facets }).toEqual(
      expected(query),
    );
    expect(result.items.length).toBe(Math.min(5, result.totalCount));
  });

  it('pages through every match exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list({ q: 'customer', limit: 40, cursor });
      seen.push(...page.items.map(i => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(expected({ q: 'customer' }).totalCount);
  });

  it('applies a conditional permission decision as a filter', async () => {
    const decision = {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'lakehouse',
      resourceType: 'lakehouse-dataset',
      conditions: {
        anyOf: [
          {
            rule: 'IS_DATASET_OWNED_BY',
            resourceType: 'lakehouse-dataset',
            params: { values: ['group:default/team-3'] },
          },
          {
            rule: 'HAS_DATASET_CLASSIFICATION',
            resourceType: 'lakehouse-dataset',
            params: { values: ['internal'] },
          },
        ],
      },
    };
    const visible = (r: DatasetRecord) =>
      r.owner === 'group:default/team-3' || r.classification === 'internal';
    const result = await store.list(
      { limit: 100 },
      conditionsToFilter(decision.conditions as any),
    );
    expect(result.totalCount).toBe(expected({}, visible).totalCount);
    expect(result.facets).toEqual(expected({}, visible).facets);
    expect(
      result.items.every(
        i =>
          i.owner === 'group:default/team-3' || i.classification === 'internal',
      ),
    ).toBe(true);
  });
});

describe.each(databases.eachSupportedId())(
  'DatasetStore writes on %s',
  databaseId => {
    const some = Array.from({ length: 30 }, (_, i) => syntheticRecord(i));
    let generation: () => Promise<number>;
    let replicaA: DatasetStore;
    let replicaB: DatasetStore;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrations });
      generation = async () =>
        Number(
          (await knex('lakehouse_search_generation').where({ id: 1 }).first())
            .n,
        );
      replicaA = new DatasetStore(knex);
      replicaB = new DatasetStore(knex);
    });

    it('writes nothing for a dataset described as at its last write', async () => {
      const first = await replicaA.upsert(some, '2026-12-01T10:00:00.000Z');
      expect(first.every(r => r.created && !r.unchanged)).toBe(true);
      const before = await generation();
      const again = await replicaA.upsert(some, '2026-12-01T11:00:00.000Z');
      expect(again.every(r => r.unchanged && !r.created)).toBe(true);
      expect(await generation()).toBe(before);
      expect((await replicaA.get(some[0].id))?.updatedAt).toBe(
        '2026-12-01T10:00:00.000Z',
      );

      // A changed description is written, the unchanged neighbour is not.
      const changed = { ...some[0], description: 'Now with a new story' };
      const mixed = await replicaA.upsert(
        [changed, some[1]],
        '2026-12-01T12:00:00.000Z',
      );
      expect(mixed.map(r => r.unchanged)).toEqual([false, true]);
      expect((await replicaA.get(some[0].id))?.updatedAt).toBe(
        '2026-12-01T12:00:00.000Z',
      );
      expect((await replicaA.get(some[1].id))?.updatedAt).toBe(
        '2026-12-01T10:00:00.000Z',
      );
      // A removed dataset seen again is active again, though unchanged.
      await replicaA.markMissingRemoved(
        some[2].namespace,
        some.filter((_, i) => i !== 2).map(r => r.id),
      );
      expect((await replicaA.get(some[2].id))?.status).toBe('removed');
      const back = await replicaA.upsert([some[2]]);
      expect(back[0].unchanged).toBe(false);
      expect((await replicaA.get(some[2].id))?.status).toBe('active');
    });

    it('lists the counts of what another replica wrote since', async () => {
      const counted = await replicaA.list({ limit: 1 });
      // Counted again from the cache: the same answer.
      expect(await replicaA.list({ limit: 1 })).toEqual(counted);
      await replicaB.upsert([{ ...some[3], domain: 'elsewhere' }]);
      const afterDomain = await replicaA.list({ limit: 1 });
      expect(afterDomain.facets.domain).toContainEqual({
        value: 'elsewhere',
        count: 1,
      });
      expect(afterDomain.totalCount).toBe(counted.totalCount);
      await replicaB.setQuality(some[4].id, { score: 12, grade: 'F' });
      expect((await replicaA.list({ limit: 1 })).facets.grade).toContainEqual({
        value: 'F',
        count: 1,
      });
      await replicaB.markMissingRemoved(
        some[5].namespace,
        some.filter((_, i) => i !== 5).map(r => r.id),
      );
      expect((await replicaA.list({ q: 'email', limit: 1 })).totalCount).toBe(
        (await replicaB.list({ q: 'email', limit: 1 })).totalCount,
      );
      expect((await replicaA.list({ limit: 1 })).totalCount).toBe(
        counted.totalCount - 1,
      );
    });

    it('counts the tags datasets have now, of active datasets only', async () => {
      const tagFacet = (datasets: DatasetRecord[]) => {
        const counts = new Map<string, number>();
        for (const r of datasets)
          for (const tag of new Set(r.tags))
            counts.set(tag, (counts.get(tag) ?? 0) + 1);
        return [...counts]
          .map(([value, count]) => ({ value, count }))
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
      };
      // Every synthetic dataset is named <domain>.<layer>.table_<n>.
      const search = { q: 'table', limit: 1 };
      const retagged = { ...some[6], tags: ['fresh-tag', 'fresh-tag'] };
      await replicaB.upsert([retagged]);
      const active = some
        .filter((_, i) => i !== 5)
        .map(r => (r.id === retagged.id ? retagged : r));
      expect((await replicaA.list(search)).facets.tag).toEqual(
        tagFacet(active),
      );
      expect(
        (await replicaA.list({ ...search, tag: ['fresh-tag'] })).totalCount,
      ).toBe(1);

      await replicaB.markMissingRemoved(
        some[6].namespace,
        some.filter((_, i) => i !== 5 && i !== 6).map(r => r.id),
      );
      const withRemoved = await replicaA.list({
        ...search,
        includeRemoved: true,
      });
      expect(withRemoved.totalCount).toBe(some.length);
      expect(withRemoved.facets.tag).toEqual(
        tagFacet(active.filter(r => r.id !== retagged.id)),
      );
    });
  },
);
