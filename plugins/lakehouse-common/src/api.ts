import { Classification } from './classification';
import { QualityGrade } from './quality';

/** A column as the engine reports it, merged with its contract. @public */
export interface DatasetColumn {
  name: string;
  /** Engine type, e.g. BIGINT, VARCHAR, STRUCT(a INTEGER). */
  type: string;
  nullable: boolean;
  description?: string;
  classification?: Classification;
  /** Members of STRUCT / element of LIST and MAP types. */
  children?: DatasetColumn[];
  /** Present in only one of engine and contract. */
  drift?: 'missing_in_contract' | 'missing_in_engine';
}

/** @public */
export type DatasetStatus = 'active' | 'removed';

/** A dataset as listed and searched. @public */
export interface DatasetSummary {
  /** Asset id, `dataset:<namespace>:<name>`. */
  id: string;
  namespace: string;
  name: string;
  title: string;
  description?: string;
  domain?: string;
  layer?: string;
  system?: string;
  /** Owner group ref, `group:default/<name>`. */
  owner?: string;
  tags: string[];
  /** The most sensitive classification of its columns. */
  classification?: Classification;
  columnCount: number;
  rowCount?: number;
  sizeBytes?: number;
  lastModified?: string;
  status: DatasetStatus;
  /** Quality grade and score of the latest scorecard, when checks ran. */
  qualityGrade?: QualityGrade;
  qualityScore?: number;
  /** Ref of its Backstage catalog entity, `resource:default/<name>`. */
  entityRef: string;
  /** Columns whose name or description matched the query. */
  matchedColumns?: string[];
  /** The columns, in lists only when asked for with `include=columns`. */
  columns?: DatasetColumn[];
}

/** A problem found in a data contract, pointing at file and field. @public */
export interface ContractProblem {
  file: string;
  field: string;
  message: string;
}

/** @public */
export interface SchemaChange {
  version: number;
  detectedAt: string;
  added: string[];
  removed: string[];
  retyped: Array<{ name: string; from: string; to: string }>;
}

/** @public */
export interface DatasetStats {
  rowCount?: number;
  sizeBytes?: number;
  fileCount?: number;
  partitionColumns: string[];
  partitionCount?: number;
  latestPartition?: string;
  lastModified?: string;
}

/** @public */
export interface DatasetFreshness {
  /** Freshness SLA from the contract, in hours. */
  slaHours: number;
  /** Where freshness is measured: a column, or the files' modification time. */
  measuredOn: string;
  latestAt?: string;
  ageHours?: number;
  status: 'fresh' | 'stale' | 'unknown';
}

/** @public */
export interface DatasetContract {
  file: string;
  id?: string;
  version?: string;
  status?: string;
  purpose?: string;
  usage?: string;
  limitations?: string;
}

/** A dataset with everything a dataset page shows. @public */
export interface DatasetDetail extends DatasetSummary {
  columns: DatasetColumn[];
  stats: DatasetStats;
  contract?: DatasetContract;
  contractProblems: ContractProblem[];
  freshness?: DatasetFreshness;
  drift: { missingInContract: string[]; missingInEngine: string[] };
  schemaVersions: SchemaChange[];
  firstSeenAt: string;
  updatedAt: string;
  removedAt?: string;
}

/** @public */
export const DATASET_FACETS = [
  'domain',
  'owner',
  'classification',
  'tag',
  'layer',
  'grade',
] as const;

/** @public */
export type DatasetFacetName = (typeof DATASET_FACETS)[number];

/** @public */
export type DatasetFacets = Record<
  DatasetFacetName,
  Array<{ value: string; count: number }>
>;

/** @public */
export const DATASET_SORTS = [
  'relevance',
  'name',
  'rowCount',
  'sizeBytes',
  'lastModified',
  'qualityScore',
] as const;

/** @public */
export type DatasetSort = (typeof DATASET_SORTS)[number];

/** Query of `GET /datasets`; each facet filter may hold several values (OR). @public */
export interface ListDatasetsQuery {
  q?: string;
  domain?: string[];
  owner?: string[];
  classification?: string[];
  tag?: string[];
  layer?: string[];
  /** Quality grades (A-F). */
  grade?: string[];
  sort?: DatasetSort;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
  includeRemoved?: boolean;
  /** `columns` adds each dataset's columns to the items (for indexers). */
  include?: Array<'columns'>;
}

/** @public */
export interface ListDatasetsResponse {
  items: DatasetSummary[];
  totalCount: number;
  nextCursor?: string;
  /** Counts per value for the current query; each facet ignores its own filter. */
  facets: DatasetFacets;
}

/** @public */
export interface DatasetPreview {
  columns: Array<{
    name: string;
    type: string;
    classification?: Classification;
  }>;
  rows: Array<Record<string, unknown>>;
  /** Columns whose values are replaced by MASKED_VALUE for this caller. */
  masked: string[];
}

/** What a masked value reads as in previews. @public */
export const MASKED_VALUE = '••••••';

/** @public */
export interface SyncRun {
  startedAt: string;
  finishedAt: string;
  tables: number;
  added: number;
  updated: number;
  /** Tables described exactly as at the last sync: nothing was written. */
  unchanged?: number;
  removed: number;
  schemaChanges: number;
  contractProblems: ContractProblem[];
}

/** What the caller reads of a dataset (`GET /datasets/:id/access`). @public */
export interface DatasetAccessView {
  datasetId: string;
  access: 'unmasked' | 'masked';
  /** Columns the caller sees masked; ask for access to read them. */
  maskedColumns: string[];
}
