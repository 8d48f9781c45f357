import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { lakehouseSyncPermission } from '@lakeport/plugin-lakehouse-common';

/**
 * Lakeport's policy. Platform administration (lakehouse sync) is for members
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
    if (request.permission.name === lakehouseSyncPermission.name) {
      const claims = user?.info.ownershipEntityRefs ?? [];
      const admin = claims.some(ref => this.platformAdminGroups.includes(ref));
      return { result: admin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
