import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { useApi } from '@backstage/frontend-plugin-api';
import { ErrorPanel } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ListModelsQuery,
  ListModelsResponse,
  ModelFacetName,
} from '@lakeport/plugin-lakehouse-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import InputAdornment from '@mui/material/InputAdornment';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import SearchIcon from '@material-ui/icons/Search';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { Pager } from '../Pager';
import { ClassificationChip } from '../ClassificationChip';
import { FacetList } from '../DatasetsPage/FacetList';
import { GradeChip } from '../Quality/GradeChip';
import { formatAge, formatCount, shortRef } from '../format';
import { FeatureSourcesStatus } from '../FeaturesPage/FeatureSourcesStatus';

const PAGE_SIZE = 25;
const FACETS: Array<{
  name: ModelFacetName;
  title: string;
  label?: (v: string) => string;
}> = [
  {
    name: 'owner',
    title: 'Owner',
    label: v => (v === 'unknown' ? 'Unknown owner' : shortRef(v)),
  },
  { name: 'alias', title: 'Alias' },
  { name: 'status', title: 'Latest version status' },
  {
    name: 'classification',
    title: 'Training data classification',
    label: v => (v === 'pii' ? 'PII' : v),
  },
];
const SORTS: Record<NonNullable<ListModelsQuery['sort']>, string> = {
  relevance: 'Relevance',
  updatedAt: 'Last updated',
  name: 'Name',
  versionCount: 'Most versions',
};

