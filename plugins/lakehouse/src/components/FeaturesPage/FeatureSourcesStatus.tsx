import { useApi } from '@backstage/frontend-plugin-api';
import { MetadataSourceStatus } from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { errorMessage, formatAge } from '../format';

/**
 * State of each metadata source (feature stores, model registries): when it last synced, and the error
 * of its latest attempt with its time (what is shown is the last good state).
 */
export function FeatureSourcesStatus(props: {
  sources: MetadataSourceStatus[];
  onSynced: () => void;
  /** The sync button's text. */
  syncLabel?: string;
}) {
  const api = useApi(lakehouseApiRef);
  const [message, setMessage] = useState<string>();
  const syncNow = async () => {
    try {
      await api.triggerMetadataSync();
      setMessage('Sync started; the list refreshes in a few seconds.');
      setTimeout(props.onSynced, 5000);
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };
  return (
    <Stack spacing={1} sx={{ mb: 2 }}>
      {props.sources.map(s =>
        s.error ? (
          <Alert
            key={s.id}
            severity="error"
            role="alert"
            aria-label={`Source ${s.id} failed`}
          >
            <strong>{s.id}</strong> could not be read {formatAge(s.error.at)} (
            {new Date(s.error.at).toLocaleString()}): {s.error.message}.{' '}
            {s.lastSuccessAt
              ? `Showing what it held at its last successful sync, ${formatAge(
                  s.lastSuccessAt,
                )}.`
              : 'It has never been read.'}
          </Alert>
        ) : (
          <Typography key={s.id} variant="body2" color="text.secondary">
            {s.id}: {s.assets} objects, synced {formatAge(s.lastSuccessAt)}
          </Typography>
        ),
      )}
      <Stack direction="row" spacing={1} alignItems="center">
        <Button size="small" variant="outlined" onClick={syncNow}>
          {props.syncLabel ?? 'Sync feature stores now'}
        </Button>
        {message && (
          <Typography variant="body2" color="text.secondary">
            {message}
          </Typography>
        )}
      </Stack>
    </Stack>
  );
}
