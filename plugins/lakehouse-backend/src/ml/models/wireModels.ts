import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  lakehouseModelPromotionDecidePermission,
  lakehouseModelPromotionStewardPermission,
  lakehouseModelReadPermission,
} from '@lakeport/plugin-lakehouse-common';
import { MetadataSource } from '@lakeport/plugin-lakehouse-node';
import { Knex } from 'knex';
import { AccessService } from '../../access/AccessService';
import { DatasetService } from '../../assets/DatasetService';
import { DatasetStore } from '../../assets/DatasetStore';
import { LineageService } from '../../lineage/LineageService';
import {
  modelPermissionResourceRef,
  modelRules,
} from '../../permissions/modelRules';
import { FeatureCatalog } from '../FeatureCatalog';
import { MetadataAssetStore } from '../MetadataAssetStore';
import { ModelCatalog } from './ModelCatalog';
import { ModelPromotions, PromotionNotification } from './ModelPromotions';
import { createModelsRouter } from './modelsRouter';
import { readPromotionPolicy } from './promotionGates';
import { PromotionStore } from './PromotionStore';

export const MODEL_PROMOTIONS_TASK_ID = 'lakehouse-model-promotions';

/** Open access requests: the caller has asked already. */
const ASKED = ['requested', 'approved', 'provisioning'];

/**
 * The model-registry domain: registered models readable through
 * `lakehouse.model.read`, and governed promotion of their aliases (set in
 * the registry by a task every replica runs, one promotion per lease).
 */
export async function wireModels(deps: {
  db: Knex;
  assets: MetadataAssetStore;
  features: FeatureCatalog;
  sources: MetadataSource[];
  datasets: DatasetStore;
  datasetService: DatasetService;
  access: AccessService;
  lineage: LineageService;
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  auditor?: AuditorService;
  notify: (n: PromotionNotification) => Promise<void>;
}) {
  const policy = readPromotionPolicy(deps.config);
  deps.permissionsRegistry.addResourceType({
    resourceRef: modelPermissionResourceRef,
    permissions: [
      lakehouseModelReadPermission,
      lakehouseModelPromotionDecidePermission,
    ],
    rules: Object.values(modelRules),
    getResources: async ids => {
      const found = await deps.assets.getMany(ids);
      return ids.map(id => {
        const a = found.get(id);
        return a?.kind === 'model'
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
  deps.permissionsRegistry.addPermissions([
    lakehouseModelPromotionStewardPermission,
  ]);
  const store = new PromotionStore(deps.db);
  const catalog = new ModelCatalog({
    store: deps.assets,
    promotions: store,
    permissions: deps.permissions,
    policy,
    datasetSummaries: ids => deps.datasets.summaries(ids),
    sourceColumns: id => deps.features.sourceColumns(id),
    access: async (datasetId, columns, credentials) => {
      const dataset = await deps.datasets.get(datasetId);
      if (!dataset) return undefined;
      const { masked } = await deps.datasetService.masking(
        dataset,
        credentials,
      );
      if (!columns.some(c => masked.has(c))) return 'full';
      const { items } = await deps.access.list({}, credentials);
      return items.some(
        r => r.datasetId === datasetId && ASKED.includes(r.status),
      )
        ? 'requested'
        : 'masked';
    },
  });
  const promotions = new ModelPromotions({
    store,
    assets: deps.assets,
    catalog,
    policy,
    stewardGroups: deps.config.getOptionalStringArray(
      'lakeport.access.stewardGroups',
    ) ?? ['group:default/data-governance'],
    sources: deps.sources,
    permissions: deps.permissions,
    auth: deps.auth,
    downstreamOwners: async versionId =>
      (
        await deps.lineage.impact(
          versionId,
          await deps.auth.getOwnServiceCredentials(),
        )
      ).owners.map(o => o.owner),
    notify: deps.notify,
    auditor: deps.auditor,
    logger: deps.logger,
  });
  // Every replica sets approved aliases (one promotion per lease), so a
  // registry that was down is retried without waiting for a person.
  await deps.scheduler.scheduleTask({
    id: MODEL_PROMOTIONS_TASK_ID,
    scope: 'local',
    frequency: { seconds: 30 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 20 },
    fn: () => promotions.applyApproved(),
  });
  return {
    catalog,
    promotions,
    router: createModelsRouter({
      catalog,
      promotions,
      httpAuth: deps.httpAuth,
    }),
  };
}
