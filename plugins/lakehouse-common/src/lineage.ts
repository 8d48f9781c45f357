import { AssetKind } from './assetId';
import { Classification } from './classification';

/** @public */
export const LINEAGE_DIRECTIONS = ['upstream', 'downstream', 'both'] as const;

/** @public */
export type LineageDirection = (typeof LINEAGE_DIRECTIONS)[number];

/** Latest run of a job. @public */
export interface LineageRun {
  runId: string;
  /** OpenLineage event type of its latest state: START, RUNNING, COMPLETE, FAIL, ABORT. */
  state: string;
  stateTime: string;
  startedAt?: string;
  endedAt?: string;
  errorMessage?: string;
  /** Facets of the run's events that were received but not interpreted. */
  problems?: string[];
}

/** A dataset or job in a lineage graph. @public */
export interface LineageNode {
  /** Asset id; `restricted:<n>` for a dataset the caller may not read. */
  id: string;
  kind: AssetKind;
  namespace: string;
  name: string;
  /** Catalog title, for datasets in the catalog. */
  title?: string;
  description?: string;
  /** Owner group ref from the catalog, else owners from OpenLineage. */
  owner?: string;
  owners: string[];
  classification?: Classification;
  /** Catalog entity ref, when the dataset is in the catalog. */
  entityRef?: string;
  /** Distance from the root in dataset hops; 0 for the root. */
  depth: number;
  side: 'root' | 'upstream' | 'downstream';
  fields?: Array<{ name: string; type?: string; description?: string }>;
  latestRun?: LineageRun;
  sql?: string;
  sourceCode?: { language: string; sourceCode: string };
  restricted?: boolean;
  /**
   * A job that never completed and wrote nothing (a Spark schema read, a run
   * still going). Hidden unless the graph is asked for `unfinished=true`.
   */
  unfinished?: boolean;
  /**
   * Planned by a template (`lakehouse:dataset:plan`) and not yet real: a
   * job that has not reported a run, an output the lakehouse does not have.
   */
  planned?: boolean;
  /** The parent job (OpenLineage `parent` run facet), e.g. the Spark application. */
  parent?: { id: string; name: string; latestRun?: LineageRun };
  /**
   * On a parent job drawn for its child jobs (`group=parent`, the default):
   * the child jobs it stands for, with a readable title each.
   */
  children?: LineageJobChild[];
}

/** A child job drawn inside its parent. @public */
export interface LineageJobChild {
  id: string;
  name: string;
  /** e.g. `adaptive spark plan → tmp_out` for a Spark action. */
  title: string;
  latestRun?: LineageRun;
  unfinished?: boolean;
}

/** @public */
export interface LineageEdge {
  source: string;
  target: string;
}

/** `GET /lineage/graph`. @public */
export interface LineageGraphResponse {
  root: string;
  direction: LineageDirection;
  depth: number;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** True when the node limit cut the traversal. */
  truncated: boolean;
  /** Unfinished jobs left out (ask with `unfinished=true` to see them). */
  hiddenUnfinished?: number;
}

/** @public */
export interface ColumnTransformation {
  /** DIRECT or INDIRECT. */
  type?: string;
  /** IDENTITY, TRANSFORMATION, AGGREGATION, JOIN, FILTER, ... */
  subtype?: string;
  description?: string;
  masking: boolean;
}

/** @public */
export interface ColumnLineageEdge {
  source: { node: string; column: string };
  target: { node: string; column: string };
  job?: string;
  transformation: ColumnTransformation;
}

/** `GET /lineage/columns`. @public */
export interface ColumnLineageResponse {
  root: string;
  column?: string;
  direction: LineageDirection;
  depth: number;
  nodes: Array<{
    id: string;
    name: string;
    title?: string;
    entityRef?: string;
    columns: string[];
    restricted?: boolean;
  }>;
  edges: ColumnLineageEdge[];
  truncated: boolean;
}

/** @public */
export interface ImpactItem {
  id: string;
  kind: AssetKind;
  name: string;
  title?: string;
  owner?: string;
  owners: string[];
  entityRef?: string;
  /** Dataset hops from the changed asset. */
  distance: number;
  restricted?: boolean;
}

/** `GET /lineage/impact`. @public */
export interface ImpactResponse {
  root: string;
  items: ImpactItem[];
  /** Whom to warn: each owner with the number of affected assets. */
  owners: Array<{ owner: string; count: number }>;
  truncated: boolean;
}

/** Where a derived classification comes from. @public */
export interface ClassificationSource {
  node: string;
  column: string;
  classification: Classification;
  /** Jobs on the path, nearest first. */
  via: string[];
}

/** @public */
export interface ColumnClassification {
  column: string;
  /** From the dataset's contract. */
  declared?: Classification;
  /** Flowed in along column lineage. */
  derived?: Classification;
  /**
   * declared: contract only; derived: lineage only; confirmed: both agree;
   * overridden: the contract differs from lineage (audited); none.
   */
  status: 'declared' | 'derived' | 'confirmed' | 'overridden' | 'none';
  sources: ClassificationSource[];
  /** Sensitive upstream columns whose classification a transformation removed. */
  removedBy: Array<{
    node: string;
    column: string;
    classification: Classification;
    job?: string;
    reason: string;
  }>;
  override?: { recordedAt: string; contractFile?: string };
  /** A steward's active confirmation that this column is not sensitive. */
  confirmation?: ClassificationConfirmation;
  /**
   * Derived, but the job's SQL shows a counting or summing aggregate: a
   * steward may want to confirm it is not sensitive. Never applied alone.
   */
  proposal?: { job: string; aggregate: string };
}

/**
 * A steward's confirmation that a column's derived classification does not
 * apply: an explicit classification breaker (audited, revocable). @public
 */
export interface ClassificationConfirmation {
  id: string;
  datasetId: string;
  column: string;
  /** What lineage derived when it was confirmed. */
  derived?: Classification;
  reason: string;
  confirmedBy: string;
  confirmedAt: string;
  revokedBy?: string;
  revokedAt?: string;
  revokeReason?: string;
}

/** `GET /lineage/classifications`. @public */
export interface ClassificationsResponse {
  node: string;
  columns: ColumnClassification[];
}

/** `POST /lineage/api/v1/lineage` and `POST /lineage/dbt`. @public */
export interface LineageIngestResult {
  status: 'accepted' | 'duplicate';
  /**
   * Facets that were received but not interpreted, e.g. `facet dataSource
   * ignored: uri is not a URI`. The event is kept verbatim.
   */
  problems?: string[];
}
