import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { LineageNode } from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

/** What the graph knows about the node you clicked: the job's SQL, its last run. */
export function NodeDetails(props: { node: LineageNode }) {
  const { node } = props;
  const code = node.sql ?? node.sourceCode?.sourceCode;
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="lineage-node-details">
      <Stack spacing={1}>
        <Typography variant="subtitle1">
          {node.kind === 'job' ? 'Job' : 'Dataset'}{' '}
          {node.entityRef ? (
            <EntityRefLink
              entityRef={node.entityRef}
              title={node.title ?? node.name}
            />
          ) : (
            <b>{node.title ?? node.name}</b>
          )}
        </Typography>
        <Typography
          variant="body2"
          color="text.secondary"
          sx={{ fontFamily: 'monospace' }}
        >
          {node.id}
        </Typography>
        {node.description && (
          <Typography variant="body2">{node.description}</Typography>
        )}
        {node.owners.length > 0 && (
          <Typography variant="body2">
            Owners: {node.owners.join(', ')}
          </Typography>
        )}
        {node.latestRun && (
          <Typography variant="body2">
            Latest run {node.latestRun.runId}:{' '}
            {node.latestRun.state.toLowerCase()} at{' '}
            {new Date(node.latestRun.stateTime).toLocaleString()}
          </Typography>
        )}
        {node.latestRun?.errorMessage && (
          <Alert severity="error">{node.latestRun.errorMessage}</Alert>
        )}
        {node.fields && node.fields.length > 0 && (
          <Typography variant="body2">
            Columns: {node.fields.map(f => f.name).join(', ')}
          </Typography>
        )}
        {code && (
          <Typography
            component="pre"
            variant="body2"
            sx={{
              fontFamily: 'monospace',
              whiteSpace: 'pre-wrap',
              bgcolor: 'action.hover',
              p: 1,
              m: 0,
              maxHeight: 240,
              overflow: 'auto',
            }}
          >
            {code}
          </Typography>
        )}
      </Stack>
    </Paper>
  );
}
