import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { LakehouseDatasetProvider } from './LakehouseDatasetProvider';
import {
  readAllFeatureAssets,
  readAllModels,
} from '@lakeport/plugin-lakehouse-node';
import { LakehouseAssetProvider } from './LakehouseAssetProvider';
import { featureEntity } from './featureEntity';
import { modelEntity } from './modelEntity';

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
        const lakehouseUrl = () => discovery.getExternalBaseUrl('lakehouse');
        const providers = [
          new LakehouseAssetProvider({
            name: 'lakehouse-features',
            noun: 'feature views and services',
            read: () => readAllFeatureAssets({ discovery, auth }),
            entity: async asset =>
              featureEntity(asset, {
                location: `url:${await lakehouseUrl()}/features/${encodeURIComponent(
                  asset.id,
                )}`,
              }),
            logger,
          }),
          new LakehouseAssetProvider({
            name: 'lakehouse-models',
            noun: 'registered models',
            read: () => readAllModels({ discovery, auth }),
            entity: async model =>
              modelEntity(model, {
                location: `url:${await lakehouseUrl()}/models/${encodeURIComponent(
                  model.id,
                )}`,
              }),
            logger,
          }),
        ];
        for (const p of providers) {
          catalog.addEntityProvider(p);
          await scheduler.scheduleTask({
            id: `${p.getProviderName()}-to-catalog`,
            frequency: {
              minutes:
                config.getOptionalNumber(
                  'lakeport.metadata.catalog.refreshIntervalMinutes',
                ) ?? 1,
            },
            // The first metadata sync starts 15 s after boot.
            initialDelay: { seconds: 30 },
            timeout: { minutes: 10 },
            fn: async () => {
              await p.refresh();
            },
          });
        }
      },
    });
  },
});
