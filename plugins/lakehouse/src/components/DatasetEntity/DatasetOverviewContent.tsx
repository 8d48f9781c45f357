import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  DatasetDetail,
  isStreamNamespace,
} from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { Link as RouterLink } from 'react-router-dom';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import { ReactNode } from 'react';
import { ClassificationChip } from '../ClassificationChip';
import { formatAge, formatBytes, formatCount } from '../format';
import { templateLink } from '../templateLink';
import { DatasetStates } from './DatasetStates';
import { StreamCard } from './StreamCard';
import { useDataset } from './useDataset';

function Fact(props: { label: string; children: ReactNode }) {
  return (
    <Box sx={{ mb: 1.5 }}>
      <Typography variant="overline" color="text.secondary" component="div">
        {props.label}
      </Typography>
      <Typography component="div">{props.children}</Typography>
    </Box>
  );
}

function Freshness({ dataset }: { dataset: DatasetDetail }) {
  const f = dataset.freshness;
  if (!f) return <>No freshness SLA in the contract</>;
  const colors = {
    fresh: 'success',
    stale: 'error',
    unknown: 'default',
  } as const;
  const color = colors[f.status];
  return (
    <Box
      sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}
    >
      <Chip size="small" color={color} label={f.status} />
      <span>
        {f.ageHours !== undefined ? `${f.ageHours} h old` : 'age unknown'} · SLA{' '}
        {f.slaHours < 1
          ? `${Math.round(f.slaHours * 60)} min`
          : `${f.slaHours} h`}{' '}
        · measured on {f.measuredOn}
      </span>
    </Box>
  );
}

/** What a user can start from a dataset: pipelines and notebooks for tables, streaming pipelines for topics. */
function StartButtons({ dataset }: { dataset: DatasetDetail }) {
  if (isStreamNamespace(dataset.namespace))
    return (
      <Button
        variant="outlined"
        component={RouterLink}
        to={templateLink('streaming-pipeline', { topic: dataset.id })}
      >
        Build a streaming pipeline from this
      </Button>
    );
  return (
    <>
      <Button
        variant="outlined"
        component={RouterLink}
        to={templateLink('governed-batch-pipeline', {
          inputs: [dataset.id],
        })}
      >
        Build a pipeline from this
      </Button>
      <Button
        variant="outlined"
        component={RouterLink}
        to={templateLink('lakehouse-notebook', {
          datasets: [dataset.id],
        })}
      >
        Open in a notebook
      </Button>
    </>
  );
}

function Overview({ dataset }: { dataset: DatasetDetail }) {
  const stream = isStreamNamespace(dataset.namespace);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={8}>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="h5" gutterBottom>
              {dataset.title}{' '}
              <ClassificationChip
                value={dataset.classification}
                size="medium"
              />
            </Typography>
            <Typography
              sx={{ fontFamily: 'monospace' }}
              color="text.secondary"
              gutterBottom
            >
              {dataset.id}
            </Typography>
            {dataset.status === 'removed' && (
              <Alert severity="warning" sx={{ my: 1 }}>
                This{' '}
                {stream
                  ? 'topic is no longer in its cluster'
                  : 'table is no longer in the lakehouse'}{' '}
                (removed {formatAge(dataset.removedAt)}).
              </Alert>
            )}
            <Typography paragraph>
              {dataset.description ??
                'No description: add one to the data contract.'}
            </Typography>
            {dataset.contract?.usage && (
              <Fact label="Usage">{dataset.contract.usage}</Fact>
            )}
            {dataset.contract?.limitations && (
              <Fact label="Limitations">{dataset.contract.limitations}</Fact>
            )}
            <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
              {dataset.tags.map(t => (
                <Chip key={t} size="small" label={t} />
              ))}
            </Box>
            {dataset.status !== 'removed' && (
              <Box sx={{ display: 'flex', gap: 1, mt: 2 }}>
                <StartButtons dataset={dataset} />
              </Box>
            )}
          </CardContent>
        </Card>
        {dataset.contractProblems.length > 0 && (
          <Alert severity="error" sx={{ mt: 2 }}>
            The data contract has problems and was not applied:
            <ul>
              {dataset.contractProblems.map((p, i) => (
                <li key={i}>
                  {p.file} at <code>{p.field}</code>: {p.message}
                </li>
              ))}
            </ul>
          </Alert>
        )}
        {stream && dataset.status !== 'removed' && (
          <StreamCard datasetId={dataset.id} />
        )}
      </Grid>
      <Grid item xs={12} md={4}>
        <Card variant="outlined">
          <CardContent>
            <Fact label="Owner">
              {dataset.owner ? (
                <EntityRefLink entityRef={dataset.owner} defaultKind="group" />
              ) : (
                'No owner: the table has no contract'
              )}
            </Fact>
            <Fact label="Domain · layer">
              {dataset.domain ?? '—'} · {dataset.layer ?? '—'}
            </Fact>
            <Fact label="Freshness">
              <Freshness dataset={dataset} />
            </Fact>
            {!stream && (
              <>
                <Fact label="Rows">{formatCount(dataset.stats.rowCount)}</Fact>
                <Fact label="Size">
                  {formatBytes(dataset.stats.sizeBytes)} in{' '}
                  {dataset.stats.fileCount ?? '?'} files
                </Fact>
              </>
            )}
            {dataset.stats.partitionColumns.length > 0 && (
              <Fact label="Partitions">
                {dataset.stats.partitionCount} by{' '}
                {dataset.stats.partitionColumns.join(', ')}; newest{' '}
                <code>{dataset.stats.latestPartition}</code>
              </Fact>
            )}
            {!stream && (
              <Fact label="Last modified">
                {formatAge(dataset.stats.lastModified)}
              </Fact>
            )}
            <Fact label="Contract">
              {dataset.contract
                ? `${dataset.contract.file} (v${dataset.contract.version}, ${dataset.contract.status})`
                : 'none'}
            </Fact>
          </CardContent>
        </Card>
      </Grid>
    </Grid>
  );
}

/** The "Dataset" tab: what it is, who owns it, how fresh and big it is. */
export function DatasetOverviewContent() {
  const state = useDataset();
  return (
    <DatasetStates {...state}>
      {() => <Overview dataset={state.value!} />}
    </DatasetStates>
  );
}
