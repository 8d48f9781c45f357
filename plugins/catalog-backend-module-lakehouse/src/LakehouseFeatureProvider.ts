import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { FeatureAssetSummary } from '@lakeport/plugin-lakehouse-common';
import { readAllFeatureAssets } from '@lakeport/plugin-lakehouse-node';
import { featureEntity } from './featureEntity';

/**
 * Copies every feature view and feature service of the lakehouse plugin into
 * the catalog (full mutation: what leaves the feature store leaves the
 * catalog). A provider of its own: feature stores hold thousands of objects,
 * not the lakehouse's hundred thousands, so it refreshes more often.
 */
export class LakehouseFeatureProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  getProviderName() {
    return 'lakehouse-features';
  }

  async connect(connection: EntityProviderConnection) {
    this.connection = connection;
  }

  async refresh(): Promise<number> {
    if (!this.connection)
      throw new Error('LakehouseFeatureProvider is not connected');
    const assets: FeatureAssetSummary[] = [];
    for await (const asset of readAllFeatureAssets(this.deps))
      assets.push(asset);
    const baseUrl = await this.deps.discovery.getExternalBaseUrl('lakehouse');
    await this.connection.applyMutation({
      type: 'full',
      entities: assets.map(asset => ({
        locationKey: this.getProviderName(),
        entity: featureEntity(asset, {
          location: `url:${baseUrl}/features/${encodeURIComponent(asset.id)}`,
        }),
      })),
    });
    this.deps.logger.info(
      `Put ${assets.length} feature views and services in the catalog`,
    );
    return assets.length;
  }
}
