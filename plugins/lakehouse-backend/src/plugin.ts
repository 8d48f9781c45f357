import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  lakehouseDatasetPreviewPermission,
  lakehouseDatasetReadPermission,
  lakehouseLineageWritePermission,
  lakehousePipelinePlanPermission,
  lakehouseAccessRequestPermission,
  lakehouseAccessReviewPermission,
  lakehouseAccessRevokePermission,
  lakehouseQualityRunPermission,
  lakehouseSyncPermission,
} from '@lakeport/plugin-lakehouse-common';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  AccessProvisioner,
  accessProvisionerExtensionPoint,
  LakehouseEngine,
  lakehouseEngineExtensionPoint,
  MetadataSource,
  metadataSourceExtensionPoint,
  StreamSource,
  streamSourceExtensionPoint,
} from '@lakeport/plugin-lakehouse-node';
import { wireStreams } from './streams/wireStreams';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { PortalMetrics } from './observability/PortalMetrics';
import { wireDataHealthMetrics } from './observability/wireDataHealthMetrics';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { wireFeatures } from './ml/wireFeatures';
import { QueryService } from './query/QueryService';
import { createContractsRouter } from './contracts/contractsRouter';
import { createQueryRouter } from './query/queryRouter';
import { PlannedStore } from './planned/PlannedStore';
import { PlannedService } from './planned/PlannedService';
import { createPlannedRouter } from './planned/plannedRouter';
import { wireModels } from './ml/models/wireModels';
import { AccessService } from './access/AccessService';
import { AccessStore } from './access/AccessStore';
import { createAccessRouter } from './access/accessRouter';
import { EmbeddedProvisioner } from './access/provisioners/EmbeddedProvisioner';
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

    const provisioners = new Map<string, AccessProvisioner>();
    env.registerExtensionPoint(accessProvisionerExtensionPoint, {
      addProvisioner(p) {
        if (provisioners.has(p.id))
          throw new Error(
            `An access provisioner ${p.id} is already registered`,
          );
        provisioners.set(p.id, p);
      },
    });

    const metadataSources = new Map<string, MetadataSource>();
    env.registerExtensionPoint(metadataSourceExtensionPoint, {
      addSource(source) {
        if (metadataSources.has(source.id))
          throw new Error(
            `A metadata source ${source.id} is already registered`,
          );
        metadataSources.set(source.id, source);
      },
    });

    const streamSources = new Map<string, StreamSource>();
    env.registerExtensionPoint(streamSourceExtensionPoint, {
      addSource(source) {
        if (streamSources.has(source.id))
          throw new Error(`A stream source ${source.id} is already registered`);
        streamSources.set(source.id, source);
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
        catalog: catalogServiceRef,
        metrics: metricsServiceRef,
      },
      async init(deps) {
        if (!engine) {
          throw new Error(
            'No lakehouse engine: add an engine module such as @lakeport/plugin-lakehouse-backend-module-duckdb',
          );
        }
        const db = await deps.database.getClient();
        const metrics = new PortalMetrics(deps.metrics);
        // The engine as a source of the sync metrics.
        const engineSource = {
          id: `lakehouse:${engine.namespace}`,
          kind: 'lakehouse',
        };
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
            lakehouseAccessRequestPermission,
            lakehouseAccessReviewPermission,
            lakehouseAccessRevokePermission,
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
          lakehousePipelinePlanPermission,
        ]);

        const lineageStore = new LineageStore(db);
        const plannedStore = new PlannedStore(db);
        const lineage = new LineageService({
          store: lineageStore,
          datasets: store,
          permissions: deps.permissions,
          auditor: deps.auditor,
          logger: deps.logger,
          planned: plannedStore,
          metrics,
        });
        // Access: the provisioner named in config (embedded by default;
        // modules add others, e.g. postgres-access).
        const embedded = new EmbeddedProvisioner();
        if (!provisioners.has(embedded.id))
          provisioners.set(embedded.id, embedded);
        const provisionerId =
          deps.config.getOptionalString('lakeport.access.provisioner') ??
          'embedded';
        const provisioner = provisioners.get(provisionerId);
        if (!provisioner)
          throw new Error(
            `No access provisioner "${provisionerId}" (have ${[
              ...provisioners.keys(),
            ].join(', ')})`,
          );
        const stewardGroups = deps.config.getOptionalStringArray(
          'lakeport.access.stewardGroups',
        ) ?? ['group:default/data-governance'];
        const access = new AccessService({
          store: new AccessStore(db),
          datasets: store,
          provisioner,
          permissions: deps.permissions,
          auth: deps.auth,
          userInfo: deps.userInfo,
          auditor: deps.auditor,
          logger: deps.logger,
          stewardGroups,
          maxDays: deps.config.getOptional('lakeport.access.maxDays'),
          metrics,
          derivedClassifications: id => lineage.derivedClassifications(id),
          notify: n =>
            deps.notifications.send({
              recipients: { type: 'entity', entityRef: n.recipients },
              payload: {
                title: n.title,
                description: n.description,
                link: n.link,
                topic: 'data-access',
              },
            }),
        });

        const service = new DatasetService({
          store,
          engine,
          permissions: deps.permissions,
          userInfo: deps.userInfo,
          auth: deps.auth,
          derivedClassifications: id => lineage.derivedClassifications(id),
          grantedColumns: (id, principals) =>
            access.grantedColumns(id, principals),
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
          metrics,
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

        const contractsDirectory = path.resolve(
          deps.config.getOptionalString(
            'lakeport.lakehouse.contractsDirectory',
          ) ?? '../../catalog-info/contracts',
        );
        const sync = new LakehouseSync({
          engine,
          store,
          logger: deps.logger,
          onContracts: contracts => quality.syncDefinitions(contracts),
          plannedContracts: () => plannedStore.contracts(),
          contractsDirectory,
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
            const started = performance.now();
            try {
              await sync.run();
            } catch (e) {
              metrics.sourceSync(
                engineSource,
                false,
                (performance.now() - started) / 1000,
              );
              throw e;
            }
            metrics.sourceSync(
              engineSource,
              true,
              (performance.now() - started) / 1000,
            );
            await lineage.matcher.refresh(true);
            // Sample lineage after the first sync, so names and paths match
            // catalog datasets; idempotent, so a restart loads nothing twice.
            if (!sampleLoaded) {
              sampleLoaded = true;
              await lineage.loadEventsFile(path.resolve(sampleEventsFile!));
            }
            const adopted = await lineage.adoptCatalogDatasets();
            if (adopted) {
              deps.logger.info(
                `Lineage of ${adopted} new tables joined their catalog datasets`,
              );
            }
            const overrides = await lineage.auditOverrides();
            if (overrides) {
              deps.logger.info(
                `Recorded ${overrides} new contract overrides of derived classifications`,
              );
            }
          },
        });

        wireDataHealthMetrics({
          db,
          metrics: deps.metrics,
          config: deps.config,
          logger: deps.logger,
          stewardGroups,
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

        // Provisioning on every replica (leased per grant); expiry on one.
        await deps.scheduler.scheduleTask({
          id: 'lakehouse-access-provisioning',
          scope: 'local',
          frequency: { seconds: 30 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 10 },
          fn: () => access.provisionPending(),
        });
        await deps.scheduler.scheduleTask({
          id: 'lakehouse-access-expiry',
          frequency: { minutes: 5 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 30 },
          fn: () => access.expireAndRemind(),
        });

        const sources = [...metadataSources.values()];
        metrics.startAtZero({
          sources: [engineSource, ...sources, ...streamSources.values()],
          webhookSources: sources.map(s => s.id),
          provisioner: provisioner.id,
        });
        // Set below: the models domain reads what the features domain syncs.
        const late: { models?: Awaited<ReturnType<typeof wireModels>> } = {};
        const features = await wireFeatures({
          ...deps,
          db,
          sources,
          datasets: store,
          lineageStore,
          lineage,
          access,
          metrics,
          onSynced: async source => {
            if (source.modelAliases)
              await late.models?.promotions.reconcile(source.id);
          },
        });
        const models = await wireModels({
          ...deps,
          db,
          assets: features.store,
          features: features.catalog,
          sources,
          datasets: store,
          datasetService: service,
          access,
          lineage,
          notify: n =>
            deps.notifications.send({
              recipients: { type: 'entity', entityRef: n.recipients },
              payload: {
                title: n.title,
                description: n.description,
                link: n.link,
                topic: 'model-promotion',
              },
            }),
        });
        late.models = models;
        const streams = await wireStreams({
          ...deps,
          db,
          sources: [...streamSources.values()],
          datasets: store,
          sourceStates: features.store,
          contractsDirectory,
          plannedContracts: () => plannedStore.contracts(),
        });

        deps.httpRouter.use(
          createRouter([
            features.router,
            models.router,
            streams.router,
            createDatasetsRouter({ service, httpAuth: deps.httpAuth }),
            createLineageRouter({ service: lineage, httpAuth: deps.httpAuth }),
            createQualityRouter({ service: quality, httpAuth: deps.httpAuth }),
            createAccessRouter({ service: access, httpAuth: deps.httpAuth }),
            createContractsRouter({ httpAuth: deps.httpAuth }),
            createPlannedRouter({
              service: new PlannedService({
                db,
                store: plannedStore,
                lineage: lineageStore,
                datasets: store,
                auth: deps.auth,
                userInfo: deps.userInfo,
                permissions: deps.permissions,
                auditor: deps.auditor,
                logger: deps.logger,
              }),
              httpAuth: deps.httpAuth,
            }),
            createQueryRouter({
              service: new QueryService({
                db,
                engine,
                datasets: store,
                datasetService: service,
                permissions: deps.permissions,
                auth: deps.auth,
                auditor: deps.auditor,
                logger: deps.logger,
                maxRows:
                  deps.config.getOptionalNumber('lakeport.query.maxRows') ??
                  10_000,
                timeoutMs:
                  (deps.config.getOptionalNumber(
                    'lakeport.query.timeoutSeconds',
                  ) ?? 60) * 1000,
              }),
              httpAuth: deps.httpAuth,
            }),
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
