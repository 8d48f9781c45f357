import { Knex } from 'knex';
import { chunks } from '../database/chunks';
import { runWrites, upsertRows } from '../database/combinedWrites';
import { isPostgres } from '../database/searchDialect';
import {
  AssetKind,
  ClassificationConfirmation,
  parseAssetId,
} from '@lakeport/plugin-lakehouse-common';
import type { FacetProblem } from './openLineageSchema';

/** A dataset or job as lineage knows it. */
export interface LineageNodeRow {
  id: string;
  kind: AssetKind;
  namespace: string;
  name: string;
  description?: string | null;
  owners?: string[] | null;
  fields?: Array<{ name: string; type?: string; description?: string }> | null;
  dataSource?: { name?: string; uri?: string } | null;
  sourceCode?: { language: string; sourceCode: string } | null;
  sql?: string | null;
  declassifies?: boolean | null;
  /** Parent job (OpenLineage `parent` run facet), for jobs. */
  parentId?: string | null;
}

export interface ColumnEdgeRow {
  sourceId: string;
  sourceColumn: string;
  targetId: string;
  targetColumn: string;
  jobId?: string;
  transformationType?: string;
  transformationSubtype?: string;
  transformationDescription?: string;
  masking: boolean;
}

export interface RunStateRow {
  runId: string;
  jobId: string;
  state: string;
  /** UTC ISO time of the event. */
  eventTime: string;
  errorMessage?: string;
  parentRunId?: string;
}

/** Everything one OpenLineage event writes, applied in one transaction. */
export interface LineageWrite {
  event: {
    hash: string;
    type: string;
    eventTime: string;
    runId?: string;
    payload: string;
    /** Facets received but not interpreted. */
    problems?: FacetProblem[];
  };
  nodes: LineageNodeRow[];
  aliases: Array<{ alias: string; nodeId: string }>;
  edges: Array<{ sourceId: string; targetId: string }>;
  columnEdges: ColumnEdgeRow[];
  run?: RunStateRow;
}

export interface RunSummary {
  runId: string;
  state: string;
  stateTime: string;
  startedAt?: string;
  endedAt?: string;
  errorMessage?: string;
  /** Facets of the run's events that were received but not interpreted. */
  problems?: string[];
}

export interface OverrideRow {
  datasetId: string;
  column: string;
  derived: string;
  declared: string;
  derivedFrom: unknown;
  contractFile?: string;
  recordedAt: string;
}

const MAX_ROWS_PER_INSERT = 400;
// SQLite and PostgreSQL both accept far more; keeps statements reasonable.
const MAX_IDS_PER_QUERY = 900;

/** Node columns an event may leave out: the row keeps what it had. */
const NODE_FACETS = [
  'description',
  'owners',
  'fields',
  'data_source',
  'source_code',
  'sql',
  'declassifies',
  'parent_id',
];

const RANK = (column: string) =>
  `CASE ${column} WHEN 'COMPLETE' THEN 3 WHEN 'FAIL' THEN 3 WHEN 'ABORT' THEN 3 WHEN 'RUNNING' THEN 2 WHEN 'START' THEN 1 ELSE 0 END`;
const TERMINAL = new Set(['COMPLETE', 'FAIL', 'ABORT']);
const rank = (state: string) =>
  TERMINAL.has(state)
    ? 3
    : ({ RUNNING: 2, START: 1 } as Record<string, number>)[state] ?? 0;

/** Nodes and edges to write, with the run states of the events. */
export type GraphWrite = Omit<LineageWrite, 'event' | 'run'> & {
  runs?: RunStateRow[];
};

interface CombinedRun extends RunStateRow {
  startedAt?: string;
  endedAt?: string;
}

