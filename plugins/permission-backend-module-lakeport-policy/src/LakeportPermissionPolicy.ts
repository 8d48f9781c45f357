import {
  taskCreatePermission,
  templateDryRunPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  LAKEHOUSE_DATASET_RESOURCE_TYPE,
  LAKEHOUSE_MODEL_RESOURCE_TYPE,
  lakehouseAccessRequestPermission,
  lakehouseAccessReviewPermission,
  lakehouseAccessRevokePermission,
  lakehouseClassificationConfirmPermission,
  lakehouseLineageWritePermission,
  lakehouseModelPromotionDecidePermission,
  lakehouseModelPromotionStewardPermission,
  lakehouseQualityRunPermission,
  lakehouseSyncPermission,
} from '@lakeport/plugin-lakehouse-common';

// Platform administration: only members of the platform admin groups.
const ADMIN_PERMISSIONS = new Set([
  lakehouseSyncPermission.name,
  lakehouseLineageWritePermission.name,
]);

/**
 * Lakeport's policy. Platform administration (lakehouse sync, posting
 * lineage as a user; producers post with service tokens) is for members
 * of the platform admin groups; reading datasets is for every signed-in user
 * (sensitive values are masked by the lakehouse plugin itself); running
 * and acknowledging a dataset's quality checks is for its owners (and
 * platform admins); access: anyone signed in may ask, owners then stewards
 * review, owners, stewards and admins revoke; only stewards confirm that a
 * derived classification does not apply; models: everyone signed in
 * reads them and may ask for a promotion, their owners decide, stewards
 * sign off models trained on PII; templates: every signed-in user runs
 * them unless `lakeport.scaffolder.templateRunnerGroups` names who may;
 * the rest of Backstage keeps its defaults.
 */
export class LakeportPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly platformAdminGroups: string[],
    private readonly stewardGroups: string[] = [
      'group:default/data-governance',
    ],
    /** Who may run templates; empty: every signed-in user. */
    private readonly templateRunnerGroups: string[] = [],
  ) {}

  private ownersOnly(
    claims: string[],
    resourceType = LAKEHOUSE_DATASET_RESOURCE_TYPE,
    rule = 'IS_DATASET_OWNED_BY',
  ): PolicyDecision {
    if (claims.length === 0) return { result: AuthorizeResult.DENY };
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'lakehouse',
      resourceType,
      conditions: { rule, resourceType, params: { values: claims } },
    };
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const admin = claims.some(ref => this.platformAdminGroups.includes(ref));
    if (ADMIN_PERMISSIONS.has(request.permission.name)) {
      return { result: admin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    const steward = claims.some(ref => this.stewardGroups.includes(ref));
    switch (request.permission.name) {
      case lakehouseQualityRunPermission.name:
        return admin
          ? { result: AuthorizeResult.ALLOW }
          : this.ownersOnly(claims);
      case lakehouseAccessRequestPermission.name:
        return { result: user ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
      // Owners decide the first step, stewards the second; platform admins
      // do not approve access (separation of duties), they may revoke it.
      case lakehouseAccessReviewPermission.name:
        return steward
          ? { result: AuthorizeResult.ALLOW }
          : this.ownersOnly(claims);
      // Whether a derived classification may be lifted is the stewards'
      // call alone: not the owner's, whose data it is, nor an admin's.
      case lakehouseClassificationConfirmPermission.name:
        return {
          result: steward ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      // Moving a model's governed alias is its owners' decision alone.
      case lakehouseModelPromotionDecidePermission.name:
        return this.ownersOnly(
          claims,
          LAKEHOUSE_MODEL_RESOURCE_TYPE,
          'IS_MODEL_OWNED_BY',
        );
      case lakehouseModelPromotionStewardPermission.name:
        return {
          result: steward ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      // Running a template (or its dry run in the editor): every signed-in
      // user, or only the configured groups.
      case taskCreatePermission.name:
      case templateDryRunPermission.name:
        if (!user) return { result: AuthorizeResult.DENY };
        return {
          result:
            this.templateRunnerGroups.length === 0 ||
            claims.some(ref => this.templateRunnerGroups.includes(ref))
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        };
      case lakehouseAccessRevokePermission.name:
        return admin || steward
          ? { result: AuthorizeResult.ALLOW }
          : this.ownersOnly(claims);
      default:
        break;
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
