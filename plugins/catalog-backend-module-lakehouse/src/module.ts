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
import { readLocalProjects } from './localProjects';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { PROJECT_PUBLISHED_TOPIC } from '@lakeport/plugin-lakehouse-common';
import path from 'node:path';

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
        events: eventsServiceRef,
      },
      async init({
        catalog,
        config,
        discovery,
        auth,
        logger,
        scheduler,
        events,
      }) {
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
        const providers: LakehouseAssetProvider<any>[] = [
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
        // Projects the local publisher pushed (embedded default only):
        // read again as soon as one is published.
        const projectsDirectory = config.getOptionalString(
          'lakeport.projects.gitDirectory',
        );
        if (projectsDirectory) {
          const projects = new LakehouseAssetProvider({
            name: 'lakehouse-local-projects',
            noun: 'entities of local projects',
            read: () =>
              readLocalProjects(path.resolve(projectsDirectory), logger),
            entity: e => e,
            logger,
          });
          catalog.addEntityProvider(projects);
          await events.subscribe({
            id: 'lakehouse-local-projects',
            topics: [PROJECT_PUBLISHED_TOPIC],
            onEvent: async () => {
              await projects.refresh();
            },
          });
          providers.push(projects as LakehouseAssetProvider<any>);
        }
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
