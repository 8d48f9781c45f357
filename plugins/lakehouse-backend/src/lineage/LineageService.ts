import { PortalMetrics } from '../observability/PortalMetrics';
import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  AssetKind,
  Classification,
  ClassificationConfirmation,
  ClassificationsResponse,
  ColumnClassification,
  ColumnLineageEdge,
  ColumnLineageResponse,
  DatasetSummary,
  ImpactResponse,
  lakehouseClassificationConfirmPermission,
  lakehouseDatasetReadPermission,
  lakehouseLineageWritePermission,
  LineageDirection,
  LineageGraphResponse,
  LineageIngestResult,
  LineageNode,
  parseAssetId,
} from '@lakeport/plugin-lakehouse-common';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { DatasetStore } from '../assets/DatasetStore';
import { datasetRules } from '../permissions/datasetRules';
import { classifyColumns } from './classifyColumns';
import { DatasetMatcher } from './DatasetMatcher';
import { IngestBatcher } from './IngestBatcher';
import { checkManifest, manifestToEvents } from './dbtManifest';
import { LineageNodeRow, LineageStore } from './LineageStore';
import { OLEvent } from './openLineageTypes';
import { validateOpenLineageEvent } from './openLineageSchema';
import { toLineageWrite } from './toLineageWrite';

/** Nodes a graph answer holds at most; past it the answer is truncated. */
export const DEFAULT_NODE_LIMIT = 500;
export const MAX_NODE_LIMIT = 5000;
const IMPACT_LIMIT = 10_000;
const IMPACT_DEPTH = 50;

type Side = 'upstream' | 'downstream';

const canRead = createConditionAuthorizer(Object.values(datasetRules));

/** Lineage logic over the store: ingestion, traversals, classification. */
export class LineageService {
  readonly matcher: DatasetMatcher;
  private readonly batcher: IngestBatcher;

  constructor(
    private readonly deps: {
      store: LineageStore;
      datasets: DatasetStore;
      permissions: PermissionsService;
      auditor?: AuditorService;
      logger: LoggerService;
      metrics?: PortalMetrics;
      /** Which assets templates planned (flagged until they are real). */
      planned?: {
        plannedIds(ids: string[]): Promise<Set<string>>;
        plannedEdges(
          ids: string[],
          direction: Side,
        ): Promise<
          Array<{ sourceId: string; targetId: string; jobId: string }>
        >;
      };
    },
  ) {
    this.matcher = new DatasetMatcher(() => deps.datasets.identities());
    this.batcher = new IngestBatcher(deps.store);
  }

  private outputsCompleted?: (datasetIds: string[]) => Promise<void>;

  /** Called when a run COMPLETEs with the catalog datasets it wrote (quality runs). */
  onOutputsCompleted(listener: (datasetIds: string[]) => Promise<void>) {
    this.outputsCompleted = listener;
  }

