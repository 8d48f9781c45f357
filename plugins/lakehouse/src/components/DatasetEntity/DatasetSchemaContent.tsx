import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ColumnClassification,
  DatasetColumn,
  DatasetDetail,
  lakehouseClassificationConfirmPermission,
} from '@lakeport/plugin-lakehouse-common';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { LineageClassification } from '../Lineage/LineageClassification';
import { ClassificationConfirmation } from './ClassificationConfirmation';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { ClassificationChip } from '../ClassificationChip';
import { DatasetStates } from './DatasetStates';
import { useDataset } from './useDataset';

const DRIFT_LABELS = {
  missing_in_contract: 'not in contract',
  missing_in_engine: 'not in the table',
};

function ColumnRows({
  column,
  depth,
  lineage,
  confirm,
}: {
  column: DatasetColumn;
  depth: number;
  lineage?: Map<string, ColumnClassification>;
  confirm?: { datasetId: string; canConfirm: boolean; onChange: () => void };
}) {
  return (
    <>
      <TableRow>
        <TableCell sx={{ pl: 2 + depth * 3, fontFamily: 'monospace' }}>
          {column.name}
        </TableCell>
        <TableCell sx={{ fontFamily: 'monospace' }}>
          {column.type}
          {!column.nullable && ' NOT NULL'}
        </TableCell>
        <TableCell>
          {column.description ?? (
            <Typography color="text.secondary">—</Typography>
          )}
        </TableCell>
        <TableCell>
          <ClassificationChip value={column.classification} />{' '}
          <LineageClassification value={lineage?.get(column.name)} />
          {confirm && (
            <ClassificationConfirmation
              value={lineage?.get(column.name)}
              {...confirm}
            />
          )}
        </TableCell>
        <TableCell>
          {column.drift && (
            <Chip
              size="small"
              color="warning"
              variant="outlined"
              label={DRIFT_LABELS[column.drift]}
            />
          )}
        </TableCell>
      </TableRow>
      {column.children?.map(child => (
        <ColumnRows key={child.name} column={child} depth={depth + 1} />
      ))}
    </>
  );
}

function Schema({ dataset }: { dataset: DatasetDetail }) {
  const api = useApi(lakehouseApiRef);
  const [generation, setGeneration] = useState(0);
  // Lineage-derived classifications; datasets without lineage have none.
  const { value: lineage } = useAsync(
    () =>
      api
        .getClassifications(dataset.id)
        .then(r => new Map(r.columns.map(c => [c.column, c])))
        .catch(() => undefined),
    [api, dataset.id, generation],
  );
  const { allowed: canConfirm } = usePermission({
    permission: lakehouseClassificationConfirmPermission,
  });
  const confirm = useMemo(
    () => ({
      datasetId: dataset.id,
      canConfirm,
      onChange: () => setGeneration(g => g + 1),
    }),
    [dataset.id, canConfirm],
  );
  const drifted =
    dataset.drift.missingInContract.length +
    dataset.drift.missingInEngine.length;
  return (
    <Box>
      {drifted > 0 && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          The table and its contract disagree:{' '}
          {dataset.drift.missingInContract.length > 0 &&
            `${dataset.drift.missingInContract.join(
              ', ',
            )} not in the contract. `}
          {dataset.drift.missingInEngine.length > 0 &&
            `${dataset.drift.missingInEngine.join(
              ', ',
            )} in the contract but not in the table.`}
        </Alert>
      )}
      <Paper variant="outlined">
        <Table size="small" aria-label="Columns">
          <TableHead>
            <TableRow>
              <TableCell>Column</TableCell>
              <TableCell>Type</TableCell>
              <TableCell>Description</TableCell>
              <TableCell>Classification</TableCell>
              <TableCell>Drift</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {dataset.columns.map(c => (
              <ColumnRows
                key={c.name}
                column={c}
                depth={0}
                lineage={lineage}
                confirm={confirm}
              />
            ))}
          </TableBody>
        </Table>
      </Paper>
      <Typography variant="h6" sx={{ mt: 3, mb: 1 }}>
        Schema history
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        {dataset.schemaVersions.map(v => (
          <Box key={v.version} sx={{ mb: 1 }}>
            <Typography variant="subtitle2">
              v{v.version} · {new Date(v.detectedAt).toLocaleString()}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {v.version === 1 && 'First seen.'}
              {v.added.length > 0 && ` Added ${v.added.join(', ')}.`}
              {v.removed.length > 0 && ` Removed ${v.removed.join(', ')}.`}
              {v.retyped.map(r => ` ${r.name}: ${r.from} → ${r.to}.`)}
            </Typography>
          </Box>
        ))}
      </Paper>
    </Box>
  );
}

/** The "Schema" tab: columns, types, descriptions, classification, drift, history. */
export function DatasetSchemaContent() {
  const state = useDataset();
  return (
    <DatasetStates {...state}>
      {() => <Schema dataset={state.value!} />}
    </DatasetStates>
  );
}
