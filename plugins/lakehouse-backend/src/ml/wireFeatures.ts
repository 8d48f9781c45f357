import {
  AuthService,
  HttpAuthService,
  HttpRouterService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { lakehouseFeatureReadPermission } from '@lakeport/plugin-lakehouse-common';
import { MetadataSource } from '@lakeport/plugin-lakehouse-node';
import { Knex } from 'knex';
import { AccessService } from '../access/AccessService';
import { DatasetStore } from '../assets/DatasetStore';
import { classifyColumns } from '../lineage/classifyColumns';
import { LineageService } from '../lineage/LineageService';
import { LineageStore } from '../lineage/LineageStore';
import {
  featurePermissionResourceRef,
  featureRules,
} from '../permissions/featureRules';
import { FeatureCatalog } from './FeatureCatalog';
import { createFeaturesRouter, METADATA_SYNC_TASK_ID } from './featuresRouter';
import { MetadataAssetStore } from './MetadataAssetStore';
import { PortalMetrics } from '../observability/PortalMetrics';
import { MetadataSync } from './MetadataSync';
import { catalogOwnerResolver } from './resolveOwners';

/**
 * The feature-store domain: metadata sources synced on a schedule (and on
 * demand by admins), their assets readable through `lakehouse.feature.read`.
 */
export async function wireFeatures(deps: {
  db: Knex;
  sources: MetadataSource[];
  datasets: DatasetStore;
  lineageStore: LineageStore;
  lineage: LineageService;
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  catalog: CatalogService;
  access: AccessService;
  httpRouter: HttpRouterService;
  /** After each successful sync of a source. */
  onSynced?: (source: MetadataSource) => Promise<void>;
  metrics?: PortalMetrics;
}) {
  const store = new MetadataAssetStore(deps.db, deps.metrics);
  // Source systems push webhooks without a Backstage token; each source
  // verifies its own signature (see featuresRouter).
  deps.httpRouter.addAuthPolicy({
    path: '/webhooks',
    allow: 'unauthenticated',
  });
  deps.permissionsRegistry.addResourceType({
    resourceRef: featurePermissionResourceRef,
    permissions: [lakehouseFeatureReadPermission],
    rules: Object.values(featureRules),
    getResources: async ids => {
      const found = await store.getMany(ids);
      return ids.map(id => {
        const a = found.get(id);
        return a
          ? {
              id,
              owner: a.owner,
              classification: a.classification,
              project: a.project,
            }
          : undefined;
      });
    },
  });
  const classify = (id: string) =>
    classifyColumns({ store: deps.lineageStore, datasets: deps.datasets }, id);
  const datasetSummaries = (ids: string[]) => deps.datasets.summaries(ids);
  const sync = new MetadataSync({
    assets: store,
    lineage: deps.lineageStore,
    matcher: deps.lineage.matcher,
    datasetSummaries,
    classify,
    resolveOwners: catalogOwnerResolver(deps),
    logger: deps.logger,
    onSynced: deps.onSynced,
  });
  const catalog = new FeatureCatalog({
    store,
    permissions: deps.permissions,
    datasetSummaries,
    classify,
  });
  await deps.scheduler.scheduleTask({
    id: METADATA_SYNC_TASK_ID,
    frequency: {
      minutes:
        deps.config.getOptionalNumber(
          'lakeport.metadata.syncIntervalMinutes',
        ) ?? 5,
    },
    timeout: { minutes: 30 },
    // After the first lakehouse sync, so sources match catalog datasets.
    initialDelay: { seconds: 15 },
    fn: async () => {
      await sync.run(deps.sources);
    },
  });
  return {
    sync,
    store,
    catalog,
    router: createFeaturesRouter({
      catalog,
      store,
      scheduler: deps.scheduler,
      permissions: deps.permissions,
      httpAuth: deps.httpAuth,
      access: deps.access,
      sources: deps.sources,
      metrics: deps.metrics,
      onDelivery: source => {
        sync
          .syncOne(source)
          .catch(e =>
            deps.logger.warn(
              `Sync of ${source.id} after a webhook failed: ${e}`,
            ),
          );
      },
    }),
  };
}
