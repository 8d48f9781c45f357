import { useApi } from '@backstage/frontend-plugin-api';
import {
  DatasetPreview,
  MASKED_VALUE,
} from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import LockIcon from '@material-ui/icons/Lock';
import useAsync from 'react-use/esm/useAsync';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { ClassificationChip } from '../ClassificationChip';
import { DatasetStates } from './DatasetStates';
import { useAssetId, useDataset } from './useDataset';
import Button from '@mui/material/Button';
import { useState } from 'react';
import { RequestAccessDialog } from '../Access/RequestAccessDialog';

function cell(value: unknown) {
  if (value === null || value === undefined) return <em>null</em>;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function Preview({ preview }: { preview: DatasetPreview }) {
  const masked = new Set(preview.masked);
  const dataset = useDataset();
  const [asking, setAsking] = useState(false);
  const [sent, setSent] = useState(false);
  return (
    <Box>
      {preview.masked.length > 0 ? (
        <Alert severity="info" icon={<LockIcon />} sx={{ mb: 2 }}>
          {preview.masked.length} sensitive column
          {preview.masked.length > 1 ? 's are' : ' is'} masked for you (
          {preview.masked.join(', ')}): they are classified PII or confidential
          and you are not in the owner group.{' '}
          {sent ? (
            <strong>Access requested: see My access.</strong>
          ) : (
            <Button
              size="small"
              onClick={() => setAsking(true)}
              disabled={!dataset.value}
            >
              Request access
            </Button>
          )}
        </Alert>
      ) : (
        <Alert severity="success" sx={{ mb: 2 }}>
          No column is masked for you.
        </Alert>
      )}
      {asking && dataset.value && (
        <RequestAccessDialog
          dataset={dataset.value}
          columns={preview.masked}
          open={asking}
          onClose={() => setAsking(false)}
          onCreated={() => {
            setAsking(false);
            setSent(true);
          }}
        />
      )}
      <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Preview">
          <TableHead>
            <TableRow>
              {preview.columns.map(c => (
                <TableCell key={c.name} sx={{ whiteSpace: 'nowrap' }}>
                  {c.name} <ClassificationChip value={c.classification} />
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {preview.rows.map((row, i) => (
              <TableRow key={i}>
                {preview.columns.map(c => (
                  <TableCell key={c.name} sx={{ whiteSpace: 'nowrap' }}>
                    {masked.has(c.name) && row[c.name] === MASKED_VALUE ? (
                      <Chip
                        size="small"
                        icon={<LockIcon fontSize="small" />}
                        label="masked"
                        data-testid="masked-value"
                      />
                    ) : (
                      cell(row[c.name])
                    )}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
    </Box>
  );
}

/** The "Preview" tab: sample rows, sensitive columns masked without a grant. */
export function DatasetPreviewContent() {
  const api = useApi(lakehouseApiRef);
  const id = useAssetId();
  const state = useAsync(
    async () => (id ? api.previewDataset(id, 20) : undefined),
    [api, id],
  );
  return (
    <DatasetStates id={id} {...state}>
      {() => <Preview preview={state.value!} />}
    </DatasetStates>
  );
}
