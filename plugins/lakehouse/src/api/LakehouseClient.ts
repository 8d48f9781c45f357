import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ClassificationsResponse,
  ColumnLineageResponse,
  ImpactResponse,
  LineageDirection,
  LineageGraphResponse,
  DatasetDetail,
  DatasetPreview,
  ListDatasetsQuery,
  ListDatasetsResponse,
  SyncRun,
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

  previewDataset(id: string, limit = 20): Promise<DatasetPreview> {
    return this.get(
      `/datasets/${encodeURIComponent(id)}/preview?limit=${limit}`,
    );
  }

  async getLastSync(): Promise<SyncRun | null> {
    return (await this.get<{ lastRun: SyncRun | null }>('/sync')).lastRun;
  }

  async triggerSync(): Promise<void> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('lakehouse');
    const response = await this.deps.fetchApi.fetch(`${baseUrl}/sync`, {
      method: 'POST',
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
  }

  getLineageGraph(query: {
    node: string;
    direction: LineageDirection;
    depth: number;
    limit?: number;
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
}

function searchParams(query: Record<string, string | number | undefined>) {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') out.set(key, String(value));
  }
  return out;
}
