import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { metadataSourceExtensionPoint } from '@lakeport/plugin-lakehouse-node';
import { FeastRegistryClient } from './FeastRegistryClient';
import { FeastSource } from './FeastSource';

/**
 * Feast registries (`lakeport.feast.registries`) as metadata sources of the
 * lakehouse plugin, read through Feast's registry REST server.
 *
 * @public
 */
export const lakehouseModuleFeast = createBackendModule({
  pluginId: 'lakehouse',
  moduleId: 'feast',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        sources: metadataSourceExtensionPoint,
      },
      async init({ config, logger, sources }) {
        for (const registry of config.getOptionalConfigArray(
          'lakeport.feast.registries',
        ) ?? []) {
          const name = registry.getString('name');
          if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name))
            throw new Error(
              `lakeport.feast.registries: name "${name}" must be letters, digits, ".", "_" or "-" (it is part of asset ids)`,
            );
          const baseUrl = registry.getString('baseUrl');
          sources.addSource(
            new FeastSource({
              name,
              projects: registry.getOptionalStringArray('projects'),
              client: new FeastRegistryClient({
                baseUrl,
                token: registry.getOptionalString('token'),
                timeoutMs:
                  (registry.getOptionalNumber('timeoutSeconds') ?? 30) * 1000,
              }),
            }),
          );
          logger.info(`Feast registry ${name} at ${baseUrl}`);
        }
      },
    });
  },
});
