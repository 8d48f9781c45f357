import { Link } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { DatasetDetail, isSensitive } from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import MenuItem from '@mui/material/MenuItem';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { errorMessage } from '../format';
import { ClassificationChip } from '../ClassificationChip';
import { shortRef } from './AccessStatusChip';

// Mirrors the backend's defaults (lakeport.access.maxDays); it has the last word.
const MAX_DAYS: Record<string, number> = {
  pii: 90,
  confidential: 180,
  internal: 365,
  public: 365,
};

/** Ask for access: whole dataset or chosen columns, purpose, duration, for whom. */
export function RequestAccessDialog(props: {
  dataset: DatasetDetail;
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
  /** Columns ticked at first (e.g. the masked ones). */
  columns?: string[];
}) {
  const { dataset } = props;
  const api = useApi(lakehouseApiRef);
  const identityApi = useApi(identityApiRef);
  const identity = useAsync(() => identityApi.getBackstageIdentity(), []);
  const columns = dataset.columns.filter(c => c.drift !== 'missing_in_engine');
  const [scope, setScope] = useState<'all' | 'columns'>(
    props.columns?.length ? 'columns' : 'all',
  );
  const [chosen, setChosen] = useState<string[]>(
    props.columns ??
      columns.filter(c => isSensitive(c.classification)).map(c => c.name),
  );
  const [purpose, setPurpose] = useState('');
  const [justification, setJustification] = useState('');
  const [days, setDays] = useState('30');
  const [principal, setPrincipal] = useState('');
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const me = identity.value?.userEntityRef;
  const groups =
    identity.value?.ownershipEntityRefs.filter(r => r.startsWith('group:')) ??
    [];
  const inScope =
    scope === 'all' ? columns : columns.filter(c => chosen.includes(c.name));
  const sensitivity = ['pii', 'confidential', 'internal', 'public'].find(c =>
    inScope.some(col => col.classification === c),
  );
  const maxDays = MAX_DAYS[sensitivity ?? 'public'];

  const submit = async () => {
    setSaving(true);
    setError(undefined);
    try {
      const { id } = await api.createAccessRequest({
        datasetId: dataset.id,
        columns: scope === 'columns' ? chosen : undefined,
        purpose,
        justification,
        durationDays: Number(days),
        principal: principal || me,
      });
      props.onCreated(id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} maxWidth="sm" fullWidth>
      <DialogTitle>Request access to {dataset.title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <RadioGroup
            row
            value={scope}
            onChange={e => setScope(e.target.value as 'all' | 'columns')}
          >
            <FormControlLabel
              value="all"
              control={<Radio />}
              label="Whole dataset"
            />
            <FormControlLabel
              value="columns"
              control={<Radio />}
              label="Chosen columns"
            />
          </RadioGroup>
          {scope === 'columns' && (
            <FormGroup
              aria-label="Columns"
              sx={{ maxHeight: 200, overflowY: 'auto' }}
            >
              {columns.map(c => (
                <FormControlLabel
                  key={c.name}
                  control={
                    <Checkbox
                      size="small"
                      checked={chosen.includes(c.name)}
                      onChange={e =>
                        setChosen(
                          e.target.checked
                            ? [...chosen, c.name]
                            : chosen.filter(n => n !== c.name),
                        )
                      }
                    />
                  }
                  label={
                    <>
                      {c.name} <ClassificationChip value={c.classification} />
                    </>
                  }
                />
              ))}
            </FormGroup>
          )}
          <TextField
            label="Purpose"
            value={purpose}
            onChange={e => setPurpose(e.target.value)}
            required
            placeholder="e.g. churn model features"
          />
          <TextField
            label="Justification"
            value={justification}
            onChange={e => setJustification(e.target.value)}
            required
            multiline
            minRows={2}
            placeholder="Why you need it, and a ticket if there is one"
          />
          <Stack direction="row" spacing={2}>
            <TextField
              label="Duration (days)"
              type="number"
              value={days}
              onChange={e => setDays(e.target.value)}
              inputProps={{ min: 1, max: maxDays }}
              helperText={`At most ${maxDays} days for ${
                sensitivity ?? 'unclassified'
              } data`}
              sx={{ width: 200 }}
            />
            <TextField
              select
              label="For"
              value={principal || me || ''}
              onChange={e => setPrincipal(e.target.value)}
              sx={{ flex: 1 }}
            >
              {[me, ...groups].filter(Boolean).map(ref => (
                <MenuItem key={ref} value={ref}>
                  {ref === me
                    ? `me (${shortRef(ref!)})`
                    : `group ${shortRef(ref!)}`}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
          {error && (
            <Alert severity="error">
              {error}
              {/\/access\/requests\/[\w-]+/.test(error) && (
                <>
                  {' '}
                  <Link to={/\/access\/requests\/[\w-]+/.exec(error)![0]}>
                    Open it
                  </Link>
                </>
              )}
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          variant="contained"
          onClick={submit}
          disabled={
            saving ||
            !purpose.trim() ||
            !justification.trim() ||
            (scope === 'columns' && chosen.length === 0)
          }
        >
          Send request
        </Button>
      </DialogActions>
    </Dialog>
  );
}
