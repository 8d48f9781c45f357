import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { metadataSourceExtensionPoint } from '@lakeport/plugin-lakehouse-node';
import { MlflowClient } from './MlflowClient';
import { MlflowSource } from './MlflowSource';

/**
 * MLflow tracking servers (`lakeport.mlflow.servers`) as metadata sources of
 * the lakehouse plugin, read through MLflow's REST API 2.0.
 *
 * @public
 */
export const lakehouseModuleMlflow = createBackendModule({
  pluginId: 'lakehouse',
  moduleId: 'mlflow',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        sources: metadataSourceExtensionPoint,
      },
      async init({ config, logger, sources }) {
        const feastRegistries =
          config
            .getOptionalConfigArray('lakeport.feast.registries')
            ?.map(r => r.getString('name')) ?? [];
        for (const server of config.getOptionalConfigArray(
          'lakeport.mlflow.servers',
        ) ?? []) {
          const name = server.getString('name');
          if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name))
            throw new Error(
              `lakeport.mlflow.servers: name "${name}" must be letters, digits, ".", "_" or "-" (it is part of asset ids)`,
            );
          const feastRegistry =
            server.getOptionalString('feastRegistry') ?? feastRegistries[0];
          sources.addSource(
            new MlflowSource({
              name,
              client: new MlflowClient({
                baseUrl: server.getString('baseUrl'),
                username: server.getOptionalString('username'),
                password: server.getOptionalString('password'),
                timeoutMs:
                  (server.getOptionalNumber('timeoutSeconds') ?? 30) * 1000,
              }),
              webhookSecret: server.getOptionalString('webhookSecret'),
              feastNamespace: project =>
                feastRegistry && project
                  ? `${feastRegistry}/${project}`
                  : undefined,
            }),
          );
          logger.info(
            `MLflow server ${name} at ${server.getString('baseUrl')}`,
          );
        }
      },
    });
  },
});
