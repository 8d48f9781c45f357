import { useApi } from '@backstage/frontend-plugin-api';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { useAssetId } from '../DatasetEntity/useDataset';

/** The registered model behind the current catalog entity. */
export function useModel(generation = 0) {
  const api = useApi(lakehouseApiRef);
  const id = useAssetId();
  const state = useAsync(
    async () => (id ? api.getModel(id) : undefined),
    [api, id, generation],
  );
  return { id, ...state };
}

/**
 * Versions picked for comparison, kept in the URL (`?versions=1,3`) so the
 * Versions tab can hand them to the Compare tab and a link can be shared.
 */
export function useComparedVersions(all: string[]) {
  const [params, setParams] = useSearchParams();
  const picked = (params.get('versions') ?? '')
    .split(',')
    .filter(v => all.includes(v));
  const selected = picked.length ? picked : all.slice(0, 10);
  const setSelected = (versions: string[]) => {
    const next = new URLSearchParams(params);
    if (versions.length) next.set('versions', versions.join(','));
    else next.delete('versions');
    setParams(next, { replace: true });
  };
  return { selected, setSelected };
}