/** Events of one run in a batch folded into one row (an upsert touches a row once). */
function combineRuns(runs: RunStateRow[]): CombinedRun[] {
  const byId = new Map<string, CombinedRun>();
  for (const run of runs) {
    const own: CombinedRun = {
      ...run,
      startedAt: run.state === 'START' ? run.eventTime : undefined,
      endedAt: TERMINAL.has(run.state) ? run.eventTime : undefined,
    };
    const seen = byId.get(run.runId);
    if (!seen) {
      byId.set(run.runId, own);
      continue;
    }
    const newer =
      rank(run.state) > rank(seen.state) ||
      (rank(run.state) === rank(seen.state) && run.eventTime > seen.eventTime);
    byId.set(run.runId, {
      ...(newer ? own : seen),
      startedAt: [seen.startedAt, own.startedAt].filter(Boolean).sort()[0],
      endedAt: own.endedAt ?? seen.endedAt,
      errorMessage: own.errorMessage ?? seen.errorMessage,
      parentRunId: own.parentRunId ?? seen.parentRunId,
    });
  }
  return [...byId.values()].sort((a, b) => byCodePoint(a.runId, b.runId));
}

const json = (value: unknown) =>
  value === undefined || value === null ? null : JSON.stringify(value);
const parse = <T>(value: unknown): T | undefined =>
  typeof value === 'string' ? (JSON.parse(value) as T) : undefined;

/** Knex access to the lineage graph; SQL that runs on SQLite and PostgreSQL. */
export class LineageStore {
  constructor(private readonly db: Knex) {}

  /**
   * Applies events in one transaction (group commit: one commit for many
   * events). Returns, per write, whether it was applied; false, writing
   * nothing, when the same event was applied before (content hash).
   */
  async applyBatch(
    writes: LineageWrite[],
    now = new Date(),
  ): Promise<boolean[]> {
    return this.db.transaction(async tx => {
      const inserted = new Set<string>();
      const rows = dedupe(
        writes.map(w => w.event),
        e => e.hash,
        a => a,
      );
      for (const batch of chunks(rows, MAX_ROWS_PER_INSERT / 4)) {
        const hashes = await tx('lineage_events')
          .insert(
            batch.map(e => ({
              hash: e.hash,
              event_type: e.type,
              event_time: e.eventTime,
              run_id: e.runId ?? null,
              received_at: now.toISOString(),
              payload: e.payload,
              problems: json(e.problems),
            })),
          )
          .onConflict('hash')
          .ignore()
          .returning('hash');
        for (const h of hashes)
          inserted.add(typeof h === 'string' ? h : h.hash);
      }
      // The first copy of a new event is applied; repeats are duplicates.
      const applied = writes.map(w => inserted.delete(w.event.hash));
      const fresh = writes.filter((_, i) => applied[i]);
      await this.writeGraph(
        tx,
        {
          nodes: fresh.flatMap(w => w.nodes),
          aliases: fresh.flatMap(w => w.aliases),
          edges: fresh.flatMap(w => w.edges),
          columnEdges: fresh.flatMap(w => w.columnEdges),
          runs: fresh.flatMap(w => (w.run ? [w.run] : [])),
        },
        now,
      );
      return applied;
    });
  }

  /** Writes nodes and edges without an event record, in one transaction. */
  async applyGraph(write: GraphWrite): Promise<void> {
    await this.db.transaction(tx => this.writeGraph(tx, write));
  }

