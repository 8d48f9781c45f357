import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  lakehouseSyncPermission,
  SyncRun,
} from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { formatAge } from '../format';

function describe(last: SyncRun | null | undefined): string {
  if (last === undefined) return 'Loading sync status…';
  if (last === null) return 'The lakehouse has not been synced yet.';
  return `Synced ${formatAge(last.finishedAt)}: ${last.tables} tables, ${
    last.added
  } new, ${last.removed} removed, ${last.schemaChanges} schema changes.`;
}

/**
 * When the lakehouse was last synced, contract problems found then, and for
 * platform admins a "Sync now" that shows progress until the run finishes.
 */
export function SyncStatus(props: { onSynced: () => void }) {
  const api = useApi(lakehouseApiRef);
  const { allowed } = usePermission({ permission: lakehouseSyncPermission });
  const [last, setLast] = useState<SyncRun | null>();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();

  const refresh = useCallback(
    () => api.getLastSync().then(setLast, setError),
    [api],
  );
  useEffect(() => {
    refresh();
  }, [refresh]);

  const syncNow = async () => {
    setError(undefined);
    setRunning(true);
    try {
      const before = last?.finishedAt;
      await api.triggerSync();
      for (let i = 0; i < 300; i++) {
        await new Promise(r => setTimeout(r, 1000));
        const run = await api.getLastSync();
        if (run && run.finishedAt !== before) {
          setLast(run);
          props.onSynced();
          return;
        }
      }
      throw new Error(
        'The sync has not finished after 5 minutes; it goes on in the background.',
      );
    } catch (e) {
      setError(e as Error);
    } finally {
      setRunning(false);
    }
  };

  const problems = last?.contractProblems ?? [];
  return (
    <Box sx={{ mb: 2 }}>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
        <Typography variant="body2" color="text.secondary">
          {describe(last)}
        </Typography>
        {allowed && (
          <Button
            size="small"
            variant="outlined"
            disabled={running}
            onClick={syncNow}
          >
            {running ? (
              <CircularProgress size={16} aria-label="Syncing" />
            ) : (
              'Sync now'
            )}
          </Button>
        )}
      </Box>
      {error && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {error.message}
        </Alert>
      )}
      {problems.length > 0 && (
        <Alert severity="warning" sx={{ mt: 1 }}>
          {problems.length} data contract problem
          {problems.length > 1 ? 's' : ''} (those contracts were not applied):
          <ul style={{ margin: 0 }}>
            {problems.slice(0, 10).map((p, i) => (
              <li key={i}>
                {p.file} at <code>{p.field}</code>: {p.message}
              </li>
            ))}
          </ul>
        </Alert>
      )}
    </Box>
  );
}
