import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { streamSourceExtensionPoint } from '@lakeport/plugin-lakehouse-node';
import { KafkaStreamSource } from './KafkaStreamSource';

/**
 * Kafka clusters (`lakeport.kafka.clusters`) as stream sources of the
 * lakehouse plugin: their topics become datasets.
 *
 * @public
 */
export const lakehouseModuleKafka = createBackendModule({
  pluginId: 'lakehouse',
  moduleId: 'kafka',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        sources: streamSourceExtensionPoint,
      },
      async init({ config, logger, sources }) {
        for (const cluster of config.getOptionalConfigArray(
          'lakeport.kafka.clusters',
        ) ?? []) {
          const name = cluster.getString('name');
          if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name))
            throw new Error(
              `lakeport.kafka.clusters: name "${name}" must be letters, digits, ".", "_" or "-" (it is part of the source id)`,
            );
          const brokers = cluster.getStringArray('brokers');
          const sasl = cluster.getOptionalConfig('sasl');
          sources.addSource(
            new KafkaStreamSource({
              name,
              brokers,
              clientId: cluster.getOptionalString('clientId'),
              ssl: cluster.getOptionalBoolean('ssl'),
              sasl: sasl && {
                mechanism: sasl.getString('mechanism') as any,
                username: sasl.getString('username'),
                password: sasl.getString('password'),
              },
              timeoutMs:
                (cluster.getOptionalNumber('timeoutSeconds') ?? 30) * 1000,
            }),
          );
          logger.info(`Kafka cluster ${name} at ${brokers.join(', ')}`);
        }
      },
    });
  },
});
