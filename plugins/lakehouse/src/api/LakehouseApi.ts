import { createApiRef } from '@backstage/frontend-plugin-api';
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

/** @public */
export interface LakehouseApi {
  listDatasets(query: ListDatasetsQuery): Promise<ListDatasetsResponse>;
  getDataset(id: string): Promise<DatasetDetail>;
  previewDataset(id: string, limit?: number): Promise<DatasetPreview>;
  getLastSync(): Promise<SyncRun | null>;
  /** Asks for a sync now (platform admins); it runs in the background. */
  triggerSync(): Promise<void>;
  getLineageGraph(query: {
    node: string;
    direction: LineageDirection;
    depth: number;
    limit?: number;
  }): Promise<LineageGraphResponse>;
  getColumnLineage(query: {
    node: string;
    column?: string;
    direction: LineageDirection;
    depth: number;
  }): Promise<ColumnLineageResponse>;
  getImpact(node: string): Promise<ImpactResponse>;
  getClassifications(node: string): Promise<ClassificationsResponse>;
}

/** @public */
export const lakehouseApiRef = createApiRef<LakehouseApi>({
  id: 'plugin.lakehouse.api',
});
