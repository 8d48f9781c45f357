import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  ASSET_ID_ANNOTATION,
  DatasetSummary,
} from '@lakeport/plugin-lakehouse-common';

/** A value as a catalog tag (lower case, `[a-z0-9+#-]`, at most 63 characters). */
export const tagOf = (tag: string) =>
  tag
    .toLowerCase()
    .replace(/[^a-z0-9+#-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);

/** A dataset as a `Resource` entity of type `dataset`. */
export function datasetEntity(
  dataset: DatasetSummary,
  options: { defaultOwner: string; location: string },
): Entity {
  const tags = [
    ...new Set(
      [...dataset.tags, dataset.layer].filter(Boolean).map(t => tagOf(t!)),
    ),
  ].filter(Boolean);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      // The lakehouse API names the entity (entityRef), so links agree.
      name: parseEntityRef(dataset.entityRef).name,
      title: dataset.title,
      description: dataset.description,
      tags,
      labels: {
        ...(dataset.layer && { 'lakeport.io/layer': dataset.layer }),
        ...(dataset.classification && {
          'lakeport.io/classification': dataset.classification,
        }),
      },
      annotations: {
        [ASSET_ID_ANNOTATION]: dataset.id,
        'lakeport.io/table': dataset.name,
        [ANNOTATION_LOCATION]: options.location,
        [ANNOTATION_ORIGIN_LOCATION]: options.location,
      },
    },
    spec: {
      type: 'dataset',
      owner: dataset.owner ?? options.defaultOwner,
      lifecycle: 'production',
      ...(dataset.system && { system: dataset.system }),
    },
  };
}