/** Registered models across MLflow servers: search as you type, facets, pages. */
export function ModelsPage() {
  const api = useApi(lakehouseApiRef);
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [cursors, setCursors] = useState<string[]>([]);
  const [shown, setShown] = useState<ListModelsResponse>();

  useDebounce(
    () => {
      if ((params.get('q') ?? '') === text) return;
      const next = new URLSearchParams(params);
      if (text) next.set('q', text);
      else next.delete('q');
      setParams(next, { replace: true });
    },
    250,
    [text],
  );

  const query: ListModelsQuery = useMemo(
    () => ({
      q: params.get('q') ?? undefined,
      ...Object.fromEntries(FACETS.map(f => [f.name, params.getAll(f.name)])),
      sort: (params.get('sort') as ListModelsQuery['sort']) ?? undefined,
      limit: PAGE_SIZE,
    }),
    [params],
  );
  useEffect(() => setCursors([]), [query]);
  const cursor = cursors[cursors.length - 1];
  const [generation, setGeneration] = useState(0);
  const result = useAsync(
    () => api.listModels({ ...query, cursor }),
    [api, query, cursor, generation],
  );
  useEffect(() => {
    if (result.value) setShown(result.value);
  }, [result.value]);

  const setFacet = (name: ModelFacetName, values: string[]) => {
    const next = new URLSearchParams(params);
    next.delete(name);
    values.forEach(v => next.append(name, v));
    setParams(next, { replace: true });
  };
  const filtersOn = FACETS.some(f => params.getAll(f.name).length > 0);

  return (
    <Box sx={{ display: 'flex', gap: 3, p: 3, alignItems: 'flex-start' }}>
      <Box
        component="aside"
        aria-label="Filters"
        sx={{ width: 240, flexShrink: 0 }}
      >
        {FACETS.map(f => (
          <FacetList
            key={f.name}
            title={f.title}
            values={shown?.facets[f.name] ?? []}
            selected={params.getAll(f.name)}
            label={f.label}
            onChange={values => setFacet(f.name, values)}
          />
        ))}
        {filtersOn && (
          <Button
            size="small"
            onClick={() => FACETS.forEach(f => setFacet(f.name, []))}
          >
            Clear filters
          </Button>
        )}
      </Box>
      <Box sx={{ flexGrow: 1, minWidth: 0 }}>
        {shown && (
          <FeatureSourcesStatus
            sources={shown.sources}
            syncLabel="Sync model registries now"
            onSynced={() => setGeneration(g => g + 1)}
          />
        )}
        <Box sx={{ display: 'flex', gap: 2, mb: 2, alignItems: 'center' }}>
          <TextField
            fullWidth
            placeholder="Search models by name, description or tag"
            value={text}
            onChange={e => setText(e.target.value)}
            inputProps={{ 'aria-label': 'Search models' }}
            InputProps={{
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon />
                </InputAdornment>
              ),
            }}
          />
          <TextField
            select
            label="Sort"
            value={query.sort ?? (query.q ? 'relevance' : 'updatedAt')}
            onChange={e => {
              const next = new URLSearchParams(params);
              next.set('sort', e.target.value);
              setParams(next, { replace: true });
            }}
            sx={{ minWidth: 180 }}
          >
            {Object.entries(SORTS)
              .filter(([s]) => s !== 'relevance' || query.q)
              .map(([s, label]) => (
                <MenuItem key={s} value={s}>
                  {label}
                </MenuItem>
              ))}
          </TextField>
        </Box>
        <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
          <Box sx={{ height: 4 }}>
            {result.loading && <LinearProgress aria-label="Loading models" />}
          </Box>
          {result.error && (
            <ErrorPanel title="Could not load models" error={result.error} />
          )}
          {shown && (
            <>
              <Typography
                sx={{ px: 2, pt: 1 }}
                variant="subtitle2"
                aria-live="polite"
              >
                {shown.totalCount === 1
                  ? '1 model'
                  : `${formatCount(shown.totalCount)} models`}
                {query.q ? ` matching “${query.q}”` : ''}
              </Typography>
              {shown.items.length === 0 ? (
                <Box sx={{ p: 4, textAlign: 'center' }}>
                  <Typography variant="h6">Nothing matches</Typography>
                  <Typography color="text.secondary">
                    Try fewer words, another spelling, or clear the filters.
                  </Typography>
                </Box>
              ) : (
                <Table
                  size="small"
                  aria-label="Models"
                  sx={{ '& th': { whiteSpace: 'nowrap' } }}
                >
                  <TableHead>
                    <TableRow>
                      <TableCell>Model</TableCell>
                      <TableCell>Aliases</TableCell>
                      <TableCell align="right">Versions</TableCell>
                      <TableCell>Owner</TableCell>
                      <TableCell>Training data</TableCell>
                      <TableCell>Updated</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {shown.items.map(m => (
                      <TableRow key={m.id} hover>
                        <TableCell sx={{ maxWidth: 420 }}>
                          <EntityRefLink
                            entityRef={m.entityRef}
                            title={m.name}
                          />
                          <Typography
                            variant="caption"
                            component="div"
                            color="text.secondary"
                            noWrap
                          >
                            MLflow {m.server}
                            {m.status
                              ? ` · latest ${m.status.toLowerCase()}`
                              : ''}
                          </Typography>
                          {m.description && (
                            <Typography
                              variant="body2"
                              color="text.secondary"
                              noWrap
                              title={m.description}
                            >
                              {m.description}
                            </Typography>
                          )}
                        </TableCell>
                        <TableCell>
                          <Box
                            sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}
                          >
                            {m.aliases.map(a => (
                              <Chip
                                key={a.alias}
                                size="small"
                                variant="outlined"
                                color={
                                  m.ungovernedAliases.includes(a.alias)
                                    ? 'warning'
                                    : 'default'
                                }
                                label={`${a.alias} → v${a.version}`}
                              />
                            ))}
                            {m.ungovernedAliases.length > 0 && (
                              <Chip
                                size="small"
                                color="warning"
                                label="ungoverned change"
                              />
                            )}
                          </Box>
                        </TableCell>
                        <TableCell align="right">{m.versionCount}</TableCell>
                        <TableCell>
                          {m.owner ? (
                            <EntityRefLink
                              entityRef={m.owner}
                              defaultKind="group"
                            />
                          ) : (
                            'Unknown owner'
                          )}
                        </TableCell>
                        <TableCell>
                          <Box sx={{ display: 'flex', gap: 0.5 }}>
                            <ClassificationChip value={m.classification} />
                            <GradeChip grade={m.qualityGrade} />
                          </Box>
                        </TableCell>
                        <TableCell>{formatAge(m.updatedAt)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
              <Pager
                cursors={cursors}
                nextCursor={shown.nextCursor}
                onChange={setCursors}
              />
            </>
          )}
        </Paper>
      </Box>
    </Box>
  );
}
