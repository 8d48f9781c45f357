import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  lakehouseDatasetPreviewPermission,
  lakehouseDatasetReadPermission,
  lakehouseLineageWritePermission,
  lakehouseQualityRunPermission,
  lakehouseSyncPermission,
} from '@lakeport/plugin-lakehouse-common';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  LakehouseEngine,
  lakehouseEngineExtensionPoint,
} from '@lakeport/plugin-lakehouse-node';
import path from 'node:path';
import { DatasetStore } from './assets/DatasetStore';
import { DatasetService } from './assets/DatasetService';
import { createDatasetsRouter } from './assets/datasetsRouter';
import {
  datasetPermissionResourceRef,
  datasetRules,
} from './permissions/datasetRules';
import { createLineageRouter } from './lineage/lineageRouter';
import { LineageService } from './lineage/LineageService';
import { LineageStore } from './lineage/LineageStore';
import { createRouter } from './router';
import { healthNotifier } from './quality/notifyHealthChange';
import { createQualityRouter } from './quality/qualityRouter';
import { QualityRunner } from './quality/QualityRunner';
import { QualityService } from './quality/QualityService';
import { QualityStore } from './quality/QualityStore';
import { LakehouseSync } from './sync/LakehouseSync';
import { createSyncRouter, SYNC_TASK_ID } from './sync/syncRouter';

/**
 * The lakehouse plugin: the metadata graph over the lakehouse.
 *
 * @public
 */
export const lakehousePlugin = createBackendPlugin({
  pluginId: 'lakehouse',
  register(env) {
    let engine: LakehouseEngine | undefined;
    env.registerExtensionPoint(lakehouseEngineExtensionPoint, {
      setEngine(e) {
        if (engine) throw new Error('A lakehouse engine is already registered');
        engine = e;
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        notifications: notificationService,
      },
      async init(deps) {
        if (!engine) {
          throw new Error(
            'No lakehouse engine: add an engine module such as @lakeport/plugin-lakehouse-backend-module-duckdb',
          );
        }
        const db = await deps.database.getClient();
        if (!deps.database.migrations?.skip) {
          await db.migrate.latest({
            directory: resolvePackagePath(
              '@lakeport/plugin-lakehouse-backend',
              'migrations',
            ),
          });
        }
        const store = new DatasetStore(db);

        deps.permissionsRegistry.addResourceType({
          resourceRef: datasetPermissionResourceRef,
          permissions: [
            lakehouseDatasetReadPermission,
            lakehouseDatasetPreviewPermission,
            lakehouseQualityRunPermission,
          ],
          rules: Object.values(datasetRules),
          getResources: async ids =>
            Promise.all(
              ids.map(async id => (await store.get(id)) ?? undefined),
            ),
        });
        deps.permissionsRegistry.addPermissions([
          lakehouseSyncPermission,
          lakehouseLineageWritePermission,
        ]);

        const lineage = new LineageService({
          store: new LineageStore(db),
          datasets: store,
          permissions: deps.permissions,
          auditor: deps.auditor,
          logger: deps.logger,
        });
        const service = new DatasetService({
          store,
          engine,
          permissions: deps.permissions,
          userInfo: deps.userInfo,
          auth: deps.auth,
          derivedClassifications: id => lineage.derivedClassifications(id),
        });

        const qualityStore = new QualityStore(db);
        const runner = new QualityRunner({
          store: qualityStore,
          datasets: store,
          engine,
          logger: deps.logger,
          queryTimeoutMs:
            (deps.config.getOptionalNumber(
              'lakeport.quality.queryTimeoutSeconds',
            ) ?? 600) * 1000,
          onHealthChange: healthNotifier({
            notifications: deps.notifications,
            lineage,
            auth: deps.auth,
            dataset: id => store.get(id),
          }),
        });
        const quality = new QualityService({
          store: qualityStore,
          runner,
          datasets: store,
          datasetService: service,
          permissions: deps.permissions,
          auth: deps.auth,
          userInfo: deps.userInfo,
          auditor: deps.auditor,
          logger: deps.logger,
          defaultSchedule:
            deps.config.getOptionalString('lakeport.quality.defaultSchedule') ??
            '0 5 * * *',
        });
        lineage.onOutputsCompleted(ids => quality.datasetsWritten(ids));

        const sampleEventsFile = deps.config.getOptionalString(
          'lakeport.lineage.sampleEventsFile',
        );
        let sampleLoaded = !sampleEventsFile;

        const sync = new LakehouseSync({
          engine,
          store,
          logger: deps.logger,
          onContracts: contracts => quality.syncDefinitions(contracts),
          contractsDirectory: path.resolve(
            deps.config.getOptionalString(
              'lakeport.lakehouse.contractsDirectory',
            ) ?? '../../catalog-info/contracts',
          ),
        });
        await deps.scheduler.scheduleTask({
          id: SYNC_TASK_ID,
          frequency: {
            minutes:
              deps.config.getOptionalNumber(
                'lakeport.lakehouse.syncIntervalMinutes',
              ) ?? 10,
          },
          timeout: { minutes: 30 },
          initialDelay: { seconds: 3 },
          fn: async () => {
            await sync.run();
            await lineage.matcher.refresh(true);
            // Sample lineage after the first sync, so names and paths match
            // catalog datasets; idempotent, so a restart loads nothing twice.
            if (!sampleLoaded) {
              sampleLoaded = true;
              await lineage.loadEventsFile(path.resolve(sampleEventsFile!));
            }
            const overrides = await lineage.auditOverrides();
            if (overrides) {
              deps.logger.info(
                `Recorded ${overrides} new contract overrides of derived classifications`,
              );
            }
          },
        });

        // Schedules are read on one replica; every replica works the queue.
        await deps.scheduler.scheduleTask({
          id: 'lakehouse-quality-schedule',
          frequency: { minutes: 1 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 30 },
          fn: async () => {
            await quality.runDueSchedules();
          },
        });
        await deps.scheduler.scheduleTask({
          id: 'lakehouse-quality-worker',
          scope: 'local',
          frequency: { seconds: 20 },
          timeout: { hours: 2 },
          initialDelay: { seconds: 20 },
          fn: () => runner.drain(),
        });

        deps.httpRouter.use(
          createRouter([
            createDatasetsRouter({ service, httpAuth: deps.httpAuth }),
            createLineageRouter({ service: lineage, httpAuth: deps.httpAuth }),
            createQualityRouter({ service: quality, httpAuth: deps.httpAuth }),
            createSyncRouter({
              store,
              scheduler: deps.scheduler,
              permissions: deps.permissions,
              httpAuth: deps.httpAuth,
            }),
          ]),
        );
      },
    });
  },
});