  /** Writes nodes and edges inside the caller's transaction. */
  async writeGraph(
    tx: Knex,
    write: GraphWrite,
    now = new Date(),
  ): Promise<void> {
    // Null-safe "differs": a row an event repeats exactly is not rewritten
    // (no new row version, no index or WAL work), so updated_at is the
    // last change, not the last sighting.
    const differs = isPostgres(tx) ? 'IS DISTINCT FROM' : 'IS NOT';
    const update = (table: string, set: Record<string, string>) =>
      `DO UPDATE SET ${Object.entries(set)
        .map(([column, expr]) => `${column} = ${expr}`)
        .join(', ')} WHERE ${Object.entries(set)
        .filter(([column]) => column !== 'updated_at')
        .map(([column, expr]) => `(${expr}) ${differs} ${table}.${column}`)
        .join(' OR ')}`;
    const writes: Knex.Raw[] = [];

    const nodes = dedupe(write.nodes, n => n.id, mergeNodes);
    for (const batch of chunks(nodes, MAX_ROWS_PER_INSERT)) {
      writes.push(
        upsertRows(tx, {
          table: 'lineage_nodes',
          rows: batch.map(n => ({
            id: n.id,
            kind: n.kind,
            namespace: n.namespace,
            name: n.name,
            description: n.description ?? null,
            owners: json(n.owners),
            fields: json(n.fields),
            data_source: json(n.dataSource),
            source_code: json(n.sourceCode),
            sql: n.sql ?? null,
            declassifies: n.declassifies ?? null,
            parent_id: n.parentId ?? null,
            updated_at: now.toISOString(),
          })),
          booleans: ['declassifies'],
          // Absent facets keep what earlier events said.
          onConflict: `ON CONFLICT (id) ${update('lineage_nodes', {
            ...Object.fromEntries(
              NODE_FACETS.map(c => [
                c,
                `COALESCE(excluded.${c}, lineage_nodes.${c})`,
              ]),
            ),
            updated_at: 'excluded.updated_at',
          })}`,
        }),
      );
    }
    const aliases = dedupe(write.aliases, a => a.alias);
    for (const batch of chunks(aliases, MAX_ROWS_PER_INSERT)) {
      writes.push(
        upsertRows(tx, {
          table: 'lineage_aliases',
          rows: batch.map(a => ({ alias: a.alias, node_id: a.nodeId })),
          onConflict: `ON CONFLICT (alias) ${update('lineage_aliases', {
            node_id: 'excluded.node_id',
          })}`,
        }),
      );
    }
    const edges = dedupe(write.edges, e => `${e.sourceId}\n${e.targetId}`);
    for (const batch of chunks(edges, MAX_ROWS_PER_INSERT)) {
      writes.push(
        upsertRows(tx, {
          table: 'lineage_edges',
          rows: batch.map(e => ({
            source_id: e.sourceId,
            target_id: e.targetId,
          })),
          onConflict: 'ON CONFLICT (source_id, target_id) DO NOTHING',
        }),
      );
    }
    const columnEdges = dedupe(
      write.columnEdges,
      e => `${e.targetId}\n${e.targetColumn}\n${e.sourceId}\n${e.sourceColumn}`,
    );
    for (const batch of chunks(columnEdges, MAX_ROWS_PER_INSERT / 2)) {
      writes.push(
        upsertRows(tx, {
          table: 'lineage_column_edges',
          rows: batch.map(e => ({
            source_id: e.sourceId,
            source_column: e.sourceColumn,
            target_id: e.targetId,
            target_column: e.targetColumn,
            job_id: e.jobId ?? null,
            transformation_type: e.transformationType ?? null,
            transformation_subtype: e.transformationSubtype ?? null,
            transformation_description: e.transformationDescription ?? null,
            masking: e.masking,
          })),
          booleans: ['masking'],
          onConflict: `ON CONFLICT (target_id, target_column, source_id, source_column) ${update(
            'lineage_column_edges',
            Object.fromEntries(
              [
                'job_id',
                'transformation_type',
                'transformation_subtype',
                'transformation_description',
                'masking',
              ].map(c => [c, `excluded.${c}`]),
            ),
          )}`,
        }),
      );
    }
    const runs = combineRuns(write.runs ?? []);
    for (const batch of chunks(runs, MAX_ROWS_PER_INSERT / 2)) {
      writes.push(this.writeRuns(tx, batch));
    }
    await runWrites(tx, writes);
  }

  /**
   * Forgets what the nodes read (their incoming edges and column edges),
   * inside the caller's transaction: metadata sources rewrite an asset's
   * inputs whole when it changes.
   */
  async clearInputs(tx: Knex, ids: string[]): Promise<void> {
    for (const batch of chunks(ids, MAX_IDS_PER_QUERY)) {
      await tx('lineage_edges').whereIn('target_id', batch).delete();
      await tx('lineage_column_edges').whereIn('target_id', batch).delete();
    }
  }

  /** Removes nodes with every edge touching them, inside the caller's transaction. */
  async removeNodes(tx: Knex, ids: string[]): Promise<void> {
    for (const batch of chunks(ids, MAX_IDS_PER_QUERY)) {
      for (const table of ['lineage_edges', 'lineage_column_edges']) {
        await tx(table).whereIn('target_id', batch).delete();
        await tx(table).whereIn('source_id', batch).delete();
      }
      await tx('lineage_aliases').whereIn('node_id', batch).delete();
      await tx('lineage_nodes').whereIn('id', batch).delete();
    }
  }

