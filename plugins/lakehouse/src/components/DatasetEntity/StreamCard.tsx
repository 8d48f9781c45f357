import { useApi } from '@backstage/frontend-plugin-api';
import { DatasetStreamView } from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { formatAge, formatCount } from '../format';

function retention(ms?: number): string {
  if (ms === undefined) return '—';
  if (ms < 0) return 'kept forever';
  const hours = ms / 3_600_000;
  return hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} hours`;
}

/** Each partition's lag as a bar, scaled to the largest lag of the group. */
function PartitionLag({ lag }: { lag: DatasetStreamView['consumers'][0] }) {
  const max = Math.max(1, ...lag.partitionLag.map(p => p.lag));
  return (
    <Box sx={{ display: 'grid', gap: 0.5, minWidth: 160 }}>
      {lag.partitionLag.map(p => (
        <Tooltip
          key={p.partition}
          title={`partition ${p.partition}: ${formatCount(p.lag)} behind`}
        >
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
            <Typography variant="caption" sx={{ width: 24 }}>
              p{p.partition}
            </Typography>
            <LinearProgress
              variant="determinate"
              value={(p.lag / max) * 100}
              color={lag.keepingUp ? 'primary' : 'warning'}
              sx={{ flex: 1, height: 8, borderRadius: 1 }}
            />
          </Box>
        </Tooltip>
      ))}
    </Box>
  );
}

function Stream({ stream }: { stream: DatasetStreamView }) {
  return (
    <>
      {stream.sourceError && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          {stream.kind} did not answer the last refresh (
          {formatAge(stream.sourceError.at)}): {stream.sourceError.message}.
          Figures are from {formatAge(stream.refreshedAt ?? stream.observedAt)}.
        </Alert>
      )}
      <Box sx={{ display: 'flex', gap: 4, flexWrap: 'wrap', mb: 2 }}>
        {[
          ['Partitions', String(stream.partitions)],
          ['Replication', String(stream.replicationFactor ?? '—')],
          ['Retention', retention(stream.retentionMs)],
          ['Messages retained', formatCount(stream.messages)],
          ['Refreshed', formatAge(stream.refreshedAt ?? stream.observedAt)],
        ].map(([label, value]) => (
          <Box key={label}>
            <Typography variant="overline" color="text.secondary">
              {label}
            </Typography>
            <Typography>{value}</Typography>
          </Box>
        ))}
      </Box>
      {stream.consumers.length === 0 ? (
        <Typography color="text.secondary">
          No consumer group has committed offsets on this topic yet.
        </Typography>
      ) : (
        <Table size="small" aria-label="Consumer groups">
          <TableHead>
            <TableRow>
              <TableCell>Consumer group</TableCell>
              <TableCell>State</TableCell>
              <TableCell align="right">Members</TableCell>
              <TableCell align="right">Lag</TableCell>
              <TableCell>Lag by partition</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {stream.consumers.map(c => (
              <TableRow key={c.group}>
                <TableCell sx={{ fontFamily: 'monospace' }}>
                  {c.group}
                </TableCell>
                <TableCell>{c.state}</TableCell>
                <TableCell align="right">{c.members}</TableCell>
                <TableCell align="right">
                  <Chip
                    size="small"
                    color={c.keepingUp ? 'success' : 'warning'}
                    label={`${formatCount(c.lag)} · ${
                      c.keepingUp ? 'keeping up' : 'behind'
                    }`}
                  />
                </TableCell>
                <TableCell>
                  <PartitionLag lag={c} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}

/** What the streaming cluster says of a topic dataset, and whether its consumers keep up. */
export function StreamCard({ datasetId }: { datasetId: string }) {
  const api = useApi(lakehouseApiRef);
  const state = useAsync(
    () => api.getDatasetStream(datasetId),
    [api, datasetId],
  );
  return (
    <Card variant="outlined" sx={{ mt: 2 }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Stream
        </Typography>
        {state.loading && <LinearProgress />}
        {state.error && (
          <Alert severity="error">
            Could not read the stream: {state.error.message}
          </Alert>
        )}
        {state.value && <Stream stream={state.value} />}
      </CardContent>
    </Card>
  );
}
