import {
  Classification,
  ClassificationConfirmation,
  ColumnClassification,
  isClassification,
  isSensitive,
  mostSensitive,
} from '@lakeport/plugin-lakehouse-common';
import { DatasetStore } from '../assets/DatasetStore';
import { ColumnEdgeRow, LineageStore } from './LineageStore';

/**
 * Whether classification flows through a column edge, and if not why. Only
 * explicit breakers stop it: a masking transformation or a job that
 * declares it removes classification (and, per column, a steward's
 * confirmation). An aggregate does not: MIN, MAX, FIRST, ANY_VALUE or
 * COLLECT_LIST return the values themselves, and OpenLineage's AGGREGATION
 * subtype does not say which function ran. Indirect use (a filter, join or
 * grouping key) copies no values into the column, so nothing flows.
 */
export function classificationBlocker(
  edge: ColumnEdgeRow,
  declassifyingJobs: Set<string>,
): string | undefined {
  if (edge.masking)
    return `masked (${
      edge.transformationDescription ||
      (edge.transformationSubtype ?? 'masking transformation').toLowerCase()
    })`;
  if (edge.transformationType === 'INDIRECT')
    return 'indirect use (filter, join or grouping key): values are not copied';
  if (edge.jobId && declassifyingJobs.has(edge.jobId))
    return 'the job declares that it removes classification';
  return undefined;
}

const confirmedReason = (c: ClassificationConfirmation) =>
  `a steward (${c.confirmedBy}) confirmed it is not sensitive: ${c.reason}`;

/**
 * The counting or summing aggregate the job's SQL computes a column with,
 * if any (`count(...) AS order_count`): grounds to propose, never to apply,
 * a steward's confirmation.
 */
export function countingAggregate(
  sql: string | null | undefined,
  column: string,
): string | undefined {
  if (!sql) return undefined;
  const name = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const call = String.raw`\b(count|sum|avg|approx_count_distinct)\s*\((?:[^()]|\([^()]*\))*\)`;
  const match = new RegExp(
    `${call}\\s+(?:as\\s+)?[\`"]?${name}[\`"]?(?![\\w])`,
    'i',
  ).exec(sql);
  return match?.[1].toLowerCase();
}

/**
 * Classification of each column of a dataset: declared by its contract,
 * derived along column lineage (sensitive classifications flow through
 * direct copies, transformations and aggregations; not through masking,
 * indirect use, jobs that declare they remove it, or a column a steward
 * confirmed is not sensitive).
 */