  /**
   * Run state whatever order events arrive in: a terminal state (COMPLETE,
   * FAIL, ABORT) outranks RUNNING, which outranks START; within a rank the
   * later event wins. The same rule as combineRuns, applied against the row.
   */
  private writeRuns(tx: Knex, runs: CombinedRun[]): Knex.Raw {
    const newer = `(${RANK('excluded.state')} > ${RANK(
      'lineage_runs.state',
    )} OR (${RANK('excluded.state')} = ${RANK(
      'lineage_runs.state',
    )} AND excluded.state_time > lineage_runs.state_time))`;
    return upsertRows(tx, {
      table: 'lineage_runs',
      rows: runs.map(run => ({
        run_id: run.runId,
        job_id: run.jobId,
        state: run.state,
        state_time: run.eventTime,
        started_at: run.startedAt ?? null,
        ended_at: run.endedAt ?? null,
        error_message: run.errorMessage ?? null,
        parent_run_id: run.parentRunId ?? null,
      })),
      onConflict: `ON CONFLICT (run_id) DO UPDATE SET
        state = CASE WHEN ${newer} THEN excluded.state ELSE lineage_runs.state END,
        state_time = CASE WHEN ${newer} THEN excluded.state_time ELSE lineage_runs.state_time END,
        started_at = COALESCE(lineage_runs.started_at, excluded.started_at),
        ended_at = COALESCE(excluded.ended_at, lineage_runs.ended_at),
        error_message = COALESCE(excluded.error_message, lineage_runs.error_message),
        parent_run_id = COALESCE(excluded.parent_run_id, lineage_runs.parent_run_id)`,
    });
  }

  /** Node ids behind aliases (OpenLineage names matched to catalog assets). */
  async resolve(id: string): Promise<string> {
    const row = await this.db('lineage_aliases')
      .where({ alias: id })
      .first('node_id');
    return row?.node_id ?? id;
  }

  async hasNode(id: string): Promise<boolean> {
    return Boolean(await this.db('lineage_nodes').where({ id }).first('id'));
  }

  /** Edges touching the given nodes in one direction. */
  async edgesFrom(
    ids: string[],
    direction: 'upstream' | 'downstream',
  ): Promise<Array<{ sourceId: string; targetId: string }>> {
    const column = direction === 'upstream' ? 'target_id' : 'source_id';
    const out: Array<{ sourceId: string; targetId: string }> = [];
    for (const batch of chunks(ids, MAX_IDS_PER_QUERY)) {
      const rows = await this.db('lineage_edges')
        .whereIn(column, batch)
        .select('source_id', 'target_id');
      for (const r of rows)
        out.push({ sourceId: r.source_id, targetId: r.target_id });
    }
    return out;
  }

  /** Column edges touching the given (node, column) pairs in one direction. */
  async columnEdgesFrom(
    columns: Array<{ id: string; column: string }>,
    direction: 'upstream' | 'downstream',
  ): Promise<ColumnEdgeRow[]> {
    const [idColumn, nameColumn] =
      direction === 'upstream'
        ? ['target_id', 'target_column']
        : ['source_id', 'source_column'];
    const out: ColumnEdgeRow[] = [];
    for (const batch of chunks(columns, MAX_IDS_PER_QUERY / 2)) {
      const rows = await this.db('lineage_column_edges').whereIn(
        [idColumn, nameColumn],
        batch.map(c => [c.id, c.column]),
      );
      out.push(...rows.map(toColumnEdge));
    }
    return out;
  }

  /** Column edges into or out of whole nodes. */
  async columnEdgesOfNodes(
    ids: string[],
    direction: 'upstream' | 'downstream',
  ): Promise<ColumnEdgeRow[]> {
    const column = direction === 'upstream' ? 'target_id' : 'source_id';
    const out: ColumnEdgeRow[] = [];
    for (const batch of chunks(ids, MAX_IDS_PER_QUERY)) {
      const rows = await this.db('lineage_column_edges').whereIn(column, batch);
      out.push(...rows.map(toColumnEdge));
    }
    return out;
  }

