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
  lakehouseLineageWritePermission,
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
 * (sensitive values are masked by the lakehouse plugin itself); the rest of
 * Backstage keeps its defaults.
 */
export class LakeportPermissionPolicy implements PermissionPolicy {
  constructor(private readonly platformAdminGroups: string[]) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (ADMIN_PERMISSIONS.has(request.permission.name)) {
      const claims = user?.info.ownershipEntityRefs ?? [];
      const admin = claims.some(ref => this.platformAdminGroups.includes(ref));
      return { result: admin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