  async authorizeWrite(credentials: BackstageCredentials) {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: lakehouseLineageWritePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${lakehouseLineageWritePermission.name}`,
      );
    }
  }

  /** Validates and applies one OpenLineage event in one transaction. */
  async ingest(body: unknown): Promise<LineageIngestResult> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result = await this.ingestOne(body);
      this.deps.metrics?.lineageEvent(result.status, seconds());
      return result;
    } catch (e) {
      this.deps.metrics?.lineageEvent(
        e instanceof InputError ? 'rejected' : 'failed',
        seconds(),
      );
      throw e;
    }
  }

  private async ingestOne(body: unknown): Promise<LineageIngestResult> {
    const validation = validateOpenLineageEvent(body);
    if ('error' in validation) throw new InputError(validation.error);
    await this.matcher.refresh();
    const event = validation.interpreted as unknown as OLEvent;
    const write = toLineageWrite(
      event,
      validation.kind,
      this.matcher,
      body,
      validation.problems,
    );
    const applied = await this.batcher.submit(write);
    if (applied && event.eventType === 'COMPLETE') {
      const written = write.edges
        .filter(
          e =>
            e.sourceId.startsWith('job:') &&
            this.matcher.isCatalogDataset(e.targetId),
        )
        .map(e => e.targetId);
      if (written.length) {
        this.outputsCompleted?.([...new Set(written)]).catch(e =>
          this.deps.logger.warn(`Could not queue quality checks: ${e}`),
        );
      }
    }
    const problems = validation.problems.map(p => p.message);
    return {
      status: applied ? 'accepted' : 'duplicate',
      ...(problems.length ? { problems } : {}),
    };
  }

  /** Ingests a JSON array of events from a file (the sample lineage). */
  async loadEventsFile(file: string): Promise<void> {
    try {
      const events = JSON.parse(await fs.readFile(file, 'utf8'));
      let accepted = 0;
      for (const event of events) {
        if ((await this.ingest(event)).status === 'accepted') accepted++;
      }
      this.deps.logger.info(
        `Lineage from ${file}: ${accepted} of ${events.length} events new`,
      );
    } catch (e) {
      this.deps.logger.warn(`Lineage not loaded from ${file}: ${e}`);
    }
  }

  /** Imports a dbt manifest as jobs and edges, all in one transaction. */
  async importDbt(
    body: unknown,
  ): Promise<{ jobs: number; datasets: number; edges: number }> {
    const manifest = checkManifest(body);
    await this.matcher.refresh();
    const writes = manifestToEvents(manifest).map(event => {
      const validation = validateOpenLineageEvent(event);
      if ('error' in validation)
        throw new InputError(`dbt manifest: ${validation.error}`);
      return toLineageWrite(
        validation.interpreted as unknown as OLEvent,
        validation.kind,
        this.matcher,
      );
    });
    const merged = {
      nodes: writes.flatMap(w => w.nodes),
      aliases: writes.flatMap(w => w.aliases),
      edges: writes.flatMap(w => w.edges),
      columnEdges: writes.flatMap(w => w.columnEdges),
    };
    await this.deps.store.applyGraph(merged);
    const ids = new Set(merged.nodes.map(n => n.id));
    return {
      jobs: [...ids].filter(id => id.startsWith('job:')).length,
      datasets: [...ids].filter(id => id.startsWith('dataset:')).length,
      edges: new Set(merged.edges.map(e => `${e.sourceId}\n${e.targetId}`))
        .size,
    };
  }

  async run(runId: string, credentials: BackstageCredentials) {
    const decision = await this.readDecision(credentials);
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `Not allowed: ${lakehouseDatasetReadPermission.name}`,
      );
    }
    const run = await this.deps.store.run(runId);
    if (!run) throw new NotFoundError(`No run ${runId}`);
    return run;
  }

  private async readDecision(credentials: BackstageCredentials) {
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission: lakehouseDatasetReadPermission }],
      { credentials },
    );
    return decision;
  }

  private readable(decision: PolicyDecision, dataset?: DatasetSummary) {
    if (decision.result === AuthorizeResult.ALLOW) return true;
    if (decision.result === AuthorizeResult.DENY) return false;
    // Lineage-only datasets (not in the catalog) carry no rule attributes.
    return dataset ? canRead(decision, dataset) : true;
  }

  /** Resolves a node parameter (an asset id or an alias of one). */
  private async root(
    node: string,
    decision: PolicyDecision,
    /** A catalog dataset no lineage mentions yet still answers (classifications: declared only). */
    orCatalogDataset = false,
  ): Promise<{ id: string; kind: AssetKind }> {
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `Not allowed: ${lakehouseDatasetReadPermission.name}`,
      );
    }
    let kind: AssetKind;
    try {
      kind = parseAssetId(node).kind;
    } catch (e) {
      throw new InputError(`Query parameter node: ${(e as Error).message}`);
    }
    const id = await this.deps.store.resolve(node);
    let inCatalog = false;
    if (kind === 'dataset') {
      const summary = (await this.deps.datasets.summaries([id])).get(id);
      if (!this.readable(decision, summary)) {
        throw new NotAllowedError(
          `Not allowed: ${lakehouseDatasetReadPermission.name}`,
        );
      }
      inCatalog = summary !== undefined;
    }
    if (
      !(orCatalogDataset && inCatalog) &&
      !(await this.deps.store.hasNode(id))
    ) {
      throw new NotFoundError(`No lineage recorded for ${node}`);
    }
    return { id, kind };
  }

  /**
   * Breadth-first over table-level edges: each node once, at most `steps`
   * edges from the root, at most `limit` nodes in all.
   */
  private async traverse(
    roots: string[],
    side: Side,
    steps: number,
    limit: number,
    visited: Map<string, { depth: number; side: LineageNode['side'] }>,
    edges: Map<string, { source: string; target: string }>,
    jobs?: { unfinished: Set<string>; hide: boolean },
  ): Promise<boolean> {
    let frontier = roots;
    let truncated = false;
    for (let step = 1; step <= steps && frontier.length; step++) {
      const next: string[] = [];
      const found = await this.edgesFrom(frontier, side);
      if (jobs) {
        const neighbours = found.map(e =>
          side === 'upstream' ? e.sourceId : e.targetId,
        );
        for (const job of await this.unfinishedJobs(neighbours))
          jobs.unfinished.add(job);
      }
      for (const edge of found) {
        const neighbour = side === 'upstream' ? edge.sourceId : edge.targetId;
        if (jobs?.hide && jobs.unfinished.has(neighbour)) continue;
        if (!visited.has(neighbour)) {
          if (visited.size >= limit) {
            truncated = true;
            continue;
          }
          visited.set(neighbour, { depth: Math.ceil(step / 2), side });
          next.push(neighbour);
        }
        edges.set(`${edge.sourceId}\n${edge.targetId}`, {
          source: edge.sourceId,
          target: edge.targetId,
        });
      }
      frontier = next;
    }
    return truncated;
  }

  /**
   * Reported edges, and the planned ones of pipelines whose job has not
   * reported a run yet (a template planned it; its first run replaces them).
   */
  private async edgesFrom(
    ids: string[],
    side: Side,
  ): Promise<Array<{ sourceId: string; targetId: string }>> {
    const [reported, planned] = await Promise.all([
      this.deps.store.edgesFrom(ids, side),
      this.deps.planned?.plannedEdges(ids, side) ?? [],
    ]);
    if (!planned.length) return reported;
    const ran = await this.deps.store.latestRuns([
      ...new Set(planned.map(e => e.jobId)),
    ]);
    return [
      ...reported,
      ...planned
        .filter(e => !ran.has(e.jobId))
        .map(({ sourceId, targetId }) => ({ sourceId, targetId })),
    ];
  }

  /**
   * Jobs among `ids` that never completed (or failed) and never wrote
   * anything: Spark's START-only schema reads, runs still going on.
   */
  private async unfinishedJobs(ids: string[]): Promise<string[]> {
    const jobs = [...new Set(ids.filter(id => id.startsWith('job:')))];
    if (!jobs.length) return [];
    const [finished, writes] = await Promise.all([
      this.deps.store.finishedJobs(jobs),
      this.edgesFrom(jobs, 'downstream'),
    ]);
    const writers = new Set(writes.map(e => e.sourceId));
    return jobs.filter(j => !finished.has(j) && !writers.has(j));
  }

  async graph(
    query: {
      node: string;
      direction: LineageDirection;
      depth: number;
      limit?: number;
      /** Show jobs that never completed and wrote nothing (hidden by default). */
      unfinished?: boolean;
      /** Child jobs (OpenLineage `parent`) drawn under their parent (default). */
      groupByParent?: boolean;
    },
    credentials: BackstageCredentials,
  ): Promise<LineageGraphResponse> {
    const decision = await this.readDecision(credentials);
    const root = await this.root(query.node, decision);
    const group = query.groupByParent !== false;
    const limit = query.limit ?? DEFAULT_NODE_LIMIT;
    // Depth counts dataset hops: from a job, its datasets are one hop away.
    const steps = query.depth * 2 - (root.kind === 'job' ? 1 : 0);
    const visited = new Map<
      string,
      { depth: number; side: LineageNode['side'] }
    >([[root.id, { depth: 0, side: 'root' }]]);
    const edges = new Map<string, { source: string; target: string }>();
    // A parent job (a Spark application) has no edges of its own: its
    // lineage is that of its child jobs.
    const children =
      root.kind === 'job'
        ? await this.deps.store.childJobs([root.id])
        : new Map<string, string>();
    const starts = [root.id, ...children.keys()];
    // Jobs that never finished, found on the way: hidden unless asked for,
    // flagged when shown.
    const jobs = {
      unfinished: new Set(await this.unfinishedJobs(starts)),
      hide: !query.unfinished,
    };
    let truncated = false;
    for (const side of ['upstream', 'downstream'] as const) {
      if (query.direction === side || query.direction === 'both') {
        truncated =
          (await this.traverse(
            starts,
            side,
            steps,
            limit,
            visited,
            edges,
            jobs,
          )) || truncated;
      }
    }
    const hiddenUnfinished = jobs.hide
      ? [...jobs.unfinished].filter(j => !visited.has(j)).length
      : 0;
    children.forEach((_, child) => visited.delete(child));
    let nodes = await this.describe(visited, decision, jobs.unfinished);
    let liveEdges = [...edges.values()]
      .map(e => ({
        source: children.has(e.source) ? root.id : e.source,
        target: children.has(e.target) ? root.id : e.target,
      }))
      .filter(e => visited.has(e.source) && visited.has(e.target));
    if (group)
      ({ nodes, edges: liveEdges } = groupUnderParents(nodes, liveEdges));
    return {
      root: root.id,
      direction: query.direction,
      depth: query.depth,
      ...this.redact(nodes, liveEdges),
      truncated,
      hiddenUnfinished,
    };
  }

  /** Restricted datasets keep their place in the graph, not their names. */
  private redact(
    nodes: LineageNode[],
    edges: Array<{ source: string; target: string }>,
  ) {
    const rename = new Map<string, string>();
    nodes.forEach(n => {
      if (n.restricted) rename.set(n.id, `restricted:${rename.size + 1}`);
    });
    const id = (x: string) => rename.get(x) ?? x;
    return {
      nodes: nodes.map(n => (n.restricted ? { ...n, id: id(n.id) } : n)),
      edges: edges.map(e => ({ source: id(e.source), target: id(e.target) })),
    };
  }

  /** Nodes as the API shows them; `unfinished` jobs are flagged. */
  private async describe(
    visited: Map<string, { depth: number; side: LineageNode['side'] }>,
    decision: PolicyDecision,
    unfinished?: Set<string>,
  ): Promise<LineageNode[]> {
    const ids = [...visited.keys()];
    const [rows, catalog, runs, planned] = await Promise.all([
      this.deps.store.nodes(ids),
      this.deps.datasets.summaries(ids.filter(id => id.startsWith('dataset:'))),
      this.deps.store.latestRuns(ids.filter(id => id.startsWith('job:'))),
      this.deps.planned?.plannedIds(ids) ?? new Set<string>(),
    ]);
    const stillPlanned = (id: string) =>
      planned.has(id) &&
      (id.startsWith('job:') ? !runs.has(id) : !catalog.has(id));
    const parentIds = [
      ...new Set(
        [...rows.values()].map(r => r.parentId).filter(Boolean) as string[],
      ),
    ];
    const [parents, parentRuns] = await Promise.all([
      this.deps.store.nodes(parentIds),
      this.deps.store.latestRuns(parentIds),
    ]);
    return ids.map(id => {
      const place = visited.get(id)!;
      const row = rows.get(id) ?? fallbackRow(id);
      const summary = catalog.get(id);
      if (row.kind === 'dataset' && !this.readable(decision, summary)) {
        return {
          id,
          kind: 'dataset',
          namespace: '',
          name: 'Restricted dataset',
          owners: [],
          depth: place.depth,
          side: place.side,
          restricted: true,
        };
      }
      return {
        id,
        kind: row.kind,
        namespace: row.namespace,
        name: row.name,
        title:
          summary?.title ??
          (row.parentId
            ? childTitle(
                row.name,
                parents.get(row.parentId)?.name ??
                  parseAssetId(row.parentId).name,
              )
            : undefined),
        description: summary?.description ?? row.description ?? undefined,
        owner: summary?.owner ?? row.owners?.[0],
        owners: row.owners ?? (summary?.owner ? [summary.owner] : []),
        classification: summary?.classification,
        entityRef: summary?.entityRef,
        depth: place.depth,
        side: place.side,
        fields: row.fields ?? undefined,
        latestRun: runs.get(id),
        sql: row.sql ?? undefined,
        sourceCode: row.sourceCode ?? undefined,
        ...(row.kind === 'job' && unfinished?.has(id)
          ? { unfinished: true }
          : {}),
        ...(stillPlanned(id) ? { planned: true } : {}),
        ...(row.parentId
          ? {
              parent: {
                id: row.parentId,
                name:
                  parents.get(row.parentId)?.name ??
                  parseAssetId(row.parentId).name,
                latestRun: parentRuns.get(row.parentId),
              },
            }
          : {}),
      };
    });
  }

  async impact(
    node: string,
    credentials: BackstageCredentials,
  ): Promise<ImpactResponse> {
    const decision = await this.readDecision(credentials);
    const root = await this.root(node, decision);
    const visited = new Map<
      string,
      { depth: number; side: LineageNode['side'] }
    >([[root.id, { depth: 0, side: 'root' }]]);
    const truncated = await this.traverse(
      [root.id],
      'downstream',
      IMPACT_DEPTH * 2,
      IMPACT_LIMIT,
      visited,
      new Map(),
    );
    visited.delete(root.id);
    const nodes = this.redact(await this.describe(visited, decision), []).nodes;
    const items = nodes
      .map(n => ({
        id: n.id,
        kind: n.kind,
        name: n.name,
        title: n.title,
        owner: n.owner,
        owners: n.owners,
        entityRef: n.entityRef,
        distance: n.depth,
        restricted: n.restricted,
      }))
      .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
    const counts = new Map<string, number>();
    for (const item of items) {
      for (const owner of item.owner ? [item.owner] : item.owners) {
        counts.set(owner, (counts.get(owner) ?? 0) + 1);
      }
    }
    return {
      root: root.id,
      items,
      owners: [...counts.entries()]
        .map(([owner, count]) => ({ owner, count }))
        .sort((a, b) => b.count - a.count || a.owner.localeCompare(b.owner)),
      truncated,
    };
  }

  async columns(
    query: {
      node: string;
      column?: string;
      direction: LineageDirection;
      depth: number;
      limit?: number;
    },
    credentials: BackstageCredentials,
  ): Promise<ColumnLineageResponse> {
    const decision = await this.readDecision(credentials);
    const root = await this.root(query.node, decision);
    if (root.kind !== 'dataset') {
      throw new InputError('Column lineage starts at a dataset, not a job');
    }
    const limit = query.limit ?? DEFAULT_NODE_LIMIT * 4;
    const key = (id: string, column: string) => `${id}\n${column}`;
    const visited = new Set<string>();
    const edges = new Map<string, ColumnLineageEdge>();
    let truncated = false;
    for (const side of ['upstream', 'downstream'] as const) {
      if (query.direction !== side && query.direction !== 'both') continue;
      let frontier: Array<{ id: string; column: string }> = [];
      let found = query.column
        ? [{ id: root.id, column: query.column }]
        : undefined;
      if (!found) {
        found = (await this.deps.store.columnEdgesOfNodes([root.id], side)).map(
          e =>
            side === 'upstream'
              ? { id: e.targetId, column: e.targetColumn }
              : { id: e.sourceId, column: e.sourceColumn },
        );
      }
      for (const c of found) {
        visited.add(key(c.id, c.column));
        frontier.push(c);
      }
      for (let depth = 1; depth <= query.depth && frontier.length; depth++) {
        const next: Array<{ id: string; column: string }> = [];
        for (const e of await this.deps.store.columnEdgesFrom(frontier, side)) {
          const neighbour =
            side === 'upstream'
              ? { id: e.sourceId, column: e.sourceColumn }
              : { id: e.targetId, column: e.targetColumn };
          const k = key(neighbour.id, neighbour.column);
          if (!visited.has(k)) {
            if (visited.size >= limit) {
              truncated = true;
              continue;
            }
            visited.add(k);
            next.push(neighbour);
          }
          edges.set(
            key(
              key(e.sourceId, e.sourceColumn),
              key(e.targetId, e.targetColumn),
            ),
            {
              source: { node: e.sourceId, column: e.sourceColumn },
              target: { node: e.targetId, column: e.targetColumn },
              job: e.jobId,
              transformation: {
                type: e.transformationType,
                subtype: e.transformationSubtype,
                description: e.transformationDescription,
                masking: e.masking,
              },
            },
          );
        }
        frontier = next;
      }
    }
    const columnsByNode = new Map<string, Set<string>>([[root.id, new Set()]]);
    for (const k of visited) {
      const [id, column] = k.split('\n');
      if (!columnsByNode.has(id)) columnsByNode.set(id, new Set());
      columnsByNode.get(id)!.add(column);
    }
    const ids = [...columnsByNode.keys()];
    const [rows, catalog] = await Promise.all([
      this.deps.store.nodes(ids),
      this.deps.datasets.summaries(ids),
    ]);
    const hidden = new Set(
      ids.filter(id => !this.readable(decision, catalog.get(id))),
    );
    const liveEdges = [...edges.values()].filter(
      e => !hidden.has(e.source.node) && !hidden.has(e.target.node),
    );
    return {
      root: root.id,
      column: query.column,
      direction: query.direction,
      depth: query.depth,
      nodes: ids
        .filter(id => !hidden.has(id))
        .map(id => ({
          id,
          name: rows.get(id)?.name ?? parseAssetId(id).name,
          title: catalog.get(id)?.title,
          entityRef: catalog.get(id)?.entityRef,
          columns: [...columnsByNode.get(id)!].sort(),
        })),
      edges: liveEdges,
      truncated: truncated || hidden.size > 0,
    };
  }

  /**
   * Classification of each column of a dataset: declared by its contract,
   * derived along column lineage (sensitive classifications flow through
   * direct copies and transformations, not through masking, aggregation,
   * indirect use or jobs that declare they remove it).
   */
  async classifications(
    node: string,
    credentials: BackstageCredentials,
  ): Promise<ClassificationsResponse> {
    const id = await this.readableDataset(node, credentials, 'node');
    return { node: id, columns: await this.classify(id) };
  }

  /** Derived classifications of columns the contract does not classify. */
  async derivedClassifications(
    datasetId: string,
  ): Promise<Map<string, Classification>> {
    const columns = await this.classify(datasetId);
    return new Map(
      columns
        .filter(c => c.status === 'derived' && c.derived)
        .map(c => [c.column, c.derived!]),
    );
  }

  /**
   * A steward confirms that a column lineage derives as sensitive is not
   * (an explicit breaker: what flows into the column stops there). Kept as
   * a row (shown on the Schema tab) and sent to the auditor.
   */
  async confirmNotSensitive(
    input: { datasetId: string; column: string; reason: string },
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<ClassificationConfirmation> {
    await this.authorizeConfirm(credentials);
    const datasetId = await this.readableDataset(input.datasetId, credentials);
    const column = (await this.classify(datasetId)).find(
      c => c.column === input.column,
    );
    if (!column) {
      throw new InputError(
        `column: ${datasetId} has no column "${input.column}"`,
      );
    }
    if (!column.derived) {
      throw new InputError(
        `column: ${input.column} of ${datasetId} carries no derived classification to confirm`,
      );
    }
    const { confirmation, created } = await this.deps.store.addConfirmation({
      id: randomUUID(),
      datasetId,
      column: input.column,
      derived: column.derived,
      reason: input.reason,
      confirmedBy: credentials.principal.userEntityRef,
      confirmedAt: new Date().toISOString(),
    });
    if (created) await this.auditConfirmation('confirmed', confirmation);
    return confirmation;
  }

  /** Revokes a confirmation: the derived classification applies again. */
  async revokeConfirmation(
    id: string,
    reason: string | undefined,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<ClassificationConfirmation> {
    await this.authorizeConfirm(credentials);
    const existing = await this.deps.store.confirmation(id);
    if (!existing) throw new NotFoundError(`No confirmation ${id}`);
    const revoked = await this.deps.store.revokeConfirmation(id, {
      by: credentials.principal.userEntityRef,
      at: new Date().toISOString(),
      reason,
    });
    if (!revoked)
      throw new ConflictError(`Confirmation ${id} is already revoked`);
    await this.auditConfirmation('revoked', revoked);
    return revoked;
  }

  /** Confirmations of a dataset's columns, revoked ones too (history). */
  async confirmations(
    datasetId: string,
    credentials: BackstageCredentials,
  ): Promise<ClassificationConfirmation[]> {
    const id = await this.readableDataset(datasetId, credentials);
    return this.deps.store.confirmations(id);
  }

  private async authorizeConfirm(credentials: BackstageCredentials) {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: lakehouseClassificationConfirmPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${lakehouseClassificationConfirmPermission.name}`,
      );
    }
  }

  /** The dataset a request names in `param`, if the caller may read it. */
  private async readableDataset(
    datasetId: string,
    credentials: BackstageCredentials,
    param = 'datasetId',
  ): Promise<string> {
    const root = await this.root(
      datasetId,
      await this.readDecision(credentials),
      true,
    );
    if (root.kind !== 'dataset') {
      throw new InputError(
        `${param}: classifications belong to datasets, not jobs`,
      );
    }
    return root.id;
  }

  private async auditConfirmation(
    action: 'confirmed' | 'revoked',
    c: ClassificationConfirmation,
  ) {
    try {
      const event = await this.deps.auditor?.createEvent({
        eventId: `classification-confirmation-${action}`,
        severityLevel: 'high',
        meta: { ...c },
      });
      await event?.success();
    } catch (e) {
      this.deps.logger.warn(`Could not send classification audit event: ${e}`);
    }
  }

  private classify(datasetId: string): Promise<ColumnClassification[]> {
    return classifyColumns(this.deps, datasetId);
  }

  /**
   * Lineage that reached the portal before the catalog knew the table (a
   * job writes a new table; the next sync finds it) joins the catalog
   * dataset: nodes known by a storage path that now matches a catalog
   * table are moved onto it. Runs after each lakehouse sync.
   */
  async adoptCatalogDatasets(): Promise<number> {
    await this.matcher.refresh();
    const candidates = await this.deps.store.pathDatasets(
      this.matcher.catalogIds(),
    );
    let adopted = 0;
    for (const node of candidates) {
      const { id } = this.matcher.match(node);
      if (id === node.id || !this.matcher.isCatalogDataset(id)) continue;
      await this.deps.store.rekeyDataset(node.id, id);
      adopted++;
    }
    return adopted;
  }

  /**
   * Records contract overrides of derived classifications (once each) and
   * sends them to the auditor. Runs after each lakehouse sync.
   */
  async auditOverrides() {
    let recorded = 0;
    // The matcher already holds the catalog's dataset ids.
    await this.matcher.refresh();
    const derived = await this.deps.store.datasetsWithColumnLineage();
    for (const id of derived.filter(d => this.matcher.isCatalogDataset(d))) {
      for (const c of await this.classify(id)) {
        if (c.status !== 'overridden') continue;
        const contractFile = (await this.deps.datasets.get(id))?.contract?.file;
        const isNew = await this.deps.store.recordOverride({
          datasetId: id,
          column: c.column,
          derived: c.derived!,
          declared: c.declared!,
          derivedFrom: c.sources,
          contractFile,
          recordedAt: new Date().toISOString(),
        });
        if (!isNew) continue;
        recorded++;
        const event = await this.deps.auditor?.createEvent({
          eventId: 'classification-override',
          severityLevel: 'medium',
          meta: {
            datasetId: id,
            column: c.column,
            derived: c.derived,
            declared: c.declared,
            contractFile,
          },
        });
        await event?.success();
      }
    }
    return recorded;
  }
}