  async nodes(ids: string[]): Promise<Map<string, LineageNodeRow>> {
    const out = new Map<string, LineageNodeRow>();
    for (const batch of chunks(ids, MAX_IDS_PER_QUERY)) {
      const rows = await this.db('lineage_nodes').whereIn('id', batch);
      for (const r of rows) {
        out.set(r.id, {
          id: r.id,
          kind: r.kind,
          namespace: r.namespace,
          name: r.name,
          description: r.description ?? undefined,
          owners: parse<string[]>(r.owners),
          fields: parse(r.fields),
          dataSource: parse(r.data_source),
          sourceCode: parse(r.source_code),
          sql: r.sql ?? undefined,
          declassifies: Boolean(r.declassifies),
          parentId: r.parent_id ?? undefined,
        });
      }
    }
    return out;
  }

  /** The latest run of each job (by state time), with its problems. */
  async latestRuns(jobIds: string[]): Promise<Map<string, RunSummary>> {
    const out = new Map<string, RunSummary>();
    for (const batch of chunks(jobIds, MAX_IDS_PER_QUERY)) {
      const rows = await this.db('lineage_runs')
        .whereIn('job_id', batch)
        .orderBy('state_time', 'asc');
      for (const r of rows) out.set(r.job_id, toRunSummary(r));
    }
    await this.addProblems([...out.values()]);
    return out;
  }

  async run(runId: string): Promise<RunSummary | undefined> {
    const r = await this.db('lineage_runs').where({ run_id: runId }).first();
    if (!r) return undefined;
    const run = toRunSummary(r);
    await this.addProblems([run]);
    return run;
  }

  /**
   * Datasets lineage knows only by storage path (file, object store, HDFS
   * namespaces) that are not among `catalogIds`: candidates to adopt once
   * the catalog has the table (a job wrote it before the sync saw it).
   */
  async pathDatasets(
    catalogIds: Set<string>,
  ): Promise<Array<{ id: string; namespace: string; name: string }>> {
    const rows = await this.db('lineage_nodes')
      .where({ kind: 'dataset' })
      .andWhere(q =>
        q.where('namespace', 'file').orWhere('namespace', 'like', '%://%'),
      )
      .select('id', 'namespace', 'name');
    return rows.filter(r => !catalogIds.has(r.id));
  }

  /**
   * Moves a dataset node onto another id (its catalog asset), in one
   * transaction: edges, column edges and aliases follow; the old id stays
   * an alias; facets the target lacks are taken from the old node.
   */
  async rekeyDataset(fromId: string, toId: string): Promise<void> {
    await this.db.transaction(async tx => {
      const [from, to] = await Promise.all([
        tx('lineage_nodes').where({ id: fromId }).first(),
        tx('lineage_nodes').where({ id: toId }).first(),
      ]);
      if (!from) return;
      const { namespace, name } = parseAssetId(toId);
      const merged = { ...from, id: toId, namespace, name };
      for (const [k, v] of Object.entries(to ?? {})) {
        if (v !== null && v !== undefined) merged[k] = v;
      }
      await tx('lineage_nodes').where({ id: fromId }).delete();
      await tx('lineage_nodes').insert(merged).onConflict('id').merge();
      // Edges and column edges touching the node, moved onto the new id; a
      // row the target already has stays as it is (edges) or takes the
      // moved one's transformation (column edges).
      const move = (id: string) => (id === fromId ? toId : id);
      const moveEdges = async (
        table: string,
        key: string[],
        batchSize: number,
        merge: boolean,
      ) => {
        const touching = (q: Knex.QueryBuilder) =>
          q.where({ source_id: fromId }).orWhere({ target_id: fromId });
        const rows: Array<Record<string, any>> = await touching(tx(table));
        for (const batch of chunks(rows, batchSize)) {
          const conflict = tx(table)
            .insert(
              batch.map(e => ({
                ...e,
                source_id: move(e.source_id),
                target_id: move(e.target_id),
              })),
            )
            .onConflict(key);
          await (merge ? conflict.merge() : conflict.ignore());
        }
        await touching(tx(table)).delete();
      };
      await moveEdges(
        'lineage_edges',
        ['source_id', 'target_id'],
        MAX_ROWS_PER_INSERT,
        false,
      );
      await moveEdges(
        'lineage_column_edges',
        ['target_id', 'target_column', 'source_id', 'source_column'],
        MAX_ROWS_PER_INSERT / 2,
        true,
      );
      await tx('lineage_aliases')
        .where({ node_id: fromId })
        .update({ node_id: toId });
      await tx('lineage_aliases')
        .insert({ alias: fromId, node_id: toId })
        .onConflict('alias')
        .merge();
    });
  }