export async function classifyColumns(
  deps: { store: LineageStore; datasets: DatasetStore },
  datasetId: string,
): Promise<ColumnClassification[]> {
  const key = (id: string, column: string) => `${id}\n${column}`;
  const [rows, declaredById] = await Promise.all([
    deps.store.nodes([datasetId]),
    deps.datasets.columnClassifications([datasetId]),
  ]);
  const declared = declaredById.get(datasetId) ?? new Map();
  const columns = new Set<string>([
    ...declared.keys(),
    ...(rows.get(datasetId)?.fields ?? []).map(f => f.name),
  ]);
  const upstream = await deps.store.columnEdgesOfNodes([datasetId], 'upstream');
  upstream.forEach(e => columns.add(e.targetColumn));
  const ownConfirmations = await deps.store.activeConfirmations(
    [...columns].map(column => ({ id: datasetId, column })),
  );

  // Walk upstream from every column at once; each (node, column) once.
  type Trail = {
    origin: string;
    via: string[];
    blocked?: { job?: string; reason: string };
  };
  const seen = new Set<string>();
  let frontier = [...columns].map(c => ({
    id: datasetId,
    column: c,
    trail: { origin: c, via: [] } as Trail,
  }));
  frontier.forEach(f => seen.add(`${key(f.id, f.column)}\n${f.column}`));
  const reached: Array<{ id: string; column: string; trail: Trail }> = [];
  const jobDeclassifies = new Map<string, boolean>();
  for (let depth = 0; depth < 50 && frontier.length; depth++) {
    // The first step's edges and confirmations are the ones read above;
    // later steps query each (node, column) once, however many origins
    // reach it.
    const distinct = [
      ...new Map(frontier.map(f => [key(f.id, f.column), f])).values(),
    ];
    const edges =
      depth === 0
        ? upstream
        : await deps.store.columnEdgesFrom(distinct, 'upstream');
    const unknownJobs = [
      ...new Set(edges.map(e => e.jobId).filter(Boolean)),
    ].filter(j => !jobDeclassifies.has(j!)) as string[];
    if (unknownJobs.length) {
      const jobRows = await deps.store.nodes(unknownJobs);
      unknownJobs.forEach(j =>
        jobDeclassifies.set(j, Boolean(jobRows.get(j)?.declassifies)),
      );
    }
    const declassifying = new Set(
      [...jobDeclassifies.entries()].filter(([, d]) => d).map(([j]) => j),
    );
    // A steward's confirmation on a column stops what flows into it.
    const confirmed =
      depth === 0
        ? ownConfirmations
        : await deps.store.activeConfirmations(distinct);
    const into = new Map<string, ColumnEdgeRow[]>();
    for (const e of edges) {
      const k = key(e.targetId, e.targetColumn);
      into.set(k, [...(into.get(k) ?? []), e]);
    }
    const next: typeof frontier = [];
    for (const f of frontier) {
      for (const e of into.get(key(f.id, f.column)) ?? []) {
        const k = `${key(e.sourceId, e.sourceColumn)}\n${f.trail.origin}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const confirmation = confirmed.get(key(f.id, f.column));
        let reason: string | undefined;
        if (!f.trail.blocked) {
          reason = confirmation
            ? confirmedReason(confirmation)
            : classificationBlocker(e, declassifying);
        }
        const trail: Trail = {
          origin: f.trail.origin,
          via: [...f.trail.via, ...(e.jobId ? [e.jobId] : [])],
          blocked:
            f.trail.blocked ??
            (reason
              ? { job: confirmation ? undefined : e.jobId, reason }
              : undefined),
        };
        const item = { id: e.sourceId, column: e.sourceColumn, trail };
        reached.push(item);
        next.push(item);
      }
    }
    frontier = next;
  }
  const sourceDeclared = await deps.datasets.columnClassifications([
    ...new Set(reached.map(r => r.id)),
  ]);
  const overrides = new Map(
    (await deps.store.overrides(datasetId)).map(o => [o.column, o]),
  );
  // SQL of the jobs that aggregate into this dataset's columns (proposals).
  const aggregating = upstream.filter(
    e => e.transformationSubtype === 'AGGREGATION' && !e.masking && e.jobId,
  );
  const jobSql = await deps.store.nodes([
    ...new Set(aggregating.map(e => e.jobId!)),
  ]);
  return [...columns].sort().map(column => {
    const sources: ColumnClassification['sources'] = [];
    const removedBy: ColumnClassification['removedBy'] = [];
    for (const r of reached.filter(x => x.trail.origin === column)) {
      const c = sourceDeclared.get(r.id)?.get(r.column);
      if (!isClassification(c) || !isSensitive(c)) continue;
      if (r.trail.blocked) {
        removedBy.push({
          node: r.id,
          column: r.column,
          classification: c,
          job: r.trail.blocked.job,
          reason: r.trail.blocked.reason,
        });
      } else {
        sources.push({
          node: r.id,
          column: r.column,
          classification: c,
          via: r.trail.via,
        });
      }
    }
    // Report the nearest columns only: further up the same path is implied.
    const nearest = sources.filter(
      s => !sources.some(o => o !== s && isPrefix(o.via, s.via)),
    );
    sources.splice(0, sources.length, ...nearest);
    const firstPerJob = removedBy.filter(
      (r, i) => removedBy.findIndex(o => o.job === r.job) === i,
    );
    removedBy.splice(0, removedBy.length, ...firstPerJob);
    const derived = mostSensitive(sources.map(s => s.classification));
    const own = declared.get(column);
    const declaredClass = isClassification(own)
      ? (own as Classification)
      : undefined;
    let status: ColumnClassification['status'] = 'none';
    if (declaredClass && derived)
      status = declaredClass === derived ? 'confirmed' : 'overridden';
    else if (derived) status = 'derived';
    else if (declaredClass) status = 'declared';
    const override = overrides.get(column);
    const proposal = derived
      ? (aggregating
          .filter(e => e.targetColumn === column)
          .map(e => ({
            job: e.jobId!,
            aggregate: countingAggregate(jobSql.get(e.jobId!)?.sql, column),
          }))
          .find(p => p.aggregate) as
          | { job: string; aggregate: string }
          | undefined)
      : undefined;
    return {
      confirmation: ownConfirmations.get(key(datasetId, column)),
      proposal,
      column,
      declared: declaredClass,
      derived,
      status,
      sources,
      removedBy,
      override:
        status === 'overridden' && override
          ? {
              recordedAt: override.recordedAt,
              contractFile: override.contractFile,
            }
          : undefined,
    };
  });
}

/** Whether `a` is a strict prefix of `b`. */
function isPrefix(a: string[], b: string[]) {
  return a.length < b.length && a.every((x, i) => x === b[i]);
}
