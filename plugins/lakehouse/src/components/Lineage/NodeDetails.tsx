import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { LineageNode } from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

/** What the graph knows about the node you clicked: the job's SQL, its last run. */
export function NodeDetails(props: { node: LineageNode }) {
  const { node } = props;
  const code = node.sql ?? node.sourceCode?.sourceCode;
  // What the producer sent that was not interpreted, here and in child jobs.
  const problems = [
    ...new Set([
      ...(node.latestRun?.problems ?? []),
      ...(node.children ?? []).flatMap(c => c.latestRun?.problems ?? []),
    ]),
  ];
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
        {node.parent && (
          <Typography variant="body2">
            Part of <b>{node.parent.name}</b>
            {node.parent.latestRun &&
              ` (${node.parent.latestRun.state.toLowerCase()})`}
          </Typography>
        )}
        {node.unfinished && (
          <Typography variant="body2" color="text.secondary">
            Never completed and wrote nothing (for example a Spark schema read).
          </Typography>
        )}
        {node.children && node.children.length > 0 && (
          <Stack spacing={0.5} data-testid="lineage-node-children">
            <Typography variant="body2">
              Child jobs ({node.children.length}):
            </Typography>
            {node.children.map(child => (
              <Typography
                key={child.id}
                variant="body2"
                sx={{ pl: 2 }}
                title={child.id}
              >
                {child.title}
                {child.latestRun
                  ? ` · ${child.latestRun.state.toLowerCase()}`
                  : ''}
                {child.unfinished ? ' · never finished' : ''}
              </Typography>
            ))}
          </Stack>
        )}
        {problems.length > 0 && (
          <Alert severity="warning" data-testid="lineage-node-problems">
            Received but not interpreted (kept as sent):
            <Box component="ul" sx={{ m: 0, pl: 2 }}>
              {problems.map(p => (
                <li key={p}>{p}</li>
              ))}
            </Box>
          </Alert>
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
