import { useApi } from '@backstage/frontend-plugin-api';
import { ErrorPanel, Progress } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Alert from '@mui/material/Alert';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { lakehouseApiRef } from '../../api/LakehouseApi';

/** Everything downstream of an asset, with owners: whom to warn. */
export function ImpactView(props: { node: string }) {
  const api = useApi(lakehouseApiRef);
  const { value, loading, error } = useAsync(
    () => api.getImpact(props.node),
    [api, props.node],
  );
  if (loading) return <Progress />;
  if (error)
    return <ErrorPanel title="Could not load the impact" error={error} />;
  if (!value) return null;
  const datasets = value.items.filter(i => i.kind === 'dataset');
  return (
    <Stack spacing={2}>
      <Typography>
        A change here reaches <b>{datasets.length}</b> downstream datasets
        through {value.items.length - datasets.length} jobs.
      </Typography>
      {value.truncated && (
        <Alert severity="warning">
          More lies downstream than is listed here.
        </Alert>
      )}
      {value.owners.length > 0 && (
        <Stack
          direction="row"
          spacing={1}
          flexWrap="wrap"
          useFlexGap
          data-testid="impact-owners"
        >
          <Typography variant="body2" sx={{ mr: 1 }}>
            Owners to warn:
          </Typography>
          {value.owners.map(o => (
            <Chip
              key={o.owner}
              size="small"
              label={`${o.owner.replace(/^group:default\//, '')} · ${o.count}`}
            />
          ))}
        </Stack>
      )}
      <Paper variant="outlined">
        <Table size="small" aria-label="downstream assets">
          <TableHead>
            <TableRow>
              <TableCell>Distance</TableCell>
              <TableCell>Asset</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>Owner</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.items.length === 0 && (
              <TableRow>
                <TableCell colSpan={4}>
                  Nothing downstream is recorded.
                </TableCell>
              </TableRow>
            )}
            {value.items.map(item => (
              <TableRow key={item.id}>
                <TableCell>{item.distance}</TableCell>
                <TableCell>
                  {item.entityRef ? (
                    <EntityRefLink
                      entityRef={item.entityRef}
                      title={item.title ?? item.name}
                    />
                  ) : (
                    <span title={item.id}>{item.title ?? item.name}</span>
                  )}
                </TableCell>
                <TableCell>{item.kind}</TableCell>
                <TableCell>
                  {item.owner ? (
                    <EntityRefLink entityRef={item.owner} defaultKind="group" />
                  ) : (
                    item.owners.join(', ') || '—'
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
    </Stack>
  );
}
