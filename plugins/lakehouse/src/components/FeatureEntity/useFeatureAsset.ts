import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { useAssetId } from '../DatasetEntity/useDataset';

/** The feature view or service behind the current catalog entity. */
export function useFeatureAsset() {
  const api = useApi(lakehouseApiRef);
  const id = useAssetId();
  const state = useAsync(
    async () => (id ? api.getFeatureAsset(id) : undefined),
    [api, id],
  );
  return { id, ...state };
}
