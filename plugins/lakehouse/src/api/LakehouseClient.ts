import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
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
  DatasetStreamView,
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
} from '@lakeport/plugin-lakehouse-common';
import { LakehouseApi } from './LakehouseApi';

/** The lakehouse HTTP API, called with the signed-in user's token. */
export class LakehouseClient implements LakehouseApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('lakehouse');
    const response = await this.deps.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  listDatasets(query: ListDatasetsQuery): Promise<ListDatasetsResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === '' || value === false) continue;
      for (const v of Array.isArray(value) ? value : [value])
        params.append(key, String(v));
    }
    return this.get(`/datasets?${params}`);
  }

  getDataset(id: string): Promise<DatasetDetail> {
    return this.get(`/datasets/${encodeURIComponent(id)}`);
  }

  getMyDatasetAccess(id: string): Promise<DatasetAccessView> {
    return this.get(`/datasets/${encodeURIComponent(id)}/access`);
  }

  previewDataset(id: string, limit = 20): Promise<DatasetPreview> {
    return this.get(
      `/datasets/${encodeURIComponent(id)}/preview?limit=${limit}`,
    );
  }

  getDatasetStream(id: string): Promise<DatasetStreamView> {
    return this.get(`/datasets/${encodeURIComponent(id)}/stream`);
  }

  listFeatures(query: ListFeaturesQuery): Promise<ListFeaturesResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === '') continue;
      for (const v of Array.isArray(value) ? value : [value])
        params.append(key, String(v));
    }
    return this.get(`/features?${params}`);
  }

  getFeatureAsset(id: string): Promise<FeatureAssetDetail> {
    return this.get(`/features/${encodeURIComponent(id)}`);
  }

  async getMetadataSources(): Promise<MetadataSourceStatus[]> {
    return (
      await this.get<{ items: MetadataSourceStatus[] }>('/metadata-sources')
    ).items;
  }

  requestFeatureAccess(
    id: string,
    body: { purpose: string; justification: string; durationDays: number },
  ) {
    return this.post<Awaited<ReturnType<LakehouseApi['requestFeatureAccess']>>>(
      `/features/${encodeURIComponent(id)}/access-requests`,
      body,
    );
  }

  listModels(query: ListModelsQuery): Promise<ListModelsResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === '') continue;
      for (const v of Array.isArray(value) ? value : [value])
        params.append(key, String(v));
    }
    return this.get(`/models?${params}`);
  }

  getModel(id: string): Promise<ModelDetail> {
    return this.get(`/models/${encodeURIComponent(id)}`);
  }

  getModelTrainingData(id: string): Promise<ModelTrainingData> {
    return this.get(`/models/${encodeURIComponent(id)}/training-data`);
  }

  getModelPromotions(id: string): Promise<ModelPromotionsResponse> {
    return this.get(`/models/${encodeURIComponent(id)}/promotions`);
  }

  requestPromotion(
    id: string,
    body: { alias: string; version: string; reason: string },
  ): Promise<ModelPromotion> {
    return this.post(`/models/${encodeURIComponent(id)}/promotions`, body);
  }

  decidePromotion(
    promotionId: string,
    body: {
      decision: 'approve' | 'reject';
      comment?: string;
      overrideReason?: string;
    },
  ): Promise<ModelPromotion> {
    return this.post(
      `/model-promotions/${encodeURIComponent(promotionId)}/decision`,
      body,
    );
  }

  cancelPromotion(promotionId: string): Promise<ModelPromotion> {
    return this.post(
      `/model-promotions/${encodeURIComponent(promotionId)}/cancel`,
    );
  }

  retryPromotion(promotionId: string): Promise<ModelPromotion> {
    return this.post(
      `/model-promotions/${encodeURIComponent(promotionId)}/retry`,
    );
  }

  revertAlias(id: string, alias: string): Promise<ModelPromotion> {
    return this.post(
      `/models/${encodeURIComponent(id)}/aliases/${encodeURIComponent(
        alias,
      )}/revert`,
      {},
    );
  }

  async triggerMetadataSync(): Promise<void> {
    await this.post('/metadata-sources/sync');
  }

  async getLastSync(): Promise<SyncRun | null> {
    return (await this.get<{ lastRun: SyncRun | null }>('/sync')).lastRun;
  }

  private async post<T>(path: string, body?: unknown): Promise<T> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('lakehouse');
    const response = await this.deps.fetchApi.fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: body ? { 'Content-Type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async triggerSync(): Promise<void> {
    await this.post('/sync');
  }

  getScorecard(datasetId: string): Promise<QualityScorecard> {
    return this.get(`/quality/scorecards/${encodeURIComponent(datasetId)}`);
  }

  startQualityRun(datasetId: string): Promise<{ id: string }> {
    return this.post('/quality/runs', { datasetId });
  }

  getQualityRun(id: string): Promise<QualityRun> {
    return this.get(`/quality/runs/${encodeURIComponent(id)}`);
  }

  acknowledgeCheck(
    datasetId: string,
    checkId: string,
    comment: string,
  ): Promise<QualityAcknowledgement> {
    return this.post(
      `/quality/scorecards/${encodeURIComponent(
        datasetId,
      )}/checks/${encodeURIComponent(checkId)}/acknowledgements`,
      { comment },
    );
  }

  getMyDataHealth(): Promise<{ items: DatasetHealth[] }> {
    return this.get('/quality/health');
  }

  createAccessRequest(
    request: CreateAccessRequest,
  ): Promise<{ id: string; status: string }> {
    return this.post('/access/requests', request);
  }

  listAccessRequests(query: {
    mine?: boolean;
    reviewable?: boolean;
    datasetId?: string;
  }): Promise<{ items: AccessRequest[] }> {
    return this.get(`/access/requests?${searchParams(query)}`);
  }

  getAccessRequest(id: string): Promise<AccessRequest> {
    return this.get(`/access/requests/${encodeURIComponent(id)}`);
  }

  decideAccessRequest(
    id: string,
    decision: 'approve' | 'deny',
    comment: string,
  ): Promise<AccessRequest> {
    return this.post(`/access/requests/${encodeURIComponent(id)}/decision`, {
      decision,
      comment,
    });
  }

  cancelAccessRequest(id: string): Promise<AccessRequest> {
    return this.post(`/access/requests/${encodeURIComponent(id)}/cancel`);
  }

  retryAccessRequest(id: string): Promise<AccessRequest> {
    return this.post(`/access/requests/${encodeURIComponent(id)}/retry`);
  }

  listGrants(datasetId: string): Promise<{ items: AccessGrant[] }> {
    return this.get(
      `/access/grants?datasetId=${encodeURIComponent(datasetId)}`,
    );
  }

  revokeGrant(id: string, comment?: string): Promise<AccessGrant> {
    return this.post(`/access/grants/${encodeURIComponent(id)}/revoke`, {
      comment,
    });
  }

  getAccessAudit(datasetId: string): Promise<{ items: AccessAuditEntry[] }> {
    return this.get(`/access/audit?datasetId=${encodeURIComponent(datasetId)}`);
  }

  async getAccessAuditCsv(datasetId: string): Promise<string> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('lakehouse');
    const response = await this.deps.fetchApi.fetch(
      `${baseUrl}/access/audit?format=csv&datasetId=${encodeURIComponent(
        datasetId,
      )}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.text();
  }

  getLineageGraph(query: {
    node: string;
    direction: LineageDirection;
    depth: number;
    limit?: number;
    /** Include jobs that never completed and wrote nothing. */
    unfinished?: boolean;
    /** `parent` (default): child jobs drawn as their parent job. */
    group?: 'parent' | 'none';
  }): Promise<LineageGraphResponse> {
    return this.get(`/lineage/graph?${searchParams(query)}`);
  }

  getColumnLineage(query: {
    node: string;
    column?: string;
    direction: LineageDirection;
    depth: number;
  }): Promise<ColumnLineageResponse> {
    return this.get(`/lineage/columns?${searchParams(query)}`);
  }

  getImpact(node: string): Promise<ImpactResponse> {
    return this.get(`/lineage/impact?${searchParams({ node })}`);
  }

  getClassifications(node: string): Promise<ClassificationsResponse> {
    return this.get(`/lineage/classifications?${searchParams({ node })}`);
  }

  confirmNotSensitive(input: {
    datasetId: string;
    column: string;
    reason: string;
  }): Promise<ClassificationConfirmation> {
    return this.post('/lineage/classifications/confirmations', input);
  }

  revokeConfirmation(
    id: string,
    reason?: string,
  ): Promise<ClassificationConfirmation> {
    return this.post(
      `/lineage/classifications/confirmations/${encodeURIComponent(id)}/revoke`,
      { reason },
    );
  }
}

function searchParams(
  query: Record<string, string | number | boolean | undefined>,
) {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '' && value !== false)
      out.set(key, String(value));
  }
  return out;
}
