import { ASSET_ID_ANNOTATION } from '@lakeport/plugin-lakehouse-common';
import { ErrorPanel, Progress } from '@backstage/core-components';
import Typography from '@mui/material/Typography';
import { ReactElement } from 'react';

/** Loading, error and "not a dataset" states shared by the dataset tabs. */
export function DatasetStates(props: {
  id?: string;
  loading: boolean;
  error?: Error;
  children: () => ReactElement;
}) {
  if (!props.id) {
    return (
      <Typography sx={{ p: 2 }}>
        This entity has no {ASSET_ID_ANNOTATION} annotation, so it is not linked
        to a dataset.
      </Typography>
    );
  }
  if (props.loading) return <Progress />;
  if (props.error)
    return (
      <ErrorPanel title="Could not load the dataset" error={props.error} />
    );
  return props.children();
}
