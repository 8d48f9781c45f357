import { Progress } from '@backstage/core-components';
import Stack from '@mui/material/Stack';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { lazy, Suspense, useState } from 'react';
import { DatasetStates } from '../DatasetEntity/DatasetStates';
import { useAssetId } from '../DatasetEntity/useDataset';
import { ImpactView } from './ImpactView';

// The graph libraries load only when the graph is shown.
const LineageGraphView = lazy(() =>
  import('./LineageGraphView').then(m => ({ default: m.LineageGraphView })),
);

/** Lineage tab of dataset pages: the graph, or the downstream impact list. */
export function LineageContent() {
  const id = useAssetId();
  const [view, setView] = useState<'graph' | 'impact'>('graph');
  return (
    <DatasetStates id={id} loading={false}>
      {() => (
        <Stack spacing={2}>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={view}
            onChange={(_e, v) => v && setView(v)}
            aria-label="lineage view"
          >
            <ToggleButton value="graph">Graph</ToggleButton>
            <ToggleButton value="impact">Impact</ToggleButton>
          </ToggleButtonGroup>
          {view === 'graph' ? (
            <Suspense fallback={<Progress />}>
              <LineageGraphView node={id!} />
            </Suspense>
          ) : (
            <ImpactView node={id!} />
          )}
        </Stack>
      )}
    </DatasetStates>
  );
}
