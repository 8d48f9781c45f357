import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { accessProvisionerExtensionPoint } from '@lakeport/plugin-lakehouse-node';
import { PostgresAccessProvisioner } from './PostgresAccessProvisioner';

/**
 * Adds the `postgres` access provisioner when `lakeport.access.postgres` is
 * configured; `lakeport.access.provisioner: postgres` selects it.
 *
 * @public
 */
export const lakehouseModulePostgresAccess = createBackendModule({
  pluginId: 'lakehouse',
  moduleId: 'postgres-access',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        lifecycle: coreServices.lifecycle,
        provisioners: accessProvisionerExtensionPoint,
      },
      async init({ config, lifecycle, provisioners }) {
        const postgres = config.getOptionalConfig('lakeport.access.postgres');
        if (!postgres) return;
        const provisioner = PostgresAccessProvisioner.fromConfig(postgres);
        lifecycle.addShutdownHook(() => provisioner.close());
        provisioners.addProvisioner(provisioner);
      },
    });
  },
});
