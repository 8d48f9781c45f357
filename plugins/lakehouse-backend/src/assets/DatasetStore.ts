import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { num, opt, parseJson } from '../database/rowValues';
import { chunks } from '../database/chunks';
import {
  Classification,
  ContractProblem,
  DatasetColumn,
  DatasetContract,
  datasetEntityName,
  DatasetFacetName,
  DatasetFacets,
  DatasetStatus,
  DatasetSummary,
  ListDatasetsQuery,
  SchemaChange,
  SyncRun,
} from '@lakeport/plugin-lakehouse-common';
import {
  isPostgres,
  PreparedSearch,
  searchDialectFor,
  searchText,
  searchWords,
} from '../database/searchDialect';

/** What sync writes for one dataset. */
export interface DatasetRecord {
  id: string;
  namespace: string;
  name: string;
  title: string;
  description?: string;
  domain?: string;
  layer?: string;
  system?: string;
  owner?: string;
  tags: string[];
  classification?: Classification;
  rowCount?: number;
  sizeBytes?: number;
  fileCount?: number;
  partitionColumns: string[];
  partitionCount?: number;
  latestPartition?: string;
  lastModified?: string;
  location?: string;
  contract?: DatasetContract;
  contractProblems: ContractProblem[];
  freshnessSlaHours?: number;
  freshnessElement?: string;
  columns: DatasetColumn[];
}

/** A stored dataset with what only the store knows. */
export interface StoredDataset extends DatasetRecord {
  seq: number;
  status: DatasetStatus;
  columnCount: number;
  entityRef: string;
  firstSeenAt: string;
  updatedAt: string;
  removedAt?: string;
}

export interface UpsertResult {
  created: boolean;
  /** The same description as the last write: nothing was written. */
  unchanged: boolean;
  schemaChanged: boolean;
}

/**
 * What lists and search read: a narrow copy of the datasets (status, name,
 * facet and sort columns, the PostgreSQL text vector) kept by triggers, so
 * a broad match does not read the wide rows. See its migration.
 */
export const SEARCH_TABLE = 'lakehouse_dataset_search';

/**
 * Extra WHERE clauses on the datasets as `d` (the wide rows or their
 * narrow copy: owner, domain, classification), e.g. from permissions.
 */
export type DatasetFilter = ((query: Knex.QueryBuilder) => void) & {
  /** Equal keys filter equally; a filter without one is never cached. */
  key?: string;
};

/** Facet counts of this many different lists are kept per replica. */
const FACET_CACHE_SIZE = 500;

const FACET_COLUMNS: Record<Exclude<DatasetFacetName, 'tag'>, string> = {
  domain: 'd.domain',
  owner: 'd.owner',
  classification: 'd.classification',
  layer: 'd.layer',
  grade: 'd.quality_grade',
};

/** Whether a list filters on any facet column (tags aside). */
function hasColumnFilter(query: ListDatasetsQuery): boolean {
  return Object.keys(FACET_COLUMNS).some(
    c => query[c as keyof typeof FACET_COLUMNS]?.length,
  );
}

const SORT_COLUMNS = {
  name: 'd.name',
  rowCount: 'd.row_count',
  sizeBytes: 'd.size_bytes',
  lastModified: 'd.last_modified',
  qualityScore: 'd.quality_score',
} as const;

const SUMMARY_COLUMNS = [
  'd.seq',
  'd.id',
  'd.namespace',
  'd.name',
  'd.title',
  'd.description',
  'd.domain',
  'd.layer',
  'd.system',
  'd.owner',
  'd.tags',
  'd.classification',
  'd.column_count',
  'd.row_count',
  'd.size_bytes',
  'd.last_modified',
  'd.status',
  'd.quality_grade',
  'd.quality_score',
];

/** Columns only the engine has, and columns only the contract has. */
export function schemaDrift(columns: DatasetColumn[]) {
  return {
    missingInContract: columns
      .filter(c => c.drift === 'missing_in_contract')
      .map(c => c.name),
    missingInEngine: columns
      .filter(c => c.drift === 'missing_in_engine')
      .map(c => c.name),
  };
}

