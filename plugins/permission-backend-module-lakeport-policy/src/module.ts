import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { LakeportPermissionPolicy } from './LakeportPermissionPolicy';

/** @public */
export const permissionModuleLakeportPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'lakeport-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new LakeportPermissionPolicy(
            config.getOptionalStringArray('lakeport.platformAdminGroups') ?? [
              'group:default/data-platform',
            ],
            config.getOptionalStringArray('lakeport.access.stewardGroups') ?? [
              'group:default/data-governance',
            ],
            config.getOptionalStringArray(
              'lakeport.scaffolder.templateRunnerGroups',
            ) ?? [],
          ),
        );
      },
    });
  },
});
