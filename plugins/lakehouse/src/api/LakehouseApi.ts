import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  DatasetAccessView,
  ClassificationConfirmation,
  ClassificationsResponse,
  ColumnLineageResponse,
  ImpactResponse,
  LineageDirection,
  LineageGraphResponse,
  DatasetDetail,
  DatasetPreview,
  ListDatasetsQuery,
  ListDatasetsResponse,
  DatasetHealth,
  AccessAuditEntry,
  AccessGrant,
  AccessRequest,
  CreateAccessRequest,
  QualityAcknowledgement,
  QualityRun,
  QualityScorecard,
  SyncRun,
  FeatureAssetDetail,
  ListFeaturesQuery,
  ListFeaturesResponse,
  MetadataSourceStatus,
  ListModelsQuery,
  ListModelsResponse,
  ModelDetail,
  ModelPromotion,
  ModelPromotionsResponse,
  ModelTrainingData,
  DatasetStreamView,
} from '@lakeport/plugin-lakehouse-common';

/** @public */
export interface LakehouseApi {
  listDatasets(query: ListDatasetsQuery): Promise<ListDatasetsResponse>;
  getDataset(id: string): Promise<DatasetDetail>;
  previewDataset(id: string, limit?: number): Promise<DatasetPreview>;
  /** A stream dataset (Kafka topic): partitions, retention, consumers and their lag. */
  getDatasetStream(id: string): Promise<DatasetStreamView>;
  /** Whether the caller reads the dataset unmasked, and what is masked. */
  getMyDatasetAccess(id: string): Promise<DatasetAccessView>;
  getLastSync(): Promise<SyncRun | null>;
  listFeatures(query: ListFeaturesQuery): Promise<ListFeaturesResponse>;
  getFeatureAsset(id: string): Promise<FeatureAssetDetail>;
  getMetadataSources(): Promise<MetadataSourceStatus[]>;
  /** One access request per source dataset of a feature view or service. */
  requestFeatureAccess(
    id: string,
    body: { purpose: string; justification: string; durationDays: number },
  ): Promise<{
    classification?: string;
    requests: Array<{
      datasetId: string;
      columns: string[];
      id?: string;
      status?: string;
      skipped?: string;
    }>;
  }>;
  listModels(query: ListModelsQuery): Promise<ListModelsResponse>;
  getModel(id: string): Promise<ModelDetail>;
  getModelTrainingData(id: string): Promise<ModelTrainingData>;
  getModelPromotions(id: string): Promise<ModelPromotionsResponse>;
  requestPromotion(
    id: string,
    body: { alias: string; version: string; reason: string },
  ): Promise<ModelPromotion>;
  decidePromotion(
    promotionId: string,
    body: {
      decision: 'approve' | 'reject';
      comment?: string;
      overrideReason?: string;
    },
  ): Promise<ModelPromotion>;
  cancelPromotion(promotionId: string): Promise<ModelPromotion>;
  /** Sets an approved promotion's alias now (after MLflow was unreachable). */
  retryPromotion(promotionId: string): Promise<ModelPromotion>;
  revertAlias(id: string, alias: string): Promise<ModelPromotion>;
  /** Asks for a sync of the feature stores now (platform admins). */
  triggerMetadataSync(): Promise<void>;
  /** Asks for a sync now (platform admins); it runs in the background. */
  triggerSync(): Promise<void>;
  getLineageGraph(query: {
    node: string;
    direction: LineageDirection;
    depth: number;
    limit?: number;
    /** Include jobs that never completed and wrote nothing. */
    unfinished?: boolean;
    /** `parent` (default): child jobs drawn as their parent job. */
    group?: 'parent' | 'none';
  }): Promise<LineageGraphResponse>;
  getColumnLineage(query: {
    node: string;
    column?: string;
    direction: LineageDirection;
    depth: number;
  }): Promise<ColumnLineageResponse>;
  getImpact(node: string): Promise<ImpactResponse>;
  getClassifications(node: string): Promise<ClassificationsResponse>;
  /** A steward confirms a derived classification does not apply to a column. */
  confirmNotSensitive(input: {
    datasetId: string;
    column: string;
    reason: string;
  }): Promise<ClassificationConfirmation>;
  revokeConfirmation(
    id: string,
    reason?: string,
  ): Promise<ClassificationConfirmation>;
  getScorecard(datasetId: string): Promise<QualityScorecard>;
  /** Queues a run of the dataset's checks (owners); returns the run id. */
  startQualityRun(datasetId: string): Promise<{ id: string }>;
  getQualityRun(id: string): Promise<QualityRun>;
  acknowledgeCheck(
    datasetId: string,
    checkId: string,
    comment: string,
  ): Promise<QualityAcknowledgement>;
  /** The signed-in user's datasets, worst first. */
  getMyDataHealth(): Promise<{ items: DatasetHealth[] }>;
  createAccessRequest(
    request: CreateAccessRequest,
  ): Promise<{ id: string; status: string }>;
  listAccessRequests(query: {
    mine?: boolean;
    reviewable?: boolean;
    datasetId?: string;
  }): Promise<{ items: AccessRequest[] }>;
  getAccessRequest(id: string): Promise<AccessRequest>;
  decideAccessRequest(
    id: string,
    decision: 'approve' | 'deny',
    comment: string,
  ): Promise<AccessRequest>;
  cancelAccessRequest(id: string): Promise<AccessRequest>;
  retryAccessRequest(id: string): Promise<AccessRequest>;
  listGrants(datasetId: string): Promise<{ items: AccessGrant[] }>;
  revokeGrant(id: string, comment?: string): Promise<AccessGrant>;
  getAccessAudit(datasetId: string): Promise<{ items: AccessAuditEntry[] }>;
  /** The dataset's access audit trail as CSV text. */
  getAccessAuditCsv(datasetId: string): Promise<string>;
}

/** @public */
export const lakehouseApiRef = createApiRef<LakehouseApi>({
  id: 'plugin.lakehouse.api',
});