function toSummary(row: any): DatasetSummary {
  return {
    id: row.id,
    namespace: row.namespace,
    name: row.name,
    title: row.title,
    description: opt(row.description),
    domain: opt(row.domain),
    layer: opt(row.layer),
    system: opt(row.system),
    owner: opt(row.owner),
    tags: parseJson(row.tags, []),
    classification: opt(row.classification),
    columnCount: Number(row.column_count),
    rowCount: num(row.row_count),
    sizeBytes: num(row.size_bytes),
    lastModified: opt(row.last_modified),
    status: row.status,
    qualityGrade: opt(row.quality_grade),
    qualityScore: num(row.quality_score),
    entityRef: `resource:default/${datasetEntityName(row.name, row.namespace)}`,
  };
}

function encodeCursor(offset: number) {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through
  }
  throw new TypeError(`Invalid cursor "${cursor}"`);
}

// knex inserts many rows on SQLite as one compound SELECT, capped at 500 terms.
const MAX_ROWS_PER_INSERT = 400;

function datasetRow(r: DatasetRecord, now: string) {
  return {
    id: r.id,
    namespace: r.namespace,
    name: r.name,
    title: r.title,
    description: r.description ?? null,
    domain: r.domain ?? null,
    layer: r.layer ?? null,
    system: r.system ?? null,
    owner: r.owner ?? null,
    tags: JSON.stringify(r.tags),
    classification: r.classification ?? null,
    column_count: r.columns.filter(c => c.drift !== 'missing_in_engine').length,
    row_count: r.rowCount ?? null,
    size_bytes: r.sizeBytes ?? null,
    file_count: r.fileCount ?? null,
    partition_columns: JSON.stringify(r.partitionColumns),
    partition_count: r.partitionCount ?? null,
    latest_partition: r.latestPartition ?? null,
    last_modified: r.lastModified ?? null,
    location: r.location ?? null,
    status: 'active',
    removed_at: null,
    contract: r.contract ? JSON.stringify(r.contract) : null,
    contract_problems: JSON.stringify(r.contractProblems),
    freshness_sla_hours: r.freshnessSlaHours ?? null,
    freshness_element: r.freshnessElement ?? null,
    updated_at: now,
    search_name: searchText(r.name, r.title),
    search_columns: searchText(...r.columns.map(c => c.name)),
    search_description: searchText(r.description, ...r.tags, r.domain),
    search_column_descriptions: searchText(
      ...r.columns.map(c => c.description),
    ),
  };
}

/**
 * What a write of the record would store (the row without its time, the
 * columns and the tags), as a digest: equal digests mean nothing to write.
 */
function contentHash(row: ReturnType<typeof datasetRow>, r: DatasetRecord) {
  const { updated_at: _at, ...content } = row;
  return createHash('sha256')
    .update(JSON.stringify([content, r.columns, [...new Set(r.tags)]]))
    .digest('base64url');
}

/**
 * ORDER BY column NULLS LAST. knex 3 writes `(column IS NULL) <direction>`
 * for SQLite and drops the column itself (and puts nulls first when
 * descending), so SQLite gets the clause written out.
 */
function nullsLast(
  qb: Knex.QueryBuilder,
  db: Knex,
  column: string,
  direction: 'asc' | 'desc',
) {
  if (isPostgres(db)) {
    qb.orderBy(column, direction, 'last');
  } else {
    qb.orderByRaw(`?? IS NULL, ?? ${direction === 'asc' ? 'ASC' : 'DESC'}`, [
      column,
      column,
    ]);
  }
}

/** Datasets, their columns, tags and schema history in the plugin's database. */
export class DatasetStore {
  /**
   * Total and facet counts of recent lists, each with the write generation
   * it was counted at (see the search_generation migration): valid while no
   * dataset or tag was written since, on any replica.
   */
  private readonly facetCache = new Map<
    string,
    { generation: string; value: { count: number; facets: DatasetFacets } }
  >();

  constructor(
    private readonly db: Knex,
    private readonly options: { facetCacheSize?: number } = {},
  ) {}

