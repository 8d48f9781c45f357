import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { EMBEDDED_LAKEHOUSE_NAMESPACE } from '@lakeport/plugin-lakehouse-common';
import { lakehouseEngineExtensionPoint } from '@lakeport/plugin-lakehouse-node';
import path from 'node:path';
import { DuckDBEngine } from './DuckDBEngine';

/**
 * The embedded lakehouse engine: DuckDB over the Parquet folders under
 * `lakeport.lakehouse.duckdb.root`, in the OpenLineage namespace `lakeport`.
 *
 * @public
 */
export const lakehouseModuleDuckdb = createBackendModule({
  pluginId: 'lakehouse',
  moduleId: 'duckdb',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        engines: lakehouseEngineExtensionPoint,
      },
      async init({ config, logger, lifecycle, engines }) {
        const root = path.resolve(
          config.getOptionalString('lakeport.lakehouse.duckdb.root') ??
            '../../data/lakehouse',
        );
        const engine = await DuckDBEngine.create({
          root,
          namespace: EMBEDDED_LAKEHOUSE_NAMESPACE,
        });
        logger.info(`Embedded lakehouse: DuckDB over ${root}`);
        lifecycle.addShutdownHook(() => engine.close());
        engines.setEngine(engine);
      },
    });
  },
});
