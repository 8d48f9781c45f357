import { useApi } from '@backstage/frontend-plugin-api';
import { ErrorPanel } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ListModelsQuery,
  ListModelsResponse,
  ModelFacetName,
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
import { FeatureSourcesStatus } from '../FeaturesPage/FeatureSourcesStatus';

const PAGE_SIZE = 25;
const FACETS: Array<FacetSpec<ModelFacetName>> = [
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
  const page = useSearchPage({
    facets: FACETS,
    pageSize: PAGE_SIZE,
    load: (q): Promise<ListModelsResponse> =>
      api.listModels(q as ListModelsQuery),
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
            syncLabel="Sync model registries now"
            onSynced={page.reload}
          />
        )}
        <SearchControls
          text={page.text}
          setText={page.setText}
          placeholder="Search models by name, description or tag"
          label="Search models"
          sorts={SORTS}
          sort={query.sort ?? (query.q ? 'relevance' : 'updatedAt')}
          hasWords={!!query.q}
          setSort={page.setSort}
        />
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
                      <TableCell>Owner</TableCell>
                      <TableCell>Training data</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {shown.items.map(m => (
                      <TableRow key={m.id} hover>
                        <TableCell sx={{ maxWidth: 290 }}>
                          <EntityRefLink
                            entityRef={m.entityRef}
                            title={m.name}
                          />
                          <Typography
                            variant="caption"
                            component="div"
                            color="text.secondary"
                          >
                            MLflow {m.server} ·{' '}
                            {m.versionCount === 1
                              ? '1 version'
                              : `${m.versionCount} versions`}
                            {m.status
                              ? ` · latest ${m.status.toLowerCase()}`
                              : ''}{' '}
                            · updated {formatAge(m.updatedAt)}
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
                        <TableCell sx={{ whiteSpace: 'nowrap' }}>
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