  /**
   * Writes datasets in one transaction (all or nothing), with set-based
   * statements per batch rather than per dataset. A dataset described
   * exactly as at its last write costs one read per 500 and no write.
   */
  async upsert(
    records: DatasetRecord[],
    now = new Date().toISOString(),
  ): Promise<UpsertResult[]> {
    if (records.length === 0) return [];
    const rows = records.map(r => {
      const row = datasetRow(r, now);
      return { ...row, content_hash: contentHash(row, r) };
    });
    const existing = new Map<string, { seq: number; same: boolean }>();
    const read = async (db: Knex) => {
      for (const part of chunks(rows, 500)) {
        const found = await db('lakehouse_datasets')
          .whereIn(
            'id',
            part.map(r => r.id),
          )
          .select('seq', 'id', 'status', 'content_hash');
        const hashes = new Map(part.map(r => [r.id, r.content_hash]));
        found.forEach((r: any) =>
          existing.set(r.id, {
            seq: r.seq,
            same: r.status === 'active' && r.content_hash === hashes.get(r.id),
          }),
        );
      }
    };
    let changed = new Set<string>();
    const results = () =>
      records.map(r => ({
        created: !existing.has(r.id),
        unchanged: !!existing.get(r.id)?.same,
        schemaChanged: changed.has(r.id),
      }));
    // Read outside a transaction first: an unchanged batch needs no writer.
    await read(this.db);
    if (rows.every(r => existing.get(r.id)?.same)) return results();
    return this.db.transaction(async tx => {
      existing.clear();
      await read(tx);
      const write = rows.filter(r => !existing.get(r.id)?.same);
      const written = records.filter(r => !existing.get(r.id)?.same);

      const seqs = new Map<string, number>();
      for (const row of write) {
        const seq = existing.get(row.id)?.seq;
        if (seq !== undefined) {
          await tx('lakehouse_datasets').where({ seq }).update(row);
          seqs.set(row.id, seq);
        }
      }
      const created = write.filter(r => !existing.has(r.id));
      for (const part of chunks(created, 100)) {
        const inserted = await tx('lakehouse_datasets')
          .insert(part.map(r => ({ ...r, first_seen_at: now })))
          .returning(['seq', 'id']);
        inserted.forEach((r: any) => seqs.set(r.id, r.seq));
      }

      const allSeqs = [...seqs.values()];
      for (const part of chunks(allSeqs, 500)) {
        await tx('lakehouse_dataset_columns')
          .whereIn('dataset_seq', part)
          .delete();
        await tx('lakehouse_dataset_tags')
          .whereIn('dataset_seq', part)
          .delete();
      }
      const columnRows = written.flatMap(r =>
        r.columns.map((c, position) => ({
          dataset_seq: seqs.get(r.id),
          position,
          name: c.name,
          type: c.type,
          nullable: c.nullable,
          description: c.description ?? null,
          classification: c.classification ?? null,
          children: c.children ? JSON.stringify(c.children) : null,
          drift: c.drift ?? null,
        })),
      );
      for (const part of chunks(columnRows, MAX_ROWS_PER_INSERT)) {
        await tx('lakehouse_dataset_columns').insert(part);
      }
      const tagRows = written.flatMap(r =>
        [...new Set(r.tags)].map(tag => ({ dataset_seq: seqs.get(r.id), tag })),
      );
      for (const part of chunks(tagRows, MAX_ROWS_PER_INSERT)) {
        await tx('lakehouse_dataset_tags').insert(part);
      }

      changed = await this.recordSchemaVersions(tx, written, seqs, now);
      return results();
    });
  }

  /**
   * Adds a schema version for each dataset whose engine columns differ from
   * its last version (version 1 on first sight). Returns the changed ids.
   */
  private async recordSchemaVersions(
    tx: Knex.Transaction,
    records: DatasetRecord[],
    seqs: Map<string, number>,
    now: string,
  ): Promise<Set<string>> {
    const last = new Map<number, { version: number; columns: string }>();
    for (const part of chunks([...seqs.values()], 500)) {
      const rows = await tx('lakehouse_schema_versions as v')
        .whereIn('v.dataset_seq', part)
        .whereRaw(
          'v.version = (SELECT max(w.version) FROM lakehouse_schema_versions w WHERE w.dataset_seq = v.dataset_seq)',
        )
        .select('v.dataset_seq', 'v.version', 'v.columns');
      rows.forEach((r: any) => last.set(r.dataset_seq, r));
    }
    const changed = new Set<string>();
    const inserts = [];
    for (const record of records) {
      const seq = seqs.get(record.id)!;
      const current = record.columns
        .filter(c => c.drift !== 'missing_in_engine')
        .map(c => ({ name: c.name, type: c.type }));
      const previous = last.get(seq);
      const row = (
        version: number,
        change: Omit<SchemaChange, 'version' | 'detectedAt'>,
      ) => ({
        dataset_seq: seq,
        version,
        detected_at: now,
        columns: JSON.stringify(current),
        added: JSON.stringify(change.added),
        removed: JSON.stringify(change.removed),
        retyped: JSON.stringify(change.retyped),
      });
      if (!previous) {
        inserts.push(row(1, { added: [], removed: [], retyped: [] }));
        continue;
      }
      const before = new Map(
        parseJson<Array<{ name: string; type: string }>>(
          previous.columns,
          [],
        ).map(c => [c.name, c.type]),
      );
      const after = new Map(current.map(c => [c.name, c.type]));
      const added = current.filter(c => !before.has(c.name)).map(c => c.name);
      const removed = [...before.keys()].filter(name => !after.has(name));
      const retyped = current
        .filter(c => before.has(c.name) && before.get(c.name) !== c.type)
        .map(c => ({ name: c.name, from: before.get(c.name)!, to: c.type }));
      if (added.length || removed.length || retyped.length) {
        inserts.push(row(previous.version + 1, { added, removed, retyped }));
        changed.add(record.id);
      }
    }
    for (const part of chunks(inserts, MAX_ROWS_PER_INSERT)) {
      await tx('lakehouse_schema_versions').insert(part);
    }
    return changed;
  }

