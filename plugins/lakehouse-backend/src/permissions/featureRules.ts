import {
  createConditionTransformer,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { LAKEHOUSE_FEATURE_RESOURCE_TYPE } from '@lakeport/plugin-lakehouse-common';
import { z } from 'zod';
import { criteriaFilter } from './criteriaQuery';
import { AssetFilter } from '../ml/MetadataAssetStore';

/** The fields of a feature-store asset that permission rules can look at. */
export interface FeaturePermissionResource {
  id: string;
  owner?: string;
  classification?: string;
  project?: string;
}

interface FeaturePermissionQuery {
  column: 'owner' | 'classification' | 'project';
  values: string[];
}

export const featurePermissionResourceRef = createPermissionResourceRef<
  FeaturePermissionResource,
  FeaturePermissionQuery
>().with({
  pluginId: 'lakehouse',
  resourceType: LAKEHOUSE_FEATURE_RESOURCE_TYPE,
});

const valuesRule = (
  name: string,
  description: string,
  column: FeaturePermissionQuery['column'],
) =>
  createPermissionRule({
    name,
    description,
    resourceRef: featurePermissionResourceRef,
    paramsSchema: z.object({ values: z.array(z.string()) }),
    apply: (resource, { values }) => values.includes(resource[column] ?? ''),
    toQuery: ({ values }) => ({ column, values }),
  });

export const featureRules = {
  isOwnedBy: valuesRule(
    'IS_FEATURE_OWNED_BY',
    "Allow feature views and services owned by one of the given group refs (use the caller's ownership claims)",
    'owner',
  ),
  hasClassification: valuesRule(
    'HAS_FEATURE_CLASSIFICATION',
    'Allow feature views and services whose derived classification is one of the given values',
    'classification',
  ),
  isInProject: valuesRule(
    'IS_FEATURE_IN_PROJECT',
    'Allow feature views and services of the given feature-store projects',
    'project',
  ),
};

const transform = createConditionTransformer(Object.values(featureRules));

/** A conditional permission decision as a filter on `metadata_assets AS m`. */
export function featureConditionsToFilter(
  conditions: Parameters<typeof transform>[0],
): AssetFilter {
  const criteria = transform(
    conditions,
  ) as PermissionCriteria<FeaturePermissionQuery>;
  return criteriaFilter(criteria, 'm');
}
