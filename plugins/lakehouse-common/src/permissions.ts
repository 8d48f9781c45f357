import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/** Resource type of datasets in permission rules. @public */
export const LAKEHOUSE_DATASET_RESOURCE_TYPE = 'lakehouse-dataset';

/** See a dataset in lists and read its metadata. @public */
export const lakehouseDatasetReadPermission: ResourcePermission<
  typeof LAKEHOUSE_DATASET_RESOURCE_TYPE
> = createPermission({
  name: 'lakehouse.dataset.read',
  attributes: { action: 'read' },
  resourceType: LAKEHOUSE_DATASET_RESOURCE_TYPE,
});

/** Read sample rows of a dataset (sensitive columns masked without a grant). @public */
export const lakehouseDatasetPreviewPermission: ResourcePermission<
  typeof LAKEHOUSE_DATASET_RESOURCE_TYPE
> = createPermission({
  name: 'lakehouse.dataset.preview',
  attributes: { action: 'read' },
  resourceType: LAKEHOUSE_DATASET_RESOURCE_TYPE,
});

/** Run a lakehouse sync now (platform admins). @public */
export const lakehouseSyncPermission = createPermission({
  name: 'lakehouse.sync.run',
  attributes: { action: 'update' },
});

/**
 * Post lineage (OpenLineage events, dbt manifests). Producers use service
 * tokens (external access); users need this permission (platform admins).
 *
 * @public
 */
export const lakehouseLineageWritePermission = createPermission({
  name: 'lakehouse.lineage.write',
  attributes: { action: 'create' },
});

/**
 * Run a dataset's quality checks, import results for it and acknowledge its
 * failing checks (owners of the dataset and platform admins).
 *
 * @public
 */
export const lakehouseQualityRunPermission: ResourcePermission<
  typeof LAKEHOUSE_DATASET_RESOURCE_TYPE
> = createPermission({
  name: 'lakehouse.quality.run',
  attributes: { action: 'update' },
  resourceType: LAKEHOUSE_DATASET_RESOURCE_TYPE,
});

/** Ask for access to a dataset (any signed-in user). @public */
export const lakehouseAccessRequestPermission: ResourcePermission<
  typeof LAKEHOUSE_DATASET_RESOURCE_TYPE
> = createPermission({
  name: 'lakehouse.access.request',
  attributes: { action: 'create' },
  resourceType: LAKEHOUSE_DATASET_RESOURCE_TYPE,
});

/**
 * Decide on access requests for a dataset: its owner group, and stewards of
 * the data-governance group for the second step. Which step a reviewer may
 * take is checked by the lakehouse plugin.
 *
 * @public
 */
export const lakehouseAccessReviewPermission: ResourcePermission<
  typeof LAKEHOUSE_DATASET_RESOURCE_TYPE
> = createPermission({
  name: 'lakehouse.access.review',
  attributes: { action: 'update' },
  resourceType: LAKEHOUSE_DATASET_RESOURCE_TYPE,
});

/** Revoke grants on a dataset and read its access audit: owners, stewards, platform admins. @public */
export const lakehouseAccessRevokePermission: ResourcePermission<
  typeof LAKEHOUSE_DATASET_RESOURCE_TYPE
> = createPermission({
  name: 'lakehouse.access.revoke',
  attributes: { action: 'delete' },
  resourceType: LAKEHOUSE_DATASET_RESOURCE_TYPE,
});

/**
 * Confirm that a column lineage derives as sensitive is not (an explicit
 * classification breaker), and revoke such a confirmation: stewards of
 * the data-governance group. @public
 */
export const lakehouseClassificationConfirmPermission = createPermission({
  name: 'lakehouse.classification.confirm',
  attributes: { action: 'update' },
});

/** @public */
/**
 * Plan a pipeline's output and lineage (what `lakehouse:dataset:plan` does
 * for the person running a template). Every signed-in user by default.
 *
 * @public
 */
export const lakehousePipelinePlanPermission = createPermission({
  name: 'lakehouse.pipeline.plan',
  attributes: { action: 'create' },
});

/**
 * Create a stream topic with its contract (what `lakehouse:topic:create`
 * does for the person running the streaming template). Every signed-in
 * user by default.
 *
 * @public
 */
export const lakehouseTopicCreatePermission = createPermission({
  name: 'lakehouse.stream.topic.create',
  attributes: { action: 'create' },
});

/** @public */
export const lakehousePermissions = [
  lakehouseClassificationConfirmPermission,
  lakehouseDatasetReadPermission,
  lakehouseDatasetPreviewPermission,
  lakehouseSyncPermission,
  lakehouseLineageWritePermission,
  lakehouseQualityRunPermission,
  lakehouseAccessRequestPermission,
  lakehouseAccessReviewPermission,
  lakehouseAccessRevokePermission,
  lakehousePipelinePlanPermission,
  lakehouseTopicCreatePermission,
];

/** Resource type of feature-store assets (views, services, entities) in permission rules. @public */
export const LAKEHOUSE_FEATURE_RESOURCE_TYPE = 'lakehouse-feature';

/**
 * See a feature view, service or entity and its features. Conditional
 * decisions use the feature rules (owner group, derived classification).
 *
 * @public
 */
export const lakehouseFeatureReadPermission: ResourcePermission<
  typeof LAKEHOUSE_FEATURE_RESOURCE_TYPE
> = createPermission({
  name: 'lakehouse.feature.read',
  attributes: { action: 'read' },
  resourceType: LAKEHOUSE_FEATURE_RESOURCE_TYPE,
});

/** Resource type of registered models in permission rules. @public */
export const LAKEHOUSE_MODEL_RESOURCE_TYPE = 'lakehouse-model';

/**
 * See a registered model, its versions, training data and promotions; also
 * what asking for a promotion needs. Conditional decisions use the model
 * rules (owner group, training-data classification, server).
 *
 * @public
 */
export const lakehouseModelReadPermission: ResourcePermission<
  typeof LAKEHOUSE_MODEL_RESOURCE_TYPE
> = createPermission({
  name: 'lakehouse.model.read',
  attributes: { action: 'read' },
  resourceType: LAKEHOUSE_MODEL_RESOURCE_TYPE,
});

/**
 * Approve or reject a promotion of a model's governed alias, and move an
 * alias changed outside Lakeport back (the model's owners).
 *
 * @public
 */
export const lakehouseModelPromotionDecidePermission: ResourcePermission<
  typeof LAKEHOUSE_MODEL_RESOURCE_TYPE
> = createPermission({
  name: 'lakehouse.model.promotion.decide',
  attributes: { action: 'update' },
  resourceType: LAKEHOUSE_MODEL_RESOURCE_TYPE,
});

/** Sign off a promotion of a model trained on PII (stewards). @public */
export const lakehouseModelPromotionStewardPermission = createPermission({
  name: 'lakehouse.model.promotion.steward',
  attributes: { action: 'update' },
});