  /**
   * Marks active datasets of the namespace that are not in `presentIds` as
   * removed (kept, with their history; no longer listed by default).
   */
  async markMissingRemoved(
    namespace: string,
    presentIds: string[],
    now = new Date().toISOString(),
  ): Promise<string[]> {
    return this.db.transaction(async tx => {
      const present = new Set(presentIds);
      const active: Array<{ seq: number; id: string }> = await tx(
        'lakehouse_datasets',
      )
        .where({ namespace, status: 'active' })
        .select('seq', 'id');
      const gone = active.filter(d => !present.has(d.id));
      for (let i = 0; i < gone.length; i += 500) {
        const seqs = gone.slice(i, i + 500).map(d => d.seq);
        await tx('lakehouse_datasets')
          .whereIn('seq', seqs)
          .update({ status: 'removed', removed_at: now, updated_at: now });
        await tx('lakehouse_dataset_tags')
          .whereIn('dataset_seq', seqs)
          .delete();
      }
      return gone.map(d => d.id);
    });
  }

  /** Datasets matching the query's filters, joined to the search matches when searching. */
  private baseQuery(
    db: Knex,
    query: ListDatasetsQuery,
    filter: DatasetFilter | undefined,
    search: PreparedSearch | undefined,
    skipFacet?: DatasetFacetName,
    ranked = false,
  ): Knex.QueryBuilder {
    const qb: Knex.QueryBuilder = search
      ? search.datasets(db, ranked)
      : db(`${SEARCH_TABLE} as d`);
    if (!query.includeRemoved) qb.where('d.status', 'active');
    for (const facet of Object.keys(FACET_COLUMNS) as Array<
      keyof typeof FACET_COLUMNS
    >) {
      const values = query[facet];
      if (facet !== skipFacet && values?.length)
        qb.whereIn(FACET_COLUMNS[facet], values);
    }
    if (skipFacet !== 'tag' && query.tag?.length) {
      for (const tag of query.tag) {
        qb.whereExists(
          db('lakehouse_dataset_tags as t')
            .whereRaw('t.dataset_seq = d.seq')
            .where('t.tag', tag),
        );
      }
    }
    filter?.(qb);
    return qb;
  }

