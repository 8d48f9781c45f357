import { Classification } from './classification';
import { QualityGrade } from './quality';

/**
 * Kinds of feature-store assets. Ids: `featureview:<registry>/<project>:<name>`,
 * `featureservice:<registry>/<project>:<name>`, `entity:<registry>/<project>:<name>`
 * (on-demand and stream views are feature views too).
 *
 * @public
 */
export type FeatureAssetKind = 'entity' | 'featureview' | 'featureservice';

/** A feature of a view (or, in a service, a feature it selects). @public */
export interface FeatureField {
  name: string;
  /** Feast value type, e.g. INT64, DOUBLE, STRING. */
  type?: string;
  description?: string;
  tags?: Record<string, string>;
  /** Derived along lineage from the data it is computed from. */
  classification?: Classification;
  /** Where it comes from: `<dataset or view id>` and column. */
  source?: { id: string; column: string };
  /** In a feature service: the view the feature belongs to. */
  view?: string;
}

/** Last materialization against the TTL (feature views kept online). @public */
export interface FeatureFreshness {
  status: 'fresh' | 'stale' | 'never' | 'not-online';
  /** End of the latest materialization interval. */
  materializedUntil?: string;
  ttlSeconds?: number;
  ageSeconds?: number;
}

/** A feature view, feature service or entity as listed and searched. @public */
export interface FeatureAssetSummary {
  id: string;
  kind: FeatureAssetKind;
  /** `<registry>/<project>`. */
  namespace: string;
  registry: string;
  project: string;
  name: string;
  /** `featureView`, `onDemandFeatureView`, `streamFeatureView`, … */
  type?: string;
  description?: string;
  /** Owner as Feast has it (an email). */
  ownerEmail?: string;
  /** Owner group resolved from the email; absent when nobody is known by it. */
  owner?: string;
  tags: Record<string, string>;
  entities: string[];
  online?: boolean;
  /** Most sensitive classification of its features (derived along lineage). */
  classification?: Classification;
  /** Domain and system of its source dataset. */
  domain?: string;
  system?: string;
  /** Worst quality grade among its source datasets. */
  qualityGrade?: QualityGrade;
  featureCount: number;
  /** Features whose name, description or tags matched the query. */
  matchedFeatures?: string[];
  /** Ref of its catalog entity, `resource:default/<name>`. */
  entityRef: string;
  updatedAt: string;
  /** The features, in lists only when asked for with `include=features` (indexers). */
  features?: FeatureField[];
}

/** A lakehouse dataset a feature view reads. @public */
export interface FeatureSourceDataset {
  id: string;
  title?: string;
  qualityGrade?: QualityGrade;
  qualityScore?: number;
  entityRef?: string;
}

/** Everything a feature view or service page shows. @public */
export interface FeatureAssetDetail extends FeatureAssetSummary {
  features: FeatureField[];
  ttlSeconds?: number;
  freshness?: FeatureFreshness;
  /** Batch/stream/request sources as Feast describes them. */
  sources: Array<{
    name: string;
    type: string;
    /** Path, table or topic. */
    location?: string;
    /** The lakehouse dataset it was matched to. */
    dataset?: FeatureSourceDataset;
    /** source column → feature, where Feast renames. */
    fieldMapping?: Record<string, string>;
  }>;
  /** Feature views (of a view: on-demand views' inputs) this reads. */
  inputViews: string[];
  /** Feature services (and later models) that use it. */
  usedBy: Array<{ id: string; kind: string; name: string }>;
  /** For services: the views whose features it selects. */
  views: Array<{ id: string; name: string; features: string[] }>;
  /** Join keys of its entities, for entity rows. */
  entityKeys: Array<{ entity: string; joinKey: string; type?: string }>;
  /** Fields an on-demand view needs in each request (request sources). */
  requestFields: Array<{ name: string; type?: string }>;
}

/** @public */
export const FEATURE_FACETS = [
  'kind',
  'project',
  'entity',
  'owner',
  'online',
  'classification',
  'grade',
] as const;

/** @public */
export type FeatureFacetName = (typeof FEATURE_FACETS)[number];

/** Query of `GET /features`; each facet filter may hold several values (OR). @public */
export interface ListFeaturesQuery {
  q?: string;
  kind?: string[];
  project?: string[];
  entity?: string[];
  owner?: string[];
  online?: string[];
  classification?: string[];
  grade?: string[];
  sort?: 'relevance' | 'name' | 'updatedAt' | 'featureCount';
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
  include?: Array<'features'>;
}

/** @public */
export interface ListFeaturesResponse {
  items: FeatureAssetSummary[];
  totalCount: number;
  nextCursor?: string;
  facets: Record<FeatureFacetName, Array<{ value: string; count: number }>>;
  /** State of each configured feature-store source. */
  sources: MetadataSourceStatus[];
}

/** How the last syncs of a metadata source went. @public */
export interface MetadataSourceStatus {
  id: string;
  kind: string;
  lastAttemptAt?: string;
  lastSuccessAt?: string;
  /** Error of the latest attempt, when it failed (the last good state is kept). */
  error?: { message: string; at: string };
  assets: number;
  /** Assets written by the last successful sync (0 when nothing changed). */
  lastWritten?: number;
  lastDurationMs?: number;
}
