import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  DatasetDetail,
  DatasetPreview,
  ListDatasetsQuery,
  ListDatasetsResponse,
} from '@lakeport/plugin-lakehouse-common';

/** @public */
export interface LakehouseApi {
  listDatasets(query: ListDatasetsQuery): Promise<ListDatasetsResponse>;
  getDataset(id: string): Promise<DatasetDetail>;
  previewDataset(id: string, limit?: number): Promise<DatasetPreview>;
}

/** @public */
export const lakehouseApiRef = createApiRef<LakehouseApi>({
  id: 'plugin.lakehouse.api',
});
