import { useApi } from '@backstage/frontend-plugin-api';
import { ColumnClassification } from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { lakehouseApiRef } from '../../api/LakehouseApi';

/**
 * A steward's confirmation that a column lineage derives as sensitive is
 * not: shown to everyone, given and revoked by stewards (the backend checks
 * `lakehouse.classification.confirm`; `canConfirm` only hides the buttons).
 */
export function ClassificationConfirmation(props: {
  datasetId: string;
  value?: ColumnClassification;
  canConfirm: boolean;
  onChange: () => void;
}) {
  const { value: c, canConfirm, datasetId } = props;
  const api = useApi(lakehouseApiRef);
  const [open, setOpen] = useState<'confirm' | 'revoke'>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!c) return null;
  const confirmation = c.confirmation;
  if (!confirmation && !(c.status === 'derived' && canConfirm)) return null;

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (open === 'confirm') {
        await api.confirmNotSensitive({ datasetId, column: c.column, reason });
      } else if (confirmation) {
        await api.revokeConfirmation(confirmation.id, reason || undefined);
      }
      setOpen(undefined);
      setReason('');
      props.onChange();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {confirmation && (
        <Tooltip
          title={`${confirmation.confirmedBy} confirmed on ${new Date(
            confirmation.confirmedAt,
          ).toLocaleString()}: ${confirmation.reason}`}
        >
          <Chip
            size="small"
            variant="outlined"
            color="info"
            label="steward: not sensitive"
            data-testid={`classification-confirmation-${c.column}`}
          />
        </Tooltip>
      )}
      {canConfirm && (confirmation || c.status === 'derived') && (
        <Button
          size="small"
          onClick={() => setOpen(confirmation ? 'revoke' : 'confirm')}
          aria-label={`${confirmation ? 'Revoke' : 'Confirm'} ${c.column}`}
        >
          {confirmation ? 'Revoke' : 'Not sensitive?'}
        </Button>
      )}
      <Dialog
        open={!!open}
        onClose={() => setOpen(undefined)}
        maxWidth="sm"
        fullWidth
      >
        <DialogTitle>
          {open === 'confirm'
            ? `Confirm ${c.column} is not ${c.derived}`
            : `Revoke the confirmation of ${c.column}`}
        </DialogTitle>
        <DialogContent>
          {open === 'confirm' && (
            <Typography variant="body2" sx={{ mb: 2 }}>
              Lineage derives {c.derived} from{' '}
              {c.sources.map(s => `${s.node}.${s.column}`).join(', ')}. Your
              confirmation stops it here and downstream; it is audited and can
              be revoked.
              {c.proposal &&
                ` The job's SQL computes this column with ${c.proposal.aggregate}().`}
            </Typography>
          )}
          {open === 'revoke' && confirmation && (
            <Typography variant="body2" sx={{ mb: 2 }}>
              Confirmed by {confirmation.confirmedBy}: {confirmation.reason}.
              After revoking, the derived classification applies again (masking
              in previews and samples).
            </Typography>
          )}
          <TextField
            label={open === 'confirm' ? 'Reason' : 'Reason (optional)'}
            required={open === 'confirm'}
            fullWidth
            multiline
            minRows={2}
            value={reason}
            onChange={e => setReason(e.target.value)}
          />
          {error && (
            <Alert severity="error" sx={{ mt: 2 }}>
              {error}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(undefined)}>Cancel</Button>
          <Button
            variant="contained"
            disabled={busy || (open === 'confirm' && !reason.trim())}
            onClick={submit}
          >
            {open === 'confirm' ? 'Confirm not sensitive' : 'Revoke'}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
