import { InputError } from '@backstage/errors';
import { searchWords } from '../database/searchDialect';

/** What a faceted list needs of each item. */
interface Item {
  id: string;
  name: string;
}

/**
 * Facets, filters, sort and pages over items already matched by words, in
 * memory (feature stores and model registries hold thousands of objects,
 * not millions). Each facet's counts ignore its own filter; ties sort by
 * name then id; the cursor is an offset.
 */
export function facetedList<T extends Item, F extends string>(
  items: T[],
  options: {
    facets: readonly F[];
    /** The values an item has for each facet. */
    values: (item: T) => Record<F, string[]>;
    /** Selected values per facet (none: no filter). */
    selected: Partial<Record<F, string[]>>;
    words: string[];
    sort: string;
    order?: 'asc' | 'desc';
    /** Sort keys besides `relevance` (name match first) and `name`. */
    keys: Record<string, (item: T) => string | number>;
    limit: number;
    cursor?: string;
  },
) {
  const { facets: names, values, selected: want } = options;
  const selected = (facet: F, item: T) => {
    const wanted = want[facet];
    return !wanted?.length || values(item)[facet].some(v => wanted.includes(v));
  };
  const facets = Object.fromEntries(
    names.map(facet => {
      const counts = new Map<string, number>();
      for (const item of items) {
        if (!names.every(f => f === facet || selected(f, item))) continue;
        for (const v of values(item)[facet])
          counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      return [
        facet,
        [...counts]
          .map(([value, count]) => ({ value, count }))
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
      ];
    }),
  ) as Record<F, Array<{ value: string; count: number }>>;

  const matches = items.filter(item => names.every(f => selected(f, item)));
  const { words, sort } = options;
  const rank = (item: T) => {
    const name = searchWords(item.name);
    if (words.every(w => name.includes(w))) return 0;
    if (words.every(w => name.some(n => n.startsWith(w)))) return 1;
    return 2;
  };
  const by = {
    relevance: rank,
    name: (item: T) => item.name,
    ...options.keys,
  }[sort];
  if (!by) throw new InputError(`Query parameter sort: unknown sort "${sort}"`);
  const dir =
    (options.order ??
      (sort === 'name' || sort === 'relevance' ? 'asc' : 'desc')) === 'asc'
      ? 1
      : -1;
  matches.sort((a, b) => {
    const x = by(a);
    const y = by(b);
    if (x !== y) return (x < y ? -1 : 1) * dir;
    return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  });
  const offset = decodeCursor(options.cursor);
  const limit = options.limit;
  return {
    facets,
    page: matches.slice(offset, offset + limit),
    totalCount: matches.length,
    nextCursor:
      offset + limit < matches.length
        ? Buffer.from(String(offset + limit)).toString('base64url')
        : undefined,
  };
}

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isInteger(n) || n < 0)
    throw new InputError('Query parameter cursor: not a cursor of this list');
  return n;
}
