import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { LakehouseDatasetProvider } from './LakehouseDatasetProvider';
import { LakehouseFeatureProvider } from './LakehouseFeatureProvider';

/** @public */
export const catalogModuleLakehouse = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'lakehouse',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, discovery, auth, logger, scheduler }) {
        const provider = new LakehouseDatasetProvider({
          discovery,
          auth,
          logger,
          defaultOwner:
            config.getOptionalString(
              'lakeport.lakehouse.catalog.defaultOwner',
            ) ?? 'group:default/data-platform',
        });
        catalog.addEntityProvider(provider);
        await scheduler.scheduleTask({
          id: 'lakehouse-datasets-to-catalog',
          frequency: {
            minutes:
              config.getOptionalNumber(
                'lakeport.lakehouse.catalog.refreshIntervalMinutes',
              ) ?? 5,
          },
          // The first sync of the lakehouse starts 3 s after boot.
          initialDelay: { seconds: 15 },
          timeout: { minutes: 10 },
          fn: async () => {
            await provider.refresh();
          },
        });
        const features = new LakehouseFeatureProvider({
          discovery,
          auth,
          logger,
        });
        catalog.addEntityProvider(features);
        await scheduler.scheduleTask({
          id: 'lakehouse-features-to-catalog',
          frequency: {
            minutes:
              config.getOptionalNumber(
                'lakeport.metadata.catalog.refreshIntervalMinutes',
              ) ?? 1,
          },
          // The first Feast sync starts 15 s after boot.
          initialDelay: { seconds: 30 },
          timeout: { minutes: 10 },
          fn: async () => {
            await features.refresh();
          },
        });
      },
    });
  },
});
