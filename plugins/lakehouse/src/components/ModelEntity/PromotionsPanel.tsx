import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/frontend-plugin-api';
import { ErrorPanel, Progress } from '@backstage/core-components';
import {
  ModelDetail,
  ModelPromotion,
  PromotionGate,
} from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { errorMessage, formatAge, shortRef } from '../format';

const GATE_COLORS: Record<
  PromotionGate['result'],
  'success' | 'error' | 'warning'
> = {
  passed: 'success',
  failed: 'error',
  pending: 'warning',
};

const STATUS_LABELS: Record<ModelPromotion['status'], string> = {
  pending: 'Waiting for the owners',
  'awaiting-steward': 'Waiting for a steward',
  approved: 'Approved, setting the alias',
  promoted: 'Done',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

export function GateList({ gates }: { gates: PromotionGate[] }) {
  return (
    <Stack spacing={0.5} aria-label="Gates" role="list">
      {gates.map(g => (
        <Stack
          key={g.id}
          direction="row"
          spacing={1}
          alignItems="center"
          role="listitem"
        >
          <Chip size="small" color={GATE_COLORS[g.result]} label={g.result} />
          <Typography variant="body2">
            <strong>{g.title}</strong>: {g.detail}
          </Typography>
        </Stack>
      ))}
    </Stack>
  );
}

/** Ask for a promotion, decide open ones, and read the history with its audit. */
export function PromotionsPanel(props: {
  model: ModelDetail;
  onChange: () => void;
}) {
  const api = useApi(lakehouseApiRef);
  const { model } = props;
  const [generation, setGeneration] = useState(0);
  const [asking, setAsking] = useState(false);
  const [message, setMessage] = useState<{
    severity: 'error' | 'info';
    text: string;
  }>();
  const promotions = useAsync(
    () => api.getModelPromotions(model.id),
    [api, model.id, generation],
  );
  const refresh = () => {
    setGeneration(g => g + 1);
    props.onChange();
  };
  const act = async (
    what: () => Promise<ModelPromotion>,
    done: (p: ModelPromotion) => string,
  ) => {
    try {
      const p = await what();
      setMessage({ severity: 'info', text: done(p) });
      refresh();
    } catch (e) {
      setMessage({ severity: 'error', text: errorMessage(e) });
    }
  };
  if (promotions.loading && !promotions.value) return <Progress />;
  if (promotions.error)
    return (
      <ErrorPanel title="Could not load promotions" error={promotions.error} />
    );
  const items = promotions.value?.items ?? [];
  const open = items.filter(p =>
    ['pending', 'awaiting-steward', 'approved'].includes(p.status),
  );
  const closed = items.filter(p => !open.includes(p));
  return (
    <Stack spacing={2} sx={{ p: 2 }}>
      <Stack direction="row" spacing={2} alignItems="center">
        <Button variant="contained" onClick={() => setAsking(true)}>
          Ask for a promotion
        </Button>
        <Typography variant="body2" color="text.secondary">
          Governed aliases (
          {model.aliasStates
            .filter(a => a.governed)
            .map(a => a.alias)
            .join(', ') || 'champion, production'}
          ) move only through an approved promotion.
        </Typography>
      </Stack>
      {message && (
        <Alert
          severity={message.severity}
          role="status"
          onClose={() => setMessage(undefined)}
        >
          {message.text}
        </Alert>
      )}
      <Typography variant="h6">Open</Typography>
      {open.length === 0 && (
        <Typography color="text.secondary">No open promotions.</Typography>
      )}
      {open.map(p => (
        <OpenPromotion
          key={p.id}
          promotion={p}
          onDecide={(decision, comment, overrideReason) =>
            act(
              () =>
                api.decidePromotion(p.id, {
                  decision,
                  comment,
                  overrideReason,
                }),
              r =>
                `${model.name}@${r.alias} → v${r.version}: ${
                  STATUS_LABELS[r.status]
                }${r.lastError ? ` (${r.lastError})` : ''}`,
            )
          }
          onCancel={() =>
            act(
              () => api.cancelPromotion(p.id),
              () => 'Promotion cancelled',
            )
          }
          onRetry={() =>
            act(
              () => api.retryPromotion(p.id),
              r =>
                r.status === 'promoted'
                  ? `${model.name}@${r.alias} now points at version ${r.version}`
                  : `Still not set: ${r.lastError}`,
            )
          }
        />
      ))}
      <Typography variant="h6">History</Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        {closed.length === 0 && (
          <Typography color="text.secondary">
            No decided promotions yet.
          </Typography>
        )}
        <Stack spacing={1}>
          {closed.map(p => (
            <Typography key={p.id} variant="body2">
              <strong>
                {p.kind === 'revert' ? 'Moved back' : 'Promotion'} {p.alias} → v
                {p.version || '(unset)'}
              </strong>{' '}
              · {STATUS_LABELS[p.status]} · asked by {shortRef(p.requestedBy)}{' '}
              {formatAge(p.requestedAt)}
              {p.decidedBy ? ` · decided by ${shortRef(p.decidedBy)}` : ''}
              {p.stewardBy ? ` · signed off by ${shortRef(p.stewardBy)}` : ''}
              {p.overrideReason
                ? ` · gates overridden: ${p.overrideReason}`
                : ''}
            </Typography>
          ))}
        </Stack>
      </Paper>
      <Typography variant="h6">Audit</Typography>
      <Paper variant="outlined" sx={{ p: 2 }} aria-label="Alias audit">
        <Stack spacing={0.5}>
          {(promotions.value?.audit ?? []).map((a, i) => (
            <Typography key={i} variant="body2">
              {new Date(a.at).toLocaleString()} · {shortRef(a.actor)} ·{' '}
              {a.action}
              {a.alias ? ` · ${a.alias}` : ''}
              {a.version ? ` → v${a.version}` : ''}
              {a.detail ? ` · ${a.detail}` : ''}
            </Typography>
          ))}
        </Stack>
      </Paper>
      <AskDialog
        model={model}
        open={asking}
        onClose={() => setAsking(false)}
        onAsked={p => {
          setAsking(false);
          setMessage({
            severity: 'info',
            text: `Asked to point ${p.alias} at version ${p.version}; the owners decide.`,
          });
          refresh();
        }}
      />
    </Stack>
  );
}

function OpenPromotion(props: {
  promotion: ModelPromotion;
  onDecide: (
    decision: 'approve' | 'reject',
    comment?: string,
    overrideReason?: string,
  ) => void;
  onCancel: () => void;
  onRetry: () => void;
}) {
  const p = props.promotion;
  const [comment, setComment] = useState('');
  const [override, setOverride] = useState('');
  const failed = p.gates.some(g => g.result === 'failed');
  return (
    <Paper
      variant="outlined"
      sx={{ p: 2 }}
      aria-label={`Promotion of ${p.alias} to version ${p.version}`}
    >
      <Stack spacing={1}>
        <Typography>
          <strong>
            {p.alias} → version {p.version}
          </strong>{' '}
          (now {p.fromVersion ? `v${p.fromVersion}` : 'unset'}) · asked by{' '}
          {shortRef(p.requestedBy)} {formatAge(p.requestedAt)} ·{' '}
          {STATUS_LABELS[p.status]}
        </Typography>
        <Typography variant="body2">Reason: {p.reason}</Typography>
        <GateList gates={p.gates} />
        {p.lastError && (
          <Alert
            severity="warning"
            action={
              <Button size="small" onClick={props.onRetry}>
                Retry now
              </Button>
            }
          >
            MLflow could not be updated yet ({p.attempts} attempts):{' '}
            {p.lastError}. Lakeport retries every 30 seconds.
          </Alert>
        )}
        {p.status !== 'approved' && (
          <Stack
            direction="row"
            spacing={1}
            alignItems="center"
            flexWrap="wrap"
          >
            <TextField
              size="small"
              label="Comment"
              value={comment}
              onChange={e => setComment(e.target.value)}
            />
            {failed && p.status === 'pending' && (
              <TextField
                size="small"
                label="Override reason (owners, audited)"
                value={override}
                onChange={e => setOverride(e.target.value)}
                sx={{ minWidth: 280 }}
              />
            )}
            <Button
              variant="contained"
              onClick={() =>
                props.onDecide(
                  'approve',
                  comment || undefined,
                  override || undefined,
                )
              }
            >
              {p.status === 'awaiting-steward' ? 'Sign off' : 'Approve'}
            </Button>
            <Button
              color="error"
              onClick={() => props.onDecide('reject', comment || undefined)}
            >
              Reject
            </Button>
            <Button onClick={props.onCancel}>Cancel my request</Button>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function AskDialog(props: {
  model: ModelDetail;
  open: boolean;
  onClose: () => void;
  onAsked: (p: ModelPromotion) => void;
}) {
  const api = useApi(lakehouseApiRef);
  const governed = [
    ...new Set([
      ...props.model.aliasStates.filter(a => a.governed).map(a => a.alias),
      'champion',
      'production',
    ]),
  ];
  const [alias, setAlias] = useState(governed[0]);
  const [version, setVersion] = useState(props.model.latestVersion ?? '');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const submit = async () => {
    try {
      props.onAsked(
        await api.requestPromotion(props.model.id, { alias, version, reason }),
      );
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>Ask for a promotion of {props.model.name}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField
            select
            label="Alias"
            value={alias}
            onChange={e => setAlias(e.target.value)}
          >
            {governed.map(a => (
              <MenuItem key={a} value={a}>
                {a}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            label="Version"
            value={version}
            onChange={e => setVersion(e.target.value)}
          >
            {props.model.versions.map(v => (
              <MenuItem key={v.version} value={v.version}>
                v{v.version}
                {v.aliases.length ? ` (${v.aliases.join(', ')})` : ''}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="Reason"
            multiline
            minRows={2}
            value={reason}
            onChange={e => setReason(e.target.value)}
            helperText="Why this version: the owners read it, the audit keeps it."
          />
          {error && <Alert severity="error">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button variant="contained" onClick={submit}>
          Ask
        </Button>
      </DialogActions>
    </Dialog>
  );
}