function fallbackRow(id: string): LineageNodeRow {
  const ref = parseAssetId(id);
  return { id, kind: ref.kind, namespace: ref.namespace, name: ref.name };
}

/**
 * Child jobs drawn as their parent (what a person calls the job: the Spark
 * application, not each of its actions): one node per parent with the
 * children listed on it, their edges moved onto it.
 */
export function groupUnderParents(
  nodes: LineageNode[],
  edges: Array<{ source: string; target: string }>,
): { nodes: LineageNode[]; edges: Array<{ source: string; target: string }> } {
  const into = new Map<string, string>();
  const groups = new Map<string, LineageNode>();
  for (const n of nodes) {
    if (n.kind !== 'job' || !n.parent || n.side === 'root') continue;
    into.set(n.id, n.parent.id);
    const child = {
      id: n.id,
      name: n.name,
      title: childTitle(n.name, n.parent.name),
      latestRun: n.latestRun,
      unfinished: n.unfinished,
    };
    const group = groups.get(n.parent.id);
    if (group) {
      group.children!.push(child);
      group.depth = Math.min(group.depth, n.depth);
      group.unfinished = group.unfinished && n.unfinished;
      continue;
    }
    groups.set(n.parent.id, {
      id: n.parent.id,
      kind: 'job',
      namespace: parseAssetId(n.parent.id).namespace,
      name: n.parent.name,
      owners: n.owners,
      depth: n.depth,
      side: n.side,
      latestRun: n.parent.latestRun ?? n.latestRun,
      unfinished: n.unfinished,
      children: [child],
    });
  }
  if (!groups.size) return { nodes, edges };
  const keep = nodes.filter(n => !into.has(n.id) && !groups.has(n.id));
  const merged = new Map<string, { source: string; target: string }>();
  for (const e of edges) {
    const source = into.get(e.source) ?? e.source;
    const target = into.get(e.target) ?? e.target;
    merged.set(`${source}\n${target}`, { source, target });
  }
  for (const g of groups.values()) {
    if (!g.unfinished) delete g.unfinished;
    g.children!.sort((a, b) => a.name.localeCompare(b.name));
  }
  return { nodes: [...keep, ...groups.values()], edges: [...merged.values()] };
}

/**
 * A readable name for a child job: Spark names actions
 * `<app>.<plan node>.<output path with _>`; the app is shown already.
 */
export function childTitle(name: string, parentName: string): string {
  const own = name.startsWith(`${parentName}.`)
    ? name.slice(parentName.length + 1)
    : name;
  const [node, ...rest] = own.split('.');
  const target = rest.join('.');
  const action = node.replace(/_/g, ' ');
  return target ? `${action} → ${target}` : action;
}
