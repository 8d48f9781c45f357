import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { DatasetSummary } from '@lakeport/plugin-lakehouse-common';
import { readAllDatasets } from '@lakeport/plugin-lakehouse-node';
import { datasetEntity } from './datasetEntity';

/**
 * Copies every active dataset of the lakehouse plugin into the catalog (full
 * mutation: datasets that disappear leave the catalog too). Reads the
 * lakehouse HTTP API with a service token, like any other client.
 */
export class LakehouseDatasetProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      defaultOwner: string;
    },
  ) {}

  getProviderName() {
    return 'lakehouse-datasets';
  }

  async connect(connection: EntityProviderConnection) {
    this.connection = connection;
  }

  async refresh(): Promise<number> {
    if (!this.connection)
      throw new Error('LakehouseDatasetProvider is not connected');
    const datasets: DatasetSummary[] = [];
    for await (const dataset of readAllDatasets(this.deps))
      datasets.push(dataset);
    const baseUrl = await this.deps.discovery.getExternalBaseUrl('lakehouse');
    await this.connection.applyMutation({
      type: 'full',
      entities: datasets.map(dataset => ({
        locationKey: this.getProviderName(),
        entity: datasetEntity(dataset, {
          defaultOwner: this.deps.defaultOwner,
          location: `url:${baseUrl}/datasets/${encodeURIComponent(dataset.id)}`,
        }),
      })),
    });
    this.deps.logger.info(`Put ${datasets.length} datasets in the catalog`);
    return datasets.length;
  }
}
