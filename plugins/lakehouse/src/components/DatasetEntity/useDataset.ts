import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { ASSET_ID_ANNOTATION } from '@lakeport/plugin-lakehouse-common';
import { lakehouseApiRef } from '../../api/LakehouseApi';

export function useAssetId(): string | undefined {
  const { entity } = useEntity();
  return entity.metadata.annotations?.[ASSET_ID_ANNOTATION];
}

/** The dataset behind the current catalog entity. */
export function useDataset() {
  const api = useApi(lakehouseApiRef);
  const id = useAssetId();
  const state = useAsync(
    async () => (id ? api.getDataset(id) : undefined),
    [api, id],
  );
  return { id, ...state };
}
