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
  lakehouseLineageWritePermission,
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
 * platform admins); the rest of Backstage keeps its defaults.
 */
export class LakeportPermissionPolicy implements PermissionPolicy {
  constructor(private readonly platformAdminGroups: string[]) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const admin = claims.some(ref => this.platformAdminGroups.includes(ref));
    if (ADMIN_PERMISSIONS.has(request.permission.name)) {
      return { result: admin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (request.permission.name === lakehouseQualityRunPermission.name) {
      if (admin) return { result: AuthorizeResult.ALLOW };
      if (claims.length === 0) return { result: AuthorizeResult.DENY };
      return {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'lakehouse',
        resourceType: LAKEHOUSE_DATASET_RESOURCE_TYPE,
        conditions: {
          rule: 'IS_DATASET_OWNED_BY',
          resourceType: LAKEHOUSE_DATASET_RESOURCE_TYPE,
          params: { values: claims },
        },
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
