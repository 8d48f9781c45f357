import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  ASSET_ID_ANNOTATION,
  FeatureAssetSummary,
} from '@lakeport/plugin-lakehouse-common';
import { tagOf } from './datasetEntity';

/**
 * Owner of a feature-store asset whose Feast owner (an email) no catalog
 * user has: shown as unknown, never guessed.
 */
export const UNKNOWN_OWNER = 'group:default/unknown-owner';

/** A feature view or service as a `Resource` of type `feature-view` / `feature-service`. */
export function featureEntity(
  asset: FeatureAssetSummary,
  options: { location: string },
): Entity {
  const tags = [
    ...new Set(
      Object.entries(asset.tags)
        .flatMap(([k, v]) => v.split(',').map(x => `${k}-${x}`))
        .concat(['feast'])
        .map(tagOf),
    ),
  ].filter(Boolean);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: parseEntityRef(asset.entityRef).name,
      title: asset.name,
      description: asset.description,
      tags,
      labels: {
        'lakeport.io/feast-project': tagOf(asset.project),
        ...(asset.classification && {
          'lakeport.io/classification': asset.classification,
        }),
      },
      annotations: {
        [ASSET_ID_ANNOTATION]: asset.id,
        ...(asset.ownerEmail && {
          'lakeport.io/owner-email': asset.ownerEmail,
        }),
        [ANNOTATION_LOCATION]: options.location,
        [ANNOTATION_ORIGIN_LOCATION]: options.location,
      },
    },
    spec: {
      type: asset.kind === 'featureview' ? 'feature-view' : 'feature-service',
      owner: asset.owner ?? UNKNOWN_OWNER,
      lifecycle: 'production',
      ...(asset.system && { system: asset.system }),
    },
  };
}
