import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  AccessGrant,
  DatasetDetail,
  lakehouseAccessRevokePermission,
} from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { errorMessage } from '../format';
import { DatasetStates } from '../DatasetEntity/DatasetStates';
import { useDataset } from '../DatasetEntity/useDataset';
import { AccessRequestRow } from './AccessRequestRow';
import { AccessStatusChip, AccessTimeline, shortRef } from './AccessStatusChip';
import { RequestAccessDialog } from './RequestAccessDialog';

function Revoke(props: { grant: AccessGrant; onDone: () => void }) {
  const api = useApi(lakehouseApiRef);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  return (
    <Stack direction="row" spacing={1} alignItems="center">
      <TextField
        size="small"
        label="Reason"
        value={comment}
        onChange={e => setComment(e.target.value)}
        sx={{ width: 160 }}
      />
      <Button
        size="small"
        color="error"
        onClick={async () => {
          try {
            await api.revokeGrant(props.grant.id, comment);
            props.onDone();
          } catch (e) {
            setError(errorMessage(e));
          }
        }}
      >
        Revoke
      </Button>
      {error && <Typography color="error">{error}</Typography>}
    </Stack>
  );
}

function downloadCsv(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

function Manage({ dataset }: { dataset: DatasetDetail }) {
  const api = useApi(lakehouseApiRef);
  const state = useAsyncRetry(async () => {
    const [grants, requests, audit] = await Promise.all([
      api.listGrants(dataset.id),
      api.listAccessRequests({ datasetId: dataset.id }),
      api.getAccessAudit(dataset.id),
    ]);
    return {
      grants: grants.items,
      requests: requests.items,
      audit: audit.items,
    };
  }, [api, dataset.id]);
  if (!state.value) return null;
  const { grants, requests, audit } = state.value;
  const current = grants.filter(
    g => g.status === 'active' || g.status === 'provisioning_failed',
  );
  return (
    <Stack spacing={2}>
      <Typography variant="h6">Who has access</Typography>
      {current.length === 0 ? (
        <Typography color="text.secondary">
          Nobody beyond the owner group.
        </Typography>
      ) : (
        <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="Who has access">
            <TableHead>
              <TableRow>
                <TableCell>Principal</TableCell>
                <TableCell>Columns</TableCell>
                <TableCell>Since</TableCell>
                <TableCell>Until</TableCell>
                <TableCell>Approved by</TableCell>
                <TableCell>Status</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {current.map(g => (
                <TableRow key={g.id}>
                  <TableCell>{shortRef(g.principal)}</TableCell>
                  <TableCell>{g.columns?.join(', ') ?? 'all'}</TableCell>
                  <TableCell>
                    {g.activatedAt &&
                      new Date(g.activatedAt).toLocaleDateString()}
                  </TableCell>
                  <TableCell>
                    {g.expiresAt && new Date(g.expiresAt).toLocaleDateString()}
                  </TableCell>
                  <TableCell>{g.approvedBy.map(shortRef).join(', ')}</TableCell>
                  <TableCell>
                    <AccessStatusChip status={g.status} />
                  </TableCell>
                  <TableCell>
                    <Revoke grant={g} onDone={state.retry} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
      <Typography variant="h6">Requests</Typography>
      <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Requests">
          <TableBody>
            {requests.map(r => (
              <AccessRequestRow
                key={r.id}
                request={r}
                actions={
                  r.status === 'provisioning_failed' ? (
                    <Button
                      size="small"
                      onClick={async () => {
                        await api.retryAccessRequest(r.id);
                        state.retry();
                      }}
                    >
                      Retry
                    </Button>
                  ) : null
                }
              />
            ))}
          </TableBody>
        </Table>
      </Paper>
      <Stack direction="row" justifyContent="space-between" alignItems="center">
        <Typography variant="h6">Audit trail</Typography>
        <Button
          size="small"
          onClick={async () =>
            downloadCsv(
              `access-audit-${dataset.name}.csv`,
              await api.getAccessAuditCsv(dataset.id),
            )
          }
        >
          Export CSV
        </Button>
      </Stack>
      <Paper variant="outlined" sx={{ p: 1 }}>
        <AccessTimeline audit={audit.slice(-50)} />
      </Paper>
    </Stack>
  );
}

/** Access tab: ask for access; owners, stewards and admins manage it. */
export function AccessContent() {
  const { id, value, loading, error } = useDataset();
  const api = useApi(lakehouseApiRef);
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<string>();
  const { allowed } = usePermission({
    permission: lakehouseAccessRevokePermission,
    resourceRef: id,
  });
  const mine = useAsyncRetry(
    async () =>
      (await api.listAccessRequests({ mine: true })).items.filter(
        r => r.datasetId === id,
      ),
    [api, id, created],
  );
  return (
    <DatasetStates id={id} loading={loading} error={error}>
      {() => (
        <Stack spacing={2}>
          <Stack direction="row" spacing={2} alignItems="center">
            <Button variant="contained" onClick={() => setOpen(true)}>
              Request access
            </Button>
            {created && (
              <Alert severity="success">
                Request sent: the owner group reviews it first.
              </Alert>
            )}
          </Stack>
          {!!mine.value?.length && (
            <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
              <Table size="small" aria-label="Your requests">
                <TableBody>
                  {mine.value.map(r => (
                    <AccessRequestRow key={r.id} request={r} />
                  ))}
                </TableBody>
              </Table>
            </Paper>
          )}
          {allowed && <Manage dataset={value!} />}
          {open && (
            <RequestAccessDialog
              dataset={value!}
              open={open}
              onClose={() => setOpen(false)}
              onCreated={requestId => {
                setOpen(false);
                setCreated(requestId);
              }}
            />
          )}
        </Stack>
      )}
    </DatasetStates>
  );
}