  async list(
    query: ListDatasetsQuery,
    filter?: DatasetFilter,
  ): Promise<{
    items: DatasetSummary[];
    totalCount: number;
    nextCursor?: string;
    facets: DatasetFacets;
  }> {
    const words = searchWords(query.q).slice(0, 8);
    const limit = Math.min(Math.max(query.limit ?? 25, 1), 100);
    const offset = decodeCursor(query.cursor);
    const sort = query.sort ?? (words.length ? 'relevance' : 'name');

    const cacheKey = this.facetCacheKey(query, words, filter);
    const generation = cacheKey
      ? String(
          (
            await this.db('lakehouse_search_generation')
              .where({ id: 1 })
              .first()
          ).n,
        )
      : '';
    const cached = cacheKey ? this.facetCache.get(cacheKey) : undefined;
    const counted =
      cached?.generation === generation ? cached.value : undefined;

    const run = async (db: Knex, search?: PreparedSearch) => {
      const ranked = sort === 'relevance' && !!search;
      const page = this.baseQuery(
        db,
        query,
        filter,
        search,
        undefined,
        ranked,
      ).select('d.seq');
      if (ranked) {
        page.orderBy(search!.rank, 'asc');
      } else if (sort !== 'relevance') {
        const direction = query.order ?? (sort === 'name' ? 'asc' : 'desc');
        // NULLS LAST keeps the (status, name) index usable for the name sort.
        nullsLast(page, db, SORT_COLUMNS[sort], direction);
      }
      page
        .orderBy('d.name', 'asc')
        .limit(limit + 1)
        .offset(offset);
      const counts = () =>
        counted
          ? Promise.resolve(counted)
          : this.countAndFacets(db, query, filter, search);
      // Sequential in a transaction (one connection), parallel otherwise.
      if (db !== this.db) {
        return [await page, await counts()] as const;
      }
      return Promise.all([page, counts()]);
    };
    const options = {
      counting: !counted,
      facetFiltered: hasColumnFilter(query),
    };
    const [matched, { count, facets }] = words.length
      ? await searchDialectFor(this.db).withSearch(this.db, words, options, run)
      : await run(this.db);
    if (cacheKey && !counted) {
      this.facetCache.delete(cacheKey);
      this.facetCache.set(cacheKey, { generation, value: { count, facets } });
      while (
        this.facetCache.size > (this.options.facetCacheSize ?? FACET_CACHE_SIZE)
      )
        this.facetCache.delete(this.facetCache.keys().next().value!);
    }
    // The page's wide rows, read by key once the narrow rows chose them.
    const seqs: number[] = matched
      .slice(0, limit)
      .map((r: any) => Number(r.seq));
    const bySeq = new Map(
      (
        await this.db('lakehouse_datasets as d')
          .whereIn('d.seq', seqs)
          .select(SUMMARY_COLUMNS)
      ).map((r: any) => [Number(r.seq), r]),
    );
    const rows = seqs.map(seq => bySeq.get(seq)).filter(Boolean);
    const items = rows.map(toSummary);
    const withColumns = !!query.include?.includes('columns');
    if ((words.length || withColumns) && items.length) {
      await this.addColumns(rows, items, words, withColumns);
    }
    return {
      items,
      totalCount: count,
      nextCursor:
        matched.length > limit ? encodeCursor(offset + limit) : undefined,
      facets,
    };
  }

  /** What the counts of a list depend on; undefined when they cannot be cached. */
  private facetCacheKey(
    query: ListDatasetsQuery,
    words: string[],
    filter: DatasetFilter | undefined,
  ): string | undefined {
    if (this.options.facetCacheSize === 0) return undefined;
    if (filter && filter.key === undefined) return undefined;
    const sorted = (values?: string[]) => [...(values ?? [])].sort();
    return JSON.stringify([
      words,
      ...Object.keys(FACET_COLUMNS).map(c =>
        sorted(query[c as keyof typeof FACET_COLUMNS]),
      ),
      sorted(query.tag),
      !!query.includeRemoved,
      filter?.key ?? null,
    ]);
  }

