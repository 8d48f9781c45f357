import { useApi } from '@backstage/frontend-plugin-api';
import { ErrorPanel } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  FeatureFacetName,
  ListFeaturesQuery,
  ListFeaturesResponse,
} from '@lakeport/plugin-lakehouse-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { Pager } from '../Pager';
import {
  FacetSidebar,
  FacetSpec,
  SearchControls,
  useSearchPage,
} from '../SearchPage';
import { ClassificationChip } from '../ClassificationChip';
import { GradeChip } from '../Quality/GradeChip';
import { formatAge, formatCount, shortRef } from '../format';
import { FeatureSourcesStatus } from './FeatureSourcesStatus';
import { KIND_LABELS, OwnerLink } from './featureLabels';

const PAGE_SIZE = 25;
const FACETS: Array<FacetSpec<FeatureFacetName>> = [
  { name: 'kind', title: 'Kind', label: v => KIND_LABELS[v] ?? v },
  { name: 'project', title: 'Project' },
  { name: 'entity', title: 'Entity' },
  {
    name: 'owner',
    title: 'Owner',
    label: v => (v === 'unknown' ? 'Unknown owner' : shortRef(v)),
  },
  {
    name: 'online',
    title: 'Online',
    label: v => (v === 'true' ? 'Online' : 'Offline only'),
  },
  {
    name: 'classification',
    title: 'Classification',
    label: v => (v === 'pii' ? 'PII' : v),
  },
  { name: 'grade', title: 'Source quality grade' },
];
const SORTS: Record<NonNullable<ListFeaturesQuery['sort']>, string> = {
  relevance: 'Relevance',
  name: 'Name',
  updatedAt: 'Recently changed',
  featureCount: 'Most features',
};

/** Feature views and services across registries: search as you type, facets, pages. */
export function FeaturesPage() {
  const api = useApi(lakehouseApiRef);
  const page = useSearchPage({
    facets: FACETS,
    pageSize: PAGE_SIZE,
    load: (q): Promise<ListFeaturesResponse> =>
      api.listFeatures(q as ListFeaturesQuery),
  });
  const { params, query, cursors, setCursors, shown, result } = page;
  return (
    <Box sx={{ display: 'flex', gap: 3, p: 3, alignItems: 'flex-start' }}>
      <FacetSidebar
        facets={FACETS}
        counts={shown?.facets}
        params={params}
        setFacet={page.setFacet}
      />
      <Box sx={{ flexGrow: 1, minWidth: 0 }}>
        {shown && (
          <FeatureSourcesStatus
            sources={shown.sources}
            onSynced={page.reload}
          />
        )}
        <SearchControls
          text={page.text}
          setText={page.setText}
          placeholder="Search features by name, description, entity or tag"
          label="Search features"
          sorts={SORTS}
          sort={query.sort ?? (query.q ? 'relevance' : 'name')}
          hasWords={!!query.q}
          setSort={page.setSort}
        />
        <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
          <Box sx={{ height: 4 }}>
            {result.loading && <LinearProgress aria-label="Loading features" />}
          </Box>
          {result.error && (
            <ErrorPanel title="Could not load features" error={result.error} />
          )}
          {shown && (
            <>
              <Typography
                sx={{ px: 2, pt: 1 }}
                variant="subtitle2"
                aria-live="polite"
              >
                {shown.totalCount === 1
                  ? '1 feature view or service'
                  : `${formatCount(
                      shown.totalCount,
                    )} feature views and services`}
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
                  aria-label="Features"
                  sx={{
                    '& th, & td:not(:first-of-type)': { whiteSpace: 'nowrap' },
                  }}
                >
                  <TableHead>
                    <TableRow>
                      <TableCell>Feature view or service</TableCell>
                      <TableCell>Entities</TableCell>
                      <TableCell>Owner</TableCell>
                      <TableCell>Classification</TableCell>
                      <TableCell>Source quality</TableCell>
                      <TableCell align="right">Features</TableCell>
                      <TableCell>Changed</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {shown.items.map(f => (
                      <TableRow key={f.id} hover>
                        <TableCell sx={{ maxWidth: 420 }}>
                          <EntityRefLink
                            entityRef={f.entityRef}
                            title={f.name}
                          />
                          <Typography
                            variant="caption"
                            component="div"
                            color="text.secondary"
                          >
                            {KIND_LABELS[f.type ?? f.kind] ??
                              KIND_LABELS[f.kind]}{' '}
                            · {f.project}
                            {f.online === false ? ' · offline only' : ''}
                          </Typography>
                          {f.description && (
                            <Typography
                              variant="body2"
                              color="text.secondary"
                              noWrap
                              title={f.description}
                            >
                              {f.description}
                            </Typography>
                          )}
                          {f.matchedFeatures && (
                            <Box
                              sx={{
                                mt: 0.5,
                                display: 'flex',
                                gap: 0.5,
                                flexWrap: 'wrap',
                              }}
                            >
                              {f.matchedFeatures.map(c => (
                                <Chip
                                  key={c}
                                  size="small"
                                  variant="outlined"
                                  label={`feature: ${c}`}
                                />
                              ))}
                            </Box>
                          )}
                        </TableCell>
                        <TableCell>{f.entities.join(', ') || '—'}</TableCell>
                        <TableCell>
                          <OwnerLink asset={f} />
                        </TableCell>
                        <TableCell>
                          <ClassificationChip value={f.classification} />
                        </TableCell>
                        <TableCell>
                          <GradeChip grade={f.qualityGrade} />
                        </TableCell>
                        <TableCell align="right">{f.featureCount}</TableCell>
                        <TableCell>{formatAge(f.updatedAt)}</TableCell>
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
