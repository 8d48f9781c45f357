import { Classification } from './classification';
import { MetadataSourceStatus } from './features';
import { QualityGrade } from './quality';

/**
 * Registered models of model registries (MLflow). Ids:
 * `model:<server>:<name>`; versions `modelversion:<server>:<name>/<version>`.
 */

/** Facets of the Models page. @public */
export const MODEL_FACETS = [
  'owner',
  'alias',
  'status',
  'classification',
] as const;
/** @public */
export type ModelFacetName = (typeof MODEL_FACETS)[number];

/** Query of `GET /models`. @public */
export interface ListModelsQuery {
  q?: string;
  owner?: string[];
  alias?: string[];
  status?: string[];
  classification?: string[];
  sort?: 'relevance' | 'name' | 'updatedAt' | 'versionCount';
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

/** A registered model as listed. @public */
export interface ModelSummary {
  id: string;
  /** The registry (an MLflow server name in config). */
  server: string;
  name: string;
  description?: string;
  /** Owner group (the `owner` tag, else the group of the creating user). */
  owner?: string;
  tags: Record<string, string>;
  aliases: Array<{ alias: string; version: string }>;
  latestVersion?: string;
  versionCount: number;
  /** Status of the latest version (MLflow: READY, PENDING_REGISTRATION, FAILED_REGISTRATION). */
  status?: string;
  /** Most sensitive classification of any version's training data. */
  classification?: Classification;
  /** Worst quality grade of the training data of any version. */
  qualityGrade?: QualityGrade;
  /** Catalog entity of the model (a Resource of type ml-model). */
  entityRef: string;
  /** Governed aliases moved outside Lakeport and not yet moved back or adopted. */
  ungovernedAliases: string[];
  updatedAt: string;
}

/** @public */
export interface ListModelsResponse {
  items: ModelSummary[];
  totalCount: number;
  nextCursor?: string;
  facets: Record<ModelFacetName, Array<{ value: string; count: number }>>;
  sources: MetadataSourceStatus[];
}

/** One value of a metric over steps (a training curve). @public */
export interface MetricPoint {
  step: number;
  value: number;
  timestamp: number;
}

/** A column of a model signature. @public */
export interface SignatureColumn {
  name: string;
  type: string;
}

/** A version of a registered model. @public */
export interface ModelVersionSummary {
  id: string;
  version: string;
  aliases: string[];
  status?: string;
  stage?: string;
  creator?: string;
  createdAt?: number;
  description?: string;
  runId?: string;
  loggedModelId?: string;
  source?: string;
  metrics: Record<string, number>;
  metricHistory: Record<string, MetricPoint[]>;
  params: Record<string, string>;
  signature?: { inputs: SignatureColumn[]; outputs: SignatureColumn[] };
  tags: Record<string, string>;
  /** Worst grade of the datasets it was trained on (directly or through features). */
  trainingGrade?: QualityGrade;
  /** Most sensitive classification reaching it from its training data. */
  classification?: Classification;
  featureService?: string;
}

/** The holder of an alias and how it got there. @public */
export interface ModelAliasState {
  alias: string;
  /** The version MLflow says the alias points at now. */
  version?: string;
  governed: boolean;
  /** The version Lakeport last set or accepted (governed aliases). */
  governedVersion?: string;
  setBy?: string;
  setAt?: string;
  /** How it got there: a promotion, a revert, or as first seen. */
  via?: 'promotion' | 'revert' | 'baseline';
  promotionId?: string;
  /** The alias was moved outside Lakeport: MLflow holds `version`, Lakeport expects `governedVersion`. */
  ungoverned?: { version?: string; seenAt: string };
}

/** A model's page. @public */
export interface ModelDetail extends ModelSummary {
  aliasStates: ModelAliasState[];
  versions: ModelVersionSummary[];
  /** Metrics to show first: the configured ones, then the rest. */
  keyMetrics: string[];
}

/** Your access to one training dataset. @public */
export type TrainingAccessStatus = 'full' | 'masked' | 'requested';

/** A dataset or feature asset a version was trained on. @public */
export interface TrainingInput {
  id: string;
  kind: 'dataset' | 'featureservice' | 'featureview';
  name: string;
  /** Catalog entity to link to. */
  entityRef?: string;
  qualityGrade?: QualityGrade;
  qualityScore?: number;
  classification?: Classification;
  /** Datasets only: the columns it read. */
  columns?: string[];
  /** Datasets only: whether you see them unmasked, masked, or have asked. */
  access?: TrainingAccessStatus;
  /** Reached through a feature view (datasets) or a feature service (views): its id. */
  via?: string;
}

/** @public */
export interface ModelTrainingData {
  model: string;
  versions: Array<{ version: string; inputs: TrainingInput[] }>;
}

/** Result of one promotion gate. @public */
export interface PromotionGate {
  id: 'required-metrics' | 'no-regression' | 'training-quality' | 'pii-steward';
  title: string;
  /** `pending`: needs a person (a steward) before it passes. */
  result: 'passed' | 'failed' | 'pending';
  detail: string;
}

/** @public */
export type PromotionStatus =
  | 'pending'
  | 'awaiting-steward'
  | 'approved'
  | 'promoted'
  | 'rejected'
  | 'cancelled';

/** A request to point a governed alias at a version. @public */
export interface ModelPromotion {
  id: string;
  modelId: string;
  model: string;
  alias: string;
  version: string;
  /** The version the alias pointed at when asked. */
  fromVersion?: string;
  reason: string;
  kind: 'promotion' | 'revert';
  status: PromotionStatus;
  requestedBy: string;
  requestedAt: string;
  gates: PromotionGate[];
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
  /** A failed gate an owner overrode, with why. */
  overrideReason?: string;
  stewardBy?: string;
  stewardAt?: string;
  promotedAt?: string;
  /** Attempts to set the alias in the registry, and the last failure. */
  attempts: number;
  lastError?: string;
  audit: ModelPromotionAuditEntry[];
}

/** @public */
export interface ModelPromotionAuditEntry {
  at: string;
  actor: string;
  action: string;
  promotionId?: string;
  alias?: string;
  version?: string;
  detail?: string;
}

/** @public */
export interface ModelPromotionsResponse {
  items: ModelPromotion[];
  /** Audit of the model's aliases, newest first (includes ungoverned changes). */
  audit: ModelPromotionAuditEntry[];
}
