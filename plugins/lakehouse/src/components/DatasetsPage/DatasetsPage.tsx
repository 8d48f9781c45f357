import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { useApi } from '@backstage/frontend-plugin-api';
import { ErrorPanel } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  DATASET_SORTS,
  DatasetFacetName,
  DatasetSort,
  ListDatasetsQuery,
  ListDatasetsResponse,
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
import { formatBytes, formatCount, formatAge, shortRef } from '../format';
import { FacetList } from './FacetList';
import { GradeChip } from '../Quality/GradeChip';
import { SyncStatus } from './SyncStatus';

const PAGE_SIZE = 25;
const FACETS: Array<{
  name: DatasetFacetName;
  title: string;
  label?: (v: string) => string;
}> = [
  { name: 'domain', title: 'Domain' },
  { name: 'owner', title: 'Owner', label: shortRef },
  {
    name: 'classification',
    title: 'Classification',
    label: v => (v === 'pii' ? 'PII' : v),
  },
  { name: 'layer', title: 'Layer' },
  { name: 'tag', title: 'Tag' },
  { name: 'grade', title: 'Quality grade' },
];
const SORT_LABELS: Record<DatasetSort, string> = {
  relevance: 'Relevance',
  name: 'Name',
  rowCount: 'Most rows',
  sizeBytes: 'Largest',
  lastModified: 'Recently updated',
  qualityScore: 'Best quality',
};

/** Dataset search: type to search names, descriptions and column names. */
export function DatasetsPage() {
  const api = useApi(lakehouseApiRef);
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [cursors, setCursors] = useState<string[]>([]);
  const [shown, setShown] = useState<ListDatasetsResponse>();

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

  const query: ListDatasetsQuery = useMemo(
    () => ({
      q: params.get('q') ?? undefined,
      domain: params.getAll('domain'),
      owner: params.getAll('owner'),
      classification: params.getAll('classification'),
      layer: params.getAll('layer'),
      tag: params.getAll('tag'),
      grade: params.getAll('grade'),
      sort: (params.get('sort') as DatasetSort) ?? undefined,
      limit: PAGE_SIZE,
    }),
    [params],
  );
  // A new query starts at the first page.
  useEffect(() => setCursors([]), [query]);
  const cursor = cursors[cursors.length - 1];

  const [generation, setGeneration] = useState(0);
  const result = useAsync(
    () => api.listDatasets({ ...query, cursor }),
    [api, query, cursor, generation],
  );
  useEffect(() => {
    if (result.value) setShown(result.value);
  }, [result.value]);

  const setFacet = (name: DatasetFacetName, values: string[]) => {
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
            values={
              f.name === 'grade'
                ? [...(shown?.facets.grade ?? [])].sort((a, b) =>
                    a.value.localeCompare(b.value),
                  )
                : shown?.facets[f.name] ?? []
            }
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
        <SyncStatus onSynced={() => setGeneration(g => g + 1)} />
        <Box sx={{ display: 'flex', gap: 2, mb: 2, alignItems: 'center' }}>
          <TextField
            fullWidth
            placeholder="Search datasets by name, description or column name"
            value={text}
            onChange={e => setText(e.target.value)}
            inputProps={{ 'aria-label': 'Search datasets' }}
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
            value={query.sort ?? (query.q ? 'relevance' : 'name')}
            onChange={e => {
              const next = new URLSearchParams(params);
              next.set('sort', e.target.value);
              setParams(next, { replace: true });
            }}
            sx={{ minWidth: 180 }}
          >
            {DATASET_SORTS.filter(s => s !== 'relevance' || query.q).map(s => (
              <MenuItem key={s} value={s}>
                {SORT_LABELS[s]}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
          <Box sx={{ height: 4 }}>
            {result.loading && <LinearProgress aria-label="Loading datasets" />}
          </Box>
          {result.error && (
            <ErrorPanel title="Could not load datasets" error={result.error} />
          )}
          {shown && (
            <>
              <Typography
                sx={{ px: 2, pt: 1 }}
                variant="subtitle2"
                aria-live="polite"
              >
                {shown.totalCount === 1
                  ? '1 dataset'
                  : `${formatCount(shown.totalCount)} datasets`}
                {query.q ? ` matching “${query.q}”` : ''}
              </Typography>
              {shown.items.length === 0 ? (
                <Box sx={{ p: 4, textAlign: 'center' }}>
                  <Typography variant="h6">No dataset matches</Typography>
                  <Typography color="text.secondary">
                    Try fewer words, another spelling, or clear the filters.
                  </Typography>
                </Box>
              ) : (
                <Table
                  size="small"
                  aria-label="Datasets"
                  sx={{
                    '& th, & td:not(:first-of-type)': { whiteSpace: 'nowrap' },
                  }}
                >
                  <TableHead>
                    <TableRow>
                      <TableCell>Dataset</TableCell>
                      <TableCell>Domain</TableCell>
                      <TableCell>Owner</TableCell>
                      <TableCell>Classification</TableCell>
                      <TableCell>Quality</TableCell>
                      <TableCell align="right">Rows</TableCell>
                      <TableCell align="right">Size</TableCell>
                      <TableCell>Updated</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {shown.items.map(d => (
                      <TableRow key={d.id} hover>
                        <TableCell sx={{ maxWidth: 420 }}>
                          <EntityRefLink
                            entityRef={d.entityRef}
                            title={d.title}
                          />
                          <Typography
                            variant="caption"
                            component="div"
                            sx={{ fontFamily: 'monospace' }}
                          >
                            {d.name}
                          </Typography>
                          {d.description && (
                            <Typography
                              variant="body2"
                              color="text.secondary"
                              noWrap
                              title={d.description}
                            >
                              {d.description}
                            </Typography>
                          )}
                          {d.matchedColumns && (
                            <Box
                              sx={{
                                mt: 0.5,
                                display: 'flex',
                                gap: 0.5,
                                flexWrap: 'wrap',
                              }}
                            >
                              {d.matchedColumns.map(c => (
                                <Chip
                                  key={c}
                                  size="small"
                                  variant="outlined"
                                  label={`column: ${c}`}
                                />
                              ))}
                            </Box>
                          )}
                        </TableCell>
                        <TableCell>
                          {d.domain}
                          <Typography
                            variant="caption"
                            component="div"
                            color="text.secondary"
                          >
                            {d.layer}
                          </Typography>
                        </TableCell>
                        <TableCell>
                          {d.owner ? (
                            <EntityRefLink
                              entityRef={d.owner}
                              defaultKind="group"
                            />
                          ) : (
                            '—'
                          )}
                        </TableCell>
                        <TableCell>
                          <ClassificationChip value={d.classification} />
                        </TableCell>
                        <TableCell>
                          <GradeChip
                            grade={d.qualityGrade}
                            score={d.qualityScore}
                          />
                        </TableCell>
                        <TableCell align="right">
                          {formatCount(d.rowCount)}
                        </TableCell>
                        <TableCell align="right">
                          {formatBytes(d.sizeBytes)}
                        </TableCell>
                        <TableCell>{formatAge(d.lastModified)}</TableCell>
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