  /**
   * Total and facet counts in two scans instead of one per facet: the rows
   * matching the query and the tag filter are grouped by every facet column
   * at once (an index-only scan of the covering facet index when there is no
   * query), and each facet and the total are summed from those groups in
   * memory, each facet ignoring its own filter. Tags are counted from the
   * narrow rows' tag lists, grouped alike (equal lists are one group), or
   * straight from the tag table when nothing narrows the datasets.
   */
  private async countAndFacets(
    db: Knex,
    query: ListDatasetsQuery,
    filter: DatasetFilter | undefined,
    search: PreparedSearch | undefined,
  ): Promise<{ count: number; facets: DatasetFacets }> {
    const columns = Object.keys(FACET_COLUMNS) as Array<
      keyof typeof FACET_COLUMNS
    >;
    const noColumnFilters = Object.fromEntries(
      columns.map(c => [c, undefined]),
    );
    const combos = this.baseQuery(
      db,
      { ...query, ...noColumnFilters },
      filter,
      search,
    )
      .groupBy(columns.map(c => FACET_COLUMNS[c]))
      .select(columns.map(c => ({ [c]: FACET_COLUMNS[c] })))
      .count({ n: '*' });
    const onlyTags =
      !search && !filter && !query.includeRemoved && !hasColumnFilter(query);
    const tags = onlyTags
      ? // Tag rows exist only for active datasets: no join needed.
        db('lakehouse_dataset_tags as ft')
          .groupBy('ft.tag')
          .select({ tag: 'ft.tag' })
          .count({ n: '*' })
      : // Only active datasets have tags (removal deletes their tag rows).
        this.baseQuery(db, query, filter, search, 'tag')
          .where('d.status', 'active')
          .groupBy('d.tags')
          .select({ tags: 'd.tags' })
          .count({ n: '*' });
    // Sequential in a transaction (one connection), parallel otherwise.
    const [groups, tagRows] =
      db === this.db
        ? await Promise.all([combos, tags])
        : [await combos, await tags];

    const selected = (c: keyof typeof FACET_COLUMNS, value: unknown) =>
      !query[c]?.length || query[c]!.includes(value as string);
    const counts = Object.fromEntries(
      columns.map(c => [c, new Map<string, number>()]),
    );
    let total = 0;
    for (const group of groups as any[]) {
      const n = Number(group.n);
      const matched = columns.map(c => selected(c, group[c]));
      if (matched.every(Boolean)) total += n;
      columns.forEach((c, i) => {
        const value = group[c];
        if (value === null || value === undefined) return;
        if (matched.every((ok, j) => ok || j === i)) {
          counts[c].set(value, (counts[c].get(value) ?? 0) + n);
        }
      });
    }
    const sorted = (values: Array<{ value: string; count: number }>) =>
      values.sort(
        (a, b) => b.count - a.count || a.value.localeCompare(b.value),
      );
    const facets = Object.fromEntries(
      columns.map(c => [
        c,
        sorted([...counts[c]].map(([value, count]) => ({ value, count }))),
      ]),
    ) as DatasetFacets;
    const tagCounts = new Map<string, number>();
    for (const row of tagRows as any[]) {
      const list = onlyTags
        ? [row.tag]
        : new Set(parseJson<string[]>(row.tags, []));
      for (const tag of list)
        tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + Number(row.n));
    }
    facets.tag = sorted(
      [...tagCounts].map(([value, count]) => ({ value, count })),
    );
    return { count: total, facets };
  }

  /** Adds matchedColumns (when searching) and, if asked, the columns. */
  private async addColumns(
    rows: any[],
    items: DatasetSummary[],
    words: string[],
    withColumns: boolean,
  ) {
    const columns: any[] = await this.db('lakehouse_dataset_columns')
      .whereIn(
        'dataset_seq',
        rows.map(r => r.seq),
      )
      .orderBy(['dataset_seq', 'position'])
      .select(
        'dataset_seq',
        'name',
        'type',
        'nullable',
        'description',
        'classification',
        'drift',
      );
    // A column matches when all query words are in its name or description.
    const matches = (name: string, description: string | null) => {
      const have = searchWords(`${name} ${description ?? ''}`);
      return words.every((w, i) =>
        have.some(h => (i === words.length - 1 ? h.startsWith(w) : h === w)),
      );
    };
    rows.forEach((row, i) => {
      const own = columns.filter(c => c.dataset_seq === row.seq);
      if (words.length) {
        const matched = own
          .filter(c => matches(c.name, c.description))
          .map(c => c.name);
        if (matched.length) items[i].matchedColumns = matched;
      }
      if (withColumns) {
        items[i].columns = own.map(c => ({
          name: c.name,
          type: c.type,
          nullable: Boolean(c.nullable),
          description: opt(c.description),
          classification: opt(c.classification),
          drift: opt(c.drift),
        }));
      }
    });
  }

  async get(
    id: string,
  ): Promise<(StoredDataset & { schemaVersions: SchemaChange[] }) | undefined> {
    const row = await this.db('lakehouse_datasets').where({ id }).first();
    if (!row) return undefined;
    const [columns, versions] = await Promise.all([
      this.db('lakehouse_dataset_columns')
        .where({ dataset_seq: row.seq })
        .orderBy('position'),
      this.db('lakehouse_schema_versions')
        .where({ dataset_seq: row.seq })
        .orderBy('version', 'desc'),
    ]);
    return {
      ...toSummary(row),
      seq: row.seq,
      fileCount: num(row.file_count),
      partitionColumns: parseJson(row.partition_columns, []),
      partitionCount: num(row.partition_count),
      latestPartition: opt(row.latest_partition),
      location: opt(row.location),
      contract: parseJson(row.contract, undefined),
      contractProblems: parseJson(row.contract_problems, []),
      freshnessSlaHours: num(row.freshness_sla_hours),
      freshnessElement: opt(row.freshness_element),
      firstSeenAt: row.first_seen_at,
      updatedAt: row.updated_at,
      removedAt: opt(row.removed_at),
      columns: columns.map((c: any) => ({
        name: c.name,
        type: c.type,
        nullable: Boolean(c.nullable),
        description: opt(c.description),
        classification: opt(c.classification),
        children: parseJson(c.children, undefined),
        drift: opt(c.drift),
      })),
      schemaVersions: versions.map((v: any) => ({
        version: v.version,
        detectedAt: v.detected_at,
        added: parseJson(v.added, []),
        removed: parseJson(v.removed, []),
        retyped: parseJson(v.retyped, []),
      })),
    };
  }

  /**
   * Active datasets named `name` (`commerce.curated.orders`), or whose
   * last name part is `name` (`orders`) when the full name matches none.
   */
  async idsByName(name: string): Promise<string[]> {
    const exact = await this.db('lakehouse_datasets')
      .where({ name, status: 'active' })
      .select('id');
    if (exact.length) return exact.map(r => r.id);
    const rows = await this.db('lakehouse_datasets')
      .where({ status: 'active' })
      .where('name', 'like', `%.${name.replace(/[%_]/g, '')}`)
      .select('id', 'name');
    return rows.filter(r => r.name.endsWith(`.${name}`)).map(r => r.id);
  }

  /** Active datasets owned by any of the given group or user refs. */
  async ownedBy(
    owners: string[],
    filter?: DatasetFilter,
  ): Promise<DatasetSummary[]> {
    if (owners.length === 0) return [];
    const query = this.db('lakehouse_datasets as d')
      .where('d.status', 'active')
      .whereIn('d.owner', owners)
      .select(SUMMARY_COLUMNS)
      .orderBy('d.name');
    filter?.(query);
    const rows = await query;
    return rows.map(toSummary);
  }

  /** Keeps the latest quality score on the dataset, for list facets and sorting. */
  async setQuality(
    id: string,
    quality: { score?: number; grade?: string },
    db: Knex = this.db,
  ): Promise<void> {
    await db('lakehouse_datasets')
      .where({ id })
      .update({
        quality_score: quality.score ?? null,
        quality_grade: quality.grade ?? null,
      });
  }

  /** Id and storage location of every active dataset (lineage matching). */
  async identities(): Promise<Array<{ id: string; location?: string }>> {
    const rows = await this.db('lakehouse_datasets')
      .where({ status: 'active' })
      .select('id', 'location');
    return rows.map(r => ({ id: r.id, location: opt(r.location) }));
  }

  /** Summaries of the given datasets, keyed by id; unknown ids are absent. */
  async summaries(ids: string[]): Promise<Map<string, DatasetSummary>> {
    const out = new Map<string, DatasetSummary>();
    for (const batch of chunks(ids, 900)) {
      const rows = await this.db('lakehouse_datasets').whereIn('id', batch);
      for (const row of rows) out.set(row.id, toSummary(row));
    }
    return out;
  }

  /** Declared (contract) classification of each column of the given datasets. */
  async columnClassifications(
    ids: string[],
  ): Promise<Map<string, Map<string, string | undefined>>> {
    const out = new Map<string, Map<string, string | undefined>>();
    for (const batch of chunks(ids, 900)) {
      const rows = await this.db('lakehouse_dataset_columns as c')
        .join('lakehouse_datasets as d', 'd.seq', 'c.dataset_seq')
        .whereIn('d.id', batch)
        .select('d.id', 'c.name', 'c.classification');
      for (const r of rows) {
        if (!out.has(r.id)) out.set(r.id, new Map());
        out.get(r.id)!.set(r.name, opt(r.classification));
      }
    }
    return out;
  }

  async recordSyncRun(run: SyncRun): Promise<void> {
    await this.db('lakehouse_sync_runs').insert({
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      summary: JSON.stringify(run),
    });
  }

  async lastSyncRun(): Promise<SyncRun | undefined> {
    const row = await this.db('lakehouse_sync_runs')
      .orderBy('id', 'desc')
      .first('summary');
    return row ? JSON.parse(row.summary) : undefined;
  }
}
