import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  ASSET_ID_ANNOTATION,
  ModelSummary,
} from '@lakeport/plugin-lakehouse-common';
import { tagOf } from './datasetEntity';
import { UNKNOWN_OWNER } from './featureEntity';

/**
 * A registered model as a `Resource` of type `ml-model`, owned by the group
 * of its `owner` tag (else of its creating user; unknown when neither is a
 * catalog group).
 */
export function modelEntity(
  model: ModelSummary,
  options: { location: string },
): Entity {
  const tags = [
    ...new Set(
      Object.entries(model.tags)
        .filter(([k]) => k !== 'owner' && !k.startsWith('mlflow.'))
        .map(([k, v]) => (v ? `${k}-${v}` : k))
        .concat(['mlflow', ...model.aliases.map(a => `alias-${a.alias}`)])
        .map(tagOf),
    ),
  ].filter(Boolean);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: parseEntityRef(model.entityRef).name,
      title: model.name,
      description: model.description,
      tags,
      labels: {
        'lakeport.io/model-server': tagOf(model.server),
        ...(model.classification && {
          'lakeport.io/classification': model.classification,
        }),
      },
      annotations: {
        [ASSET_ID_ANNOTATION]: model.id,
        [ANNOTATION_LOCATION]: options.location,
        [ANNOTATION_ORIGIN_LOCATION]: options.location,
      },
    },
    spec: {
      type: 'ml-model',
      owner: model.owner ?? UNKNOWN_OWNER,
      lifecycle: 'production',
    },
  };
}
