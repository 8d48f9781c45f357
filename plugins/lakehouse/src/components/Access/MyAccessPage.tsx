import {
  Content,
  ErrorPanel,
  Header,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { AccessRequest } from '@lakeport/plugin-lakehouse-common';
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
import { useState } from 'react';
import { useLocation } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { errorMessage } from '../format';
import { AccessRequestRow } from './AccessRequestRow';

function Actions(props: { request: AccessRequest; onChange: () => void }) {
  const api = useApi(lakehouseApiRef);
  const [days, setDays] = useState('30');
  const [error, setError] = useState<string>();
  const r = props.request;
  const run = async (fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
      props.onChange();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Stack spacing={1} alignItems="flex-start">
      {r.status === 'requested' && (
        <Button
          size="small"
          onClick={() => run(() => api.cancelAccessRequest(r.id))}
        >
          Cancel
        </Button>
      )}
      {r.status === 'active' && r.grantId && (
        <Stack direction="row" spacing={1}>
          <TextField
            size="small"
            type="number"
            label="days"
            value={days}
            onChange={e => setDays(e.target.value)}
            sx={{ width: 80 }}
          />
          <Button
            size="small"
            onClick={() =>
              run(() =>
                api.createAccessRequest({
                  datasetId: r.datasetId,
                  principal: r.principal,
                  purpose: r.purpose,
                  justification: `Extension of ${r.id}: ${r.justification}`,
                  durationDays: Number(days),
                  extendsGrantId: r.grantId,
                }),
              )
            }
          >
            Ask to extend
          </Button>
        </Stack>
      )}
      {error && <Alert severity="error">{error}</Alert>}
    </Stack>
  );
}

/** "My access": the requests you made, with their status and timeline. */
export function MyAccessPage() {
  const api = useApi(lakehouseApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listAccessRequests({ mine: true }),
    [api],
  );
  const focused = /\/access\/requests\/([^/]+)/.exec(
    useLocation().pathname,
  )?.[1];
  return (
    <Page themeId="tool">
      <Header title="My access" subtitle="Your access requests and grants" />
      <Content>
        {loading && !value && <Progress />}
        {error && (
          <ErrorPanel title="Could not load your requests" error={error} />
        )}
        {value && value.items.length === 0 && (
          <Alert severity="info">
            No requests yet: ask from a dataset's Preview or Access tab.
          </Alert>
        )}
        {value && value.items.length > 0 && (
          <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
            <Table size="small" aria-label="My requests">
              <TableHead>
                <TableRow>
                  <TableCell padding="checkbox" />
                  <TableCell>Dataset</TableCell>
                  <TableCell>For</TableCell>
                  <TableCell>Purpose</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Duration</TableCell>
                  <TableCell />
                </TableRow>
              </TableHead>
              <TableBody>
                {value.items.map(r => (
                  <AccessRequestRow
                    key={r.id}
                    request={r}
                    open={r.id === focused}
                    actions={<Actions request={r} onChange={retry} />}
                  />
                ))}
              </TableBody>
            </Table>
          </Paper>
        )}
      </Content>
    </Page>
  );
}
