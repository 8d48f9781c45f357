import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  DatasetSummary,
  ListDatasetsResponse,
} from '@lakeport/plugin-lakehouse-common';
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

  private async fetchAll(): Promise<DatasetSummary[]> {
    const baseUrl = await this.deps.discovery.getBaseUrl('lakehouse');
    const items: DatasetSummary[] = [];
    let cursor: string | undefined;
    do {
      const { token } = await this.deps.auth.getPluginRequestToken({
        onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
        targetPluginId: 'lakehouse',
      });
      const url = `${baseUrl}/datasets?limit=100&sort=name${
        cursor ? `&cursor=${cursor}` : ''
      }`;
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (!response.ok) throw await ResponseError.fromResponse(response);
      const page = (await response.json()) as ListDatasetsResponse;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  async refresh(): Promise<number> {
    if (!this.connection)
      throw new Error('LakehouseDatasetProvider is not connected');
    const datasets = await this.fetchAll();
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
