import { ErrorPanel, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  lakehouseQualityRunPermission,
  MASKED_VALUE,
  QualityRun,
  QualityScorecard,
  ScorecardCheck,
} from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Collapse from '@mui/material/Collapse';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { Fragment, lazy, Suspense, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { DatasetStates } from '../DatasetEntity/DatasetStates';
import { useAssetId } from '../DatasetEntity/useDataset';
import { errorMessage, formatAge } from '../format';
import { GradeChip, HealthChip } from './GradeChip';

// recharts loads with the tab's charts, not with the first page.
const ScoreTrendChart = lazy(() =>
  import('./QualityCharts').then(m => ({ default: m.ScoreTrendChart })),
);
const CheckSparkline = lazy(() =>
  import('./QualityCharts').then(m => ({ default: m.CheckSparkline })),
);

const STATUS_COLORS = {
  passed: 'success',
  failed: 'error',
  error: 'default',
} as const;

function cell(value: unknown) {
  if (value === null || value === undefined) return <em>null</em>;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** "Run checks" with the run's progress, then the fresh scorecard. */
function useRunChecks(datasetId: string, onDone: () => void) {
  const api = useApi(lakehouseApiRef);
  const [run, setRun] = useState<QualityRun>();
  const [error, setError] = useState<Error>();
  const active = run && (run.status === 'queued' || run.status === 'running');
  useEffect(() => {
    if (!active) return undefined;
    const timer = setTimeout(async () => {
      try {
        const next = await api.getQualityRun(run!.id);
        setRun(next);
        if (next.status === 'completed' || next.status === 'failed') onDone();
      } catch (e) {
        setError(e as Error);
      }
    }, 700);
    return () => clearTimeout(timer);
  }, [api, run, active, onDone]);
  const start = async () => {
    setError(undefined);
    try {
      const { id } = await api.startQualityRun(datasetId);
      setRun(await api.getQualityRun(id));
    } catch (e) {
      setError(e as Error);
    }
  };
  return { run, active, error, start };
}

function Samples({
  sample,
}: {
  sample: NonNullable<ScorecardCheck['sample']>;
}) {
  return (
    <Paper variant="outlined" sx={{ overflowX: 'auto', mt: 1 }}>
      <Table size="small" aria-label="Offending rows">
        <TableHead>
          <TableRow>
            {sample.columns.map(c => (
              <TableCell key={c} sx={{ whiteSpace: 'nowrap' }}>
                {c}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {sample.rows.map((row, i) => (
            <TableRow key={i}>
              {sample.columns.map(c => (
                <TableCell key={c} sx={{ whiteSpace: 'nowrap' }}>
                  {row[c] === MASKED_VALUE ? (
                    <Chip size="small" label="masked" />
                  ) : (
                    cell(row[c])
                  )}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}

function Acknowledge(props: {
  datasetId: string;
  check: ScorecardCheck;
  onDone: () => void;
}) {
  const api = useApi(lakehouseApiRef);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<Error>();
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await api.acknowledgeCheck(props.datasetId, props.check.checkId, comment);
      setComment('');
      props.onDone();
    } catch (e) {
      setError(e as Error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Stack direction="row" spacing={1} sx={{ mt: 1 }} alignItems="flex-start">
      <TextField
        size="small"
        label="Acknowledge with a comment"
        placeholder="e.g. known issue, fix ships Monday (TICKET-42)"
        value={comment}
        onChange={e => setComment(e.target.value)}
        sx={{ flex: 1 }}
        error={!!error}
        helperText={error && errorMessage(error)}
      />
      <Button
        variant="outlined"
        disabled={!comment.trim() || saving}
        onClick={save}
      >
        Acknowledge
      </Button>
    </Stack>
  );
}

function CheckRow(props: {
  datasetId: string;
  check: ScorecardCheck;
  mayAcknowledge: boolean;
  onChange: () => void;
}) {
  const { check } = props;
  const [open, setOpen] = useState(check.status === 'failed' && !!check.sample);
  const observed =
    check.observed === undefined ? '' : `observed ${cell(check.observed)}`;
  return (
    <Fragment>
      <TableRow hover data-testid={`check-${check.checkId}`}>
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            aria-label={open ? 'hide details' : 'show details'}
            onClick={() => setOpen(!open)}
          >
            {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
          </IconButton>
        </TableCell>
        <TableCell>
          <Chip
            size="small"
            color={STATUS_COLORS[check.status]}
            label={check.status}
          />
        </TableCell>
        <TableCell>
          <Typography variant="body2">{check.name}</Typography>
          <Typography variant="caption" color="text.secondary">
            {check.source === 'lakeport'
              ? check.definedIn &&
                `${check.definedIn.file} · ${check.definedIn.field}`
              : `imported from ${check.source.replace('_', ' ')}`}
          </Typography>
          {check.acknowledgement && (
            <Typography variant="caption" display="block" color="warning.main">
              Acknowledged by{' '}
              {check.acknowledgement.actor.replace(/^user:default\//, '')}{' '}
              {formatAge(check.acknowledgement.createdAt)}: “
              {check.acknowledgement.comment}”
            </Typography>
          )}
        </TableCell>
        <TableCell>{check.dimension}</TableCell>
        <TableCell>{check.severity}</TableCell>
        <TableCell sx={{ maxWidth: 260 }}>
          <Typography variant="body2" noWrap title={check.expectation}>
            {check.expectation}
          </Typography>
          <Typography variant="caption" color="text.secondary">
            {check.failingRows !== undefined &&
            check.failingRows === check.observed
              ? `${check.failingRows} rows`
              : `${observed}${
                  check.failingRows ? ` · ${check.failingRows} rows` : ''
                }`}
          </Typography>
        </TableCell>
        <TableCell align="right">
          {check.pointsLost ? `−${check.pointsLost}` : ''}
        </TableCell>
        <TableCell>
          <Suspense fallback={null}>
            <CheckSparkline history={check.history} />
          </Suspense>
        </TableCell>
      </TableRow>
      <TableRow>
        <TableCell
          colSpan={8}
          sx={{ py: 0, borderBottom: open ? undefined : 0 }}
        >
          <Collapse in={open} unmountOnExit>
            {/* Zero width, full width: a wide sample scrolls instead of widening the table. */}
            <Box sx={{ py: 1.5, width: 0, minWidth: '100%' }}>
              {check.message && (
                <Typography variant="body2" sx={{ mb: 1 }}>
                  {check.message}
                </Typography>
              )}
              {check.sample && (
                <>
                  <Typography variant="subtitle2">
                    Offending rows (a sample, masked like the preview)
                  </Typography>
                  <Samples sample={check.sample} />
                </>
              )}
              {check.status !== 'passed' && props.mayAcknowledge && (
                <Acknowledge
                  datasetId={props.datasetId}
                  check={check}
                  onDone={props.onChange}
                />
              )}
            </Box>
          </Collapse>
        </TableCell>
      </TableRow>
    </Fragment>
  );
}

function Scorecard(props: {
  datasetId: string;
  card: QualityScorecard;
  reload: () => void;
}) {
  const { card, datasetId, reload } = props;
  const { allowed } = usePermission({
    permission: lakehouseQualityRunPermission,
    resourceRef: datasetId,
  });
  const runner = useRunChecks(datasetId, reload);
  const lastRun = runner.run ?? card.lastRun;
  return (
    <Stack spacing={2}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Stack direction="row" spacing={3} alignItems="center" flexWrap="wrap">
          <GradeChip grade={card.grade} size="medium" />
          <Box>
            <Typography variant="h5" component="p">
              {card.score === undefined
                ? 'No score yet'
                : `${card.score} / 100`}
            </Typography>
            <Stack direction="row" spacing={1} alignItems="center">
              <HealthChip health={card.health} />
              {card.healthSince && (
                <Typography variant="body2" color="text.secondary">
                  since {new Date(card.healthSince).toLocaleString()}
                </Typography>
              )}
            </Stack>
          </Box>
          <Box sx={{ flex: 1 }}>
            {lastRun && (
              <Typography variant="body2" color="text.secondary">
                Last run {lastRun.trigger} ({lastRun.source.replace('_', ' ')}),{' '}
                {lastRun.status}
                {lastRun.finishedAt ? ` ${formatAge(lastRun.finishedAt)}` : ''}
              </Typography>
            )}
            {card.schedule && (
              <Typography variant="body2" color="text.secondary">
                Scheduled {card.schedule.cron} (UTC)
                {card.schedule.nextRunAt &&
                  `, next ${new Date(
                    card.schedule.nextRunAt,
                  ).toLocaleString()}`}
              </Typography>
            )}
          </Box>
          <Button
            variant="contained"
            onClick={runner.start}
            disabled={!allowed || runner.active}
            title={
              allowed ? undefined : 'Only owners of this dataset run its checks'
            }
          >
            Run checks
          </Button>
        </Stack>
        {runner.active && (
          <Box sx={{ mt: 2 }} aria-label="run progress">
            <Typography variant="body2">
              {runner.run!.status === 'queued' ? 'Queued…' : 'Running checks…'}{' '}
              {Math.round(runner.run!.progress * 100)}%
            </Typography>
            <LinearProgress
              variant="determinate"
              value={runner.run!.progress * 100}
            />
          </Box>
        )}
        {runner.run?.status === 'failed' && (
          <Alert severity="error" sx={{ mt: 2 }}>
            The run failed: {runner.run.error}
          </Alert>
        )}
        {runner.error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {errorMessage(runner.error)}
          </Alert>
        )}
      </Paper>

      {card.dimensions.length > 0 && (
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
          <Paper variant="outlined" sx={{ p: 2, flex: 1 }}>
            <Typography variant="subtitle1" gutterBottom>
              Dimensions
            </Typography>
            {card.dimensions.map(d => (
              <Box key={d.dimension} sx={{ mb: 1 }}>
                <Stack direction="row" justifyContent="space-between">
                  <Typography variant="body2">
                    {d.dimension} ({d.checks} check{d.checks === 1 ? '' : 's'}
                    {d.failed ? `, ${d.failed} failed` : ''})
                  </Typography>
                  <Typography variant="body2">
                    {d.points} of {d.weight} points
                  </Typography>
                </Stack>
                <LinearProgress
                  variant="determinate"
                  value={d.score}
                  color={d.failed ? 'error' : 'success'}
                  aria-label={`${d.dimension} ${d.score}%`}
                />
              </Box>
            ))}
          </Paper>
          <Paper variant="outlined" sx={{ p: 2, flex: 2 }}>
            <Typography variant="subtitle1" gutterBottom>
              Score over time
            </Typography>
            <Suspense fallback={<Progress />}>
              <ScoreTrendChart history={card.history} />
            </Suspense>
          </Paper>
        </Stack>
      )}

      <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Checks">
          <TableHead>
            <TableRow sx={{ '& th': { whiteSpace: 'nowrap' } }}>
              <TableCell padding="checkbox" />
              <TableCell>Status</TableCell>
              <TableCell>Check</TableCell>
              <TableCell>Dimension</TableCell>
              <TableCell>Severity</TableCell>
              <TableCell>Rule</TableCell>
              <TableCell align="right">Points</TableCell>
              <TableCell>History</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {card.checks.map(check => (
              <CheckRow
                key={check.checkId}
                datasetId={datasetId}
                check={check}
                mayAcknowledge={allowed}
                onChange={reload}
              />
            ))}
          </TableBody>
        </Table>
      </Paper>
    </Stack>
  );
}

/** Quality tab of dataset pages: grade, dimensions, trend, checks. */
export function QualityContent() {
  const api = useApi(lakehouseApiRef);
  const id = useAssetId();
  const state = useAsyncRetry(
    async () => (id ? api.getScorecard(id) : undefined),
    [api, id],
  );
  // Keeps the page while it reloads after a run or an acknowledgement.
  const [kept, setKept] = useState<QualityScorecard>();
  useEffect(() => {
    if (state.value) setKept(state.value);
  }, [state.value]);
  const card = state.value ?? kept;
  if (state.error)
    return (
      <ErrorPanel title="Could not load the scorecard" error={state.error} />
    );
  return (
    <DatasetStates id={id} loading={!card}>
      {() =>
        card!.checks.length === 0 && !card!.lastRun ? (
          <Alert severity="info">
            No checks yet. Add quality rules to this dataset's data contract
            (ODCS <code>quality</code>), or import Great Expectations or Soda
            results.
          </Alert>
        ) : (
          <Scorecard datasetId={id!} card={card!} reload={state.retry} />
        )
      }
    </DatasetStates>
  );
}
