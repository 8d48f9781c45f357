import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { DatasetCollatorFactory } from './DatasetCollatorFactory';
import { FeatureCollatorFactory } from './FeatureCollatorFactory';
import { ModelCollatorFactory } from './ModelCollatorFactory';

/** @public */
export const searchModuleLakehouse = createBackendModule({
  pluginId: 'search',
  moduleId: 'lakehouse',
  register(reg) {
    reg.registerInit({
      deps: {
        indexRegistry: searchIndexRegistryExtensionPoint,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ indexRegistry, scheduler, discovery, auth }) {
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner({
            frequency: { minutes: 10 },
            timeout: { minutes: 15 },
            initialDelay: { seconds: 20 },
          }),
          factory: new DatasetCollatorFactory({ discovery, auth }),
        });
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner({
            frequency: { minutes: 10 },
            timeout: { minutes: 15 },
            initialDelay: { seconds: 45 },
          }),
          factory: new FeatureCollatorFactory({ discovery, auth }),
        });
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner({
            frequency: { minutes: 10 },
            timeout: { minutes: 15 },
            initialDelay: { seconds: 50 },
          }),
          factory: new ModelCollatorFactory({ discovery, auth }),
        });
      },
    });
  },
});
