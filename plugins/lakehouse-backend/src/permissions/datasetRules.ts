import {
  createConditionTransformer,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { LAKEHOUSE_DATASET_RESOURCE_TYPE } from '@lakeport/plugin-lakehouse-common';
import { z } from 'zod';
import { criteriaFilter } from './criteriaQuery';
import { DatasetFilter } from '../assets/DatasetStore';

/** The fields of a dataset that permission rules can look at. */
export interface DatasetPermissionResource {
  id: string;
  owner?: string;
  domain?: string;
  classification?: string;
}

/** A rule as a database filter: the column is one of `value`. */
export interface DatasetPermissionQuery {
  column: 'owner' | 'domain' | 'classification';
  values: string[];
}

export const datasetPermissionResourceRef = createPermissionResourceRef<
  DatasetPermissionResource,
  DatasetPermissionQuery
>().with({
  pluginId: 'lakehouse',
  resourceType: LAKEHOUSE_DATASET_RESOURCE_TYPE,
});

const valuesRule = (
  name: string,
  description: string,
  column: DatasetPermissionQuery['column'],
) =>
  createPermissionRule({
    name,
    description,
    resourceRef: datasetPermissionResourceRef,
    paramsSchema: z.object({ values: z.array(z.string()) }),
    apply: (resource, { values }) => values.includes(resource[column] ?? ''),
    toQuery: ({ values }) => ({ column, values }),
  });

export const datasetRules = {
  isOwnedBy: valuesRule(
    'IS_DATASET_OWNED_BY',
    "Allow datasets owned by one of the given group refs (use the caller's ownership claims)",
    'owner',
  ),
  isInDomain: valuesRule(
    'IS_DATASET_IN_DOMAIN',
    'Allow datasets of the given domains',
    'domain',
  ),
  hasClassification: valuesRule(
    'HAS_DATASET_CLASSIFICATION',
    'Allow datasets whose classification is one of the given values',
    'classification',
  ),
};

const transform = createConditionTransformer([
  datasetRules.isOwnedBy,
  datasetRules.isInDomain,
  datasetRules.hasClassification,
]);

/** A conditional permission decision as a filter on dataset queries. */
export function conditionsToFilter(
  conditions: Parameters<typeof transform>[0],
): DatasetFilter {
  const criteria = transform(
    conditions,
  ) as PermissionCriteria<DatasetPermissionQuery>;
  // The same conditions filter the same way: a key for cached facet counts.
  return Object.assign(criteriaFilter(criteria, 'd'), {
    key: JSON.stringify(criteria),
  });
}