  /** Child jobs of the given parent jobs: child id → parent id. */
  async childJobs(parentIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const batch of chunks(parentIds, MAX_IDS_PER_QUERY)) {
      const rows = await this.db('lineage_nodes')
        .whereIn('parent_id', batch)
        .select('id', 'parent_id');
      rows.forEach(r => out.set(r.id, r.parent_id));
    }
    return out;
  }

  /** Jobs among the given ones that ever completed or failed (not only started). */
  async finishedJobs(jobIds: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const batch of chunks(jobIds, MAX_IDS_PER_QUERY)) {
      const rows = await this.db('lineage_runs')
        .whereIn('job_id', batch)
        .whereIn('state', [...TERMINAL])
        .distinct('job_id');
      rows.forEach(r => out.add(r.job_id));
    }
    return out;
  }

  /** Problems of the runs' events, each message once per run. */
  private async addProblems(runs: RunSummary[]) {
    const byId = new Map(runs.map(r => [r.runId, r]));
    for (const batch of chunks([...byId.keys()], MAX_IDS_PER_QUERY)) {
      const rows = await this.db('lineage_events')
        .whereIn('run_id', batch)
        .whereNotNull('problems')
        .select('run_id', 'problems');
      for (const r of rows) {
        const run = byId.get(r.run_id)!;
        const messages = (parse<FacetProblem[]>(r.problems) ?? []).map(
          p => p.message,
        );
        run.problems = [...new Set([...(run.problems ?? []), ...messages])];
      }
    }
  }

  /** Datasets with columns derived from others. */
  async datasetsWithColumnLineage(): Promise<string[]> {
    const rows = await this.db('lineage_column_edges').distinct('target_id');
    return rows.map(r => r.target_id);
  }

  /** Records an override unless the same one is already recorded; true if new. */
  async recordOverride(row: OverrideRow): Promise<boolean> {
    const inserted = await this.db('lineage_classification_overrides')
      .insert({
        dataset_id: row.datasetId,
        column_name: row.column,
        derived: row.derived,
        declared: row.declared,
        derived_from: JSON.stringify(row.derivedFrom),
        contract_file: row.contractFile ?? null,
        recorded_at: row.recordedAt,
      })
      .onConflict(['dataset_id', 'column_name', 'derived', 'declared'])
      .ignore()
      .returning('dataset_id');
    return inserted.length > 0;
  }

  /**
   * Records a steward's confirmation unless one is active for the column;
   * returns the active one either way (and whether it is new).
   */
  async addConfirmation(
    row: ClassificationConfirmation,
  ): Promise<{ confirmation: ClassificationConfirmation; created: boolean }> {
    return this.db.transaction(async tx => {
      const active = await tx('lineage_classification_confirmations')
        .where({ dataset_id: row.datasetId, column_name: row.column })
        .whereNull('revoked_at')
        .first();
      if (active)
        return { confirmation: toConfirmation(active), created: false };
      await tx('lineage_classification_confirmations').insert({
        id: row.id,
        dataset_id: row.datasetId,
        column_name: row.column,
        derived: row.derived ?? null,
        reason: row.reason,
        confirmed_by: row.confirmedBy,
        confirmed_at: row.confirmedAt,
      });
      return { confirmation: row, created: true };
    });
  }

  /** Revokes an active confirmation; undefined when there is none by that id. */
  async revokeConfirmation(
    id: string,
    revoke: { by: string; at: string; reason?: string },
  ): Promise<ClassificationConfirmation | undefined> {
    return this.db.transaction(async tx => {
      const updated = await tx('lineage_classification_confirmations')
        .where({ id })
        .whereNull('revoked_at')
        .update({
          revoked_by: revoke.by,
          revoked_at: revoke.at,
          revoke_reason: revoke.reason ?? null,
        });
      if (!updated) return undefined;
      return toConfirmation(
        await tx('lineage_classification_confirmations').where({ id }).first(),
      );
    });
  }

  async confirmation(
    id: string,
  ): Promise<ClassificationConfirmation | undefined> {
    const r = await this.db('lineage_classification_confirmations')
      .where({ id })
      .first();
    return r ? toConfirmation(r) : undefined;
  }

  /** Every confirmation of a dataset's columns, revoked ones too (newest first). */
  async confirmations(
    datasetId: string,
  ): Promise<ClassificationConfirmation[]> {
    const rows = await this.db('lineage_classification_confirmations')
      .where({ dataset_id: datasetId })
      .orderBy('confirmed_at', 'desc');
    return rows.map(toConfirmation);
  }

  /** Active confirmations of the given (node, column) pairs. */
  async activeConfirmations(
    columns: Array<{ id: string; column: string }>,
  ): Promise<Map<string, ClassificationConfirmation>> {
    const out = new Map<string, ClassificationConfirmation>();
    for (const batch of chunks(columns, MAX_IDS_PER_QUERY / 2)) {
      const rows = await this.db('lineage_classification_confirmations')
        .whereIn(
          ['dataset_id', 'column_name'],
          batch.map(c => [c.id, c.column]),
        )
        .whereNull('revoked_at');
      for (const r of rows)
        out.set(`${r.dataset_id}\n${r.column_name}`, toConfirmation(r));
    }
    return out;
  }

  async overrides(datasetId: string): Promise<OverrideRow[]> {
    const rows = await this.db('lineage_classification_overrides').where({
      dataset_id: datasetId,
    });
    return rows.map(r => ({
      datasetId: r.dataset_id,
      column: r.column_name,
      derived: r.derived,
      declared: r.declared,
      derivedFrom: JSON.parse(r.derived_from),
      contractFile: r.contract_file ?? undefined,
      recordedAt: r.recorded_at,
    }));
  }
}

