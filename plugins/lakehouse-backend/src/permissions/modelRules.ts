import {
  createConditionTransformer,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { LAKEHOUSE_MODEL_RESOURCE_TYPE } from '@lakeport/plugin-lakehouse-common';
import { z } from 'zod';
import { criteriaFilter } from './criteriaQuery';
import { AssetFilter } from '../ml/MetadataAssetStore';

/** The fields of a registered model that permission rules can look at. */
export interface ModelPermissionResource {
  id: string;
  owner?: string;
  /** Most sensitive classification of its training data. */
  classification?: string;
  /** The registry (MLflow server name). */
  project?: string;
}

interface ModelPermissionQuery {
  column: 'owner' | 'classification' | 'project';
  values: string[];
}

export const modelPermissionResourceRef = createPermissionResourceRef<
  ModelPermissionResource,
  ModelPermissionQuery
>().with({
  pluginId: 'lakehouse',
  resourceType: LAKEHOUSE_MODEL_RESOURCE_TYPE,
});

const valuesRule = (
  name: string,
  description: string,
  column: ModelPermissionQuery['column'],
) =>
  createPermissionRule({
    name,
    description,
    resourceRef: modelPermissionResourceRef,
    paramsSchema: z.object({ values: z.array(z.string()) }),
    apply: (resource, { values }) => values.includes(resource[column] ?? ''),
    toQuery: ({ values }) => ({ column, values }),
  });

export const modelRules = {
  isOwnedBy: valuesRule(
    'IS_MODEL_OWNED_BY',
    "Allow registered models owned by one of the given group refs (use the caller's ownership claims)",
    'owner',
  ),
  hasClassification: valuesRule(
    'HAS_MODEL_CLASSIFICATION',
    "Allow registered models whose training data's derived classification is one of the given values",
    'classification',
  ),
  isOnServer: valuesRule(
    'IS_MODEL_ON_SERVER',
    'Allow registered models of the given model registries (MLflow server names)',
    'project',
  ),
};

const transform = createConditionTransformer(Object.values(modelRules));

/** A conditional permission decision as a filter on `metadata_assets AS m`. */
export function modelConditionsToFilter(
  conditions: Parameters<typeof transform>[0],
): AssetFilter {
  const criteria = transform(
    conditions,
  ) as PermissionCriteria<ModelPermissionQuery>;
  return criteriaFilter(criteria, 'm');
}
