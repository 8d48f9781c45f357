import {
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import duckdbModule from '@lakeport/plugin-lakehouse-backend-module-duckdb';
import { Knex } from 'knex';
import { MetadataAssetStore } from '../ml/MetadataAssetStore';
import { DatasetStore } from '../assets/DatasetStore';
import { lakehousePlugin } from '../plugin';
import { lakeportPolicyPermissions } from './policyPermissions';
import { sampleCatalogFactory } from './sampleCatalog';

/**
 * The lakehouse plugin as users meet it: DuckDB over a sample lakehouse,
 * the real Lakeport policy deciding for users with the given group
 * memberships, anonymous requests unauthenticated, and notifications
 * collected into `sent`.
 */
export function startLakehouseTestBackend(options: {
  knex: Knex;
  root: string;
  contractsDirectory: string;
  ownership: Record<string, string[]>;
  sent: NotificationSendOptions[];
  /** More `lakeport` config (lineage sample, quality, access). */
  lakeport?: Record<string, unknown>;
  /** More modules, e.g. the Feast source. */
  modules?: BackendFeature[];
}) {
  const { knex, ownership, sent } = options;
  return startTestBackend({
    features: [
      lakehousePlugin,
      sampleCatalogFactory(),
      duckdbModule,
      ...(options.modules ?? []),
      mockServices.database.factory({ knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.userInfo.mock({
        getUserInfo: async (credentials: any) => ({
          userEntityRef: credentials.principal.userEntityRef,
          ownershipEntityRefs:
            ownership[credentials.principal.userEntityRef] ?? [],
        }),
      }).factory,
      lakeportPolicyPermissions({
        ownership,
        resource: async id => {
          if (!id.startsWith('model:')) return new DatasetStore(knex).get(id);
          const model = await new MetadataAssetStore(knex).get(id);
          return model && { ...model, project: model.project };
        },
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (notification: NotificationSendOptions) => {
            sent.push(notification);
          },
        }),
      }),
      mockServices.rootConfig.factory({
        data: {
          lakeport: {
            lakehouse: {
              duckdb: { root: options.root },
              contractsDirectory: options.contractsDirectory,
              syncIntervalMinutes: 600,
            },
            ...options.lakeport,
          },
        },
      }),
    ],
  });
}
