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
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { errorMessage } from '../format';
import { GradeChip } from '../Quality/GradeChip';
import { AccessRequestRow } from './AccessRequestRow';

function Decide(props: { request: AccessRequest; onDone: () => void }) {
  const api = useApi(lakehouseApiRef);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const decide = async (decision: 'approve' | 'deny') => {
    setError(undefined);
    try {
      await api.decideAccessRequest(props.request.id, decision, comment);
      props.onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Stack spacing={1} sx={{ minWidth: 240 }}>
      <TextField
        size="small"
        label="Comment"
        value={comment}
        onChange={e => setComment(e.target.value)}
        placeholder="needed to deny"
      />
      <Stack direction="row" spacing={1}>
        <Button
          size="small"
          variant="contained"
          onClick={() => decide('approve')}
        >
          Approve
        </Button>
        <Button
          size="small"
          color="error"
          disabled={!comment.trim()}
          onClick={() => decide('deny')}
        >
          Deny
        </Button>
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}
    </Stack>
  );
}

/** Requests waiting for the signed-in user's decision (as owner or steward). */
export function ReviewsPage() {
  const api = useApi(lakehouseApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listAccessRequests({ reviewable: true }),
    [api],
  );
  return (
    <Page themeId="tool">
      <Header
        title="Access reviews"
        subtitle="Requests waiting for you, as a dataset owner or a data steward"
      />
      <Content>
        {loading && !value && <Progress />}
        {error && <ErrorPanel title="Could not load reviews" error={error} />}
        {value && value.items.length === 0 && (
          <Alert severity="success">Nothing waits for you.</Alert>
        )}
        {value && value.items.length > 0 && (
          <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
            <Table size="small" aria-label="Reviews">
              <TableHead>
                <TableRow>
                  <TableCell padding="checkbox" />
                  <TableCell>Dataset</TableCell>
                  <TableCell>For</TableCell>
                  <TableCell>Purpose</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Duration</TableCell>
                  <TableCell>Quality</TableCell>
                  <TableCell>Decision</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {value.items.map(r => (
                  <AccessRequestRow
                    key={r.id}
                    request={r}
                    extra={
                      <TableCell>
                        <GradeChip grade={r.qualityGrade} />
                      </TableCell>
                    }
                    actions={<Decide request={r} onDone={retry} />}
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
