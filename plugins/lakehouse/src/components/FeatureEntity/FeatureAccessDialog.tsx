import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { FeatureAssetDetail } from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { errorMessage } from '../format';

type Result = Awaited<
  ReturnType<
    import('../../api/LakehouseApi').LakehouseApi['requestFeatureAccess']
  >
>;

/** Ask for the lakehouse columns a feature view or service is computed from. */
export function FeatureAccessDialog(props: {
  asset: FeatureAssetDetail;
  open: boolean;
  onClose: () => void;
}) {
  const api = useApi(lakehouseApiRef);
  const [purpose, setPurpose] = useState('');
  const [justification, setJustification] = useState('');
  const [days, setDays] = useState('30');
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<Result>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    setSaving(true);
    setError(undefined);
    try {
      setResult(
        await api.requestFeatureAccess(props.asset.id, {
          purpose,
          justification,
          durationDays: Number(days),
        }),
      );
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Dialog open={props.open} onClose={props.onClose} maxWidth="sm" fullWidth>
      <DialogTitle>Request access to {props.asset.name}</DialogTitle>
      <DialogContent>
        {result ? (
          <Stack spacing={1} sx={{ mt: 1 }}>
            <Alert severity="success">
              {result.requests.filter(r => r.id).length} request(s) made for the
              data these features are computed from
              {result.classification === 'pii'
                ? '; they carry PII, so a steward reviews them after the owner'
                : ''}
              . Follow them on <Link to="/access">My access</Link>.
            </Alert>
            {result.requests.map(r => (
              <Typography key={r.datasetId} variant="body2">
                <strong>{r.datasetId.split(':').pop()}</strong>:{' '}
                {r.columns.join(', ')}
                {r.skipped ? ` — not requested: ${r.skipped}` : ''}
              </Typography>
            ))}
          </Stack>
        ) : (
          <Stack spacing={2} sx={{ mt: 1 }}>
            <Typography variant="body2">
              Access to features is access to the lakehouse columns they are
              computed from: one request per source dataset, reviewed by its
              owner
              {props.asset.classification === 'pii' ? ' and a steward' : ''}.
            </Typography>
            <TextField
              label="Purpose"
              value={purpose}
              onChange={e => setPurpose(e.target.value)}
              required
            />
            <TextField
              label="Justification"
              value={justification}
              onChange={e => setJustification(e.target.value)}
              multiline
              minRows={2}
              required
            />
            <TextField
              label="Days"
              type="number"
              value={days}
              onChange={e => setDays(e.target.value)}
            />
            {error && <Alert severity="error">{error}</Alert>}
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
        {!result && (
          <Button variant="contained" onClick={submit} disabled={saving}>
            Request access
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
