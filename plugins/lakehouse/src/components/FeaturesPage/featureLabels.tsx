import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { FeatureAssetSummary } from '@lakeport/plugin-lakehouse-common';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';

export const KIND_LABELS: Record<string, string> = {
  featureview: 'Feature view',
  featureService: 'Feature service',
  featureservice: 'Feature service',
  featureView: 'Feature view',
  onDemandFeatureView: 'On-demand feature view',
  streamFeatureView: 'Stream feature view',
  entity: 'Entity',
  model: 'Model',
  modelversion: 'Model version',
};

/** The owner group, or the Feast owner marked unknown when no catalog user has that email. */
export function OwnerLink(props: { asset: FeatureAssetSummary }) {
  const { owner, ownerEmail } = props.asset;
  if (owner) return <EntityRefLink entityRef={owner} defaultKind="group" />;
  return (
    <Tooltip title="No catalog user has this email: the owner is not guessed">
      <Typography variant="body2" color="warning.main" component="span">
        Unknown owner{ownerEmail ? ` (${ownerEmail})` : ''}
      </Typography>
    </Tooltip>
  );
}