function toConfirmation(r: any): ClassificationConfirmation {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    column: r.column_name,
    derived: r.derived ?? undefined,
    reason: r.reason,
    confirmedBy: r.confirmed_by,
    confirmedAt: r.confirmed_at,
    revokedBy: r.revoked_by ?? undefined,
    revokedAt: r.revoked_at ?? undefined,
    revokeReason: r.revoke_reason ?? undefined,
  };
}

function toRunSummary(r: any): RunSummary {
  return {
    runId: r.run_id,
    state: r.state,
    stateTime: r.state_time,
    startedAt: r.started_at ?? undefined,
    endedAt: r.ended_at ?? undefined,
    errorMessage: r.error_message ?? undefined,
  };
}

function toColumnEdge(r: any): ColumnEdgeRow {
  return {
    sourceId: r.source_id,
    sourceColumn: r.source_column,
    targetId: r.target_id,
    targetColumn: r.target_column,
    jobId: r.job_id ?? undefined,
    transformationType: r.transformation_type ?? undefined,
    transformationSubtype: r.transformation_subtype ?? undefined,
    transformationDescription: r.transformation_description ?? undefined,
    masking: Boolean(r.masking),
  };
}

function mergeNodes(a: LineageNodeRow, b: LineageNodeRow): LineageNodeRow {
  const out: LineageNodeRow = { ...a };
  for (const [key, value] of Object.entries(b)) {
    if (value !== undefined && value !== null) (out as any)[key] = value;
  }
  return out;
}

/**
 * One row per key (an upsert may not touch a row twice), later rows merged
 * in, in key order (concurrent transactions lock rows in the same order).
 */
function dedupe<T>(
  rows: T[],
  key: (row: T) => string,
  merge: (a: T, b: T) => T = (_a, b) => b,
): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    const seen = byKey.get(k);
    byKey.set(k, seen ? merge(seen, row) : row);
  }
  return [...byKey.keys()].sort(byCodePoint).map(k => byKey.get(k)!);
}

function byCodePoint(a: string, b: string) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
