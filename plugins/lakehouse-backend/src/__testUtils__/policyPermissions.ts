import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import { LakeportPermissionPolicy } from '@lakeport/plugin-permission-backend-module-lakeport-policy';
import {
  DatasetPermissionResource,
  datasetRules,
} from '../permissions/datasetRules';
import { ModelPermissionResource, modelRules } from '../permissions/modelRules';

const rules = [...Object.values(datasetRules), ...Object.values(modelRules)];
type Resource = DatasetPermissionResource | ModelPermissionResource;

function matches(
  criteria: PermissionCriteria<PermissionCondition>,
  resource: Resource,
): boolean {
  if ('allOf' in criteria)
    return criteria.allOf.every(c => matches(c, resource));
  if ('anyOf' in criteria)
    return criteria.anyOf.some(c => matches(c, resource));
  if ('not' in criteria) return !matches(criteria.not, resource);
  const rule = rules.find(r => r.name === criteria.rule);
  if (!rule) throw new Error(`Unknown rule ${criteria.rule}`);
  return rule.apply(resource as any, criteria.params as any);
}

/**
 * The permissions service as the permission backend would answer with the
 * real Lakeport policy: the policy decides, conditional decisions are
 * applied with the plugin's own rules, services are allowed. (The real
 * permission backend refuses mock users' conditional requests: mock tokens
 * carry no on-behalf-of actor.)
 */
export function lakeportPolicyPermissions(options: {
  ownership: Record<string, string[]>;
  platformAdminGroups?: string[];
  /** A dataset or model by id, as its permission rules see it. */
  resource: (id: string) => Promise<Resource | undefined>;
}) {
  const policy = new LakeportPermissionPolicy(
    options.platformAdminGroups ?? ['group:default/data-platform'],
  );
  const decide = async (request: any, credentials: any) => {
    if (credentials.principal.type === 'service')
      return { result: AuthorizeResult.ALLOW };
    const ref = credentials.principal.userEntityRef;
    const user = ref && {
      identity: {
        type: 'user',
        userEntityRef: ref,
        ownershipEntityRefs: options.ownership[ref] ?? [ref],
      },
      info: {
        userEntityRef: ref,
        ownershipEntityRefs: options.ownership[ref] ?? [ref],
      },
      token: 'mock',
      credentials,
    };
    return policy.handle({ permission: request.permission }, user as any);
  };
  return mockServices.permissions.mock({
    authorizeConditional: (async (requests: any[], { credentials }: any) =>
      Promise.all(requests.map(r => decide(r, credentials)))) as any,
    authorize: (async (requests: any[], { credentials }: any) =>
      Promise.all(
        requests.map(async r => {
          const decision: any = await decide(r, credentials);
          if (decision.result !== AuthorizeResult.CONDITIONAL) return decision;
          const resource = await options.resource(r.resourceRef);
          return {
            result:
              resource && matches(decision.conditions, resource)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          };
        }),
      )) as any,
  }).factory;
}
