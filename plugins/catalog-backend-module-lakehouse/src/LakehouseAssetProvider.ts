import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';

/**
 * Copies one kind of metadata asset of the lakehouse plugin (feature views
 * and services, registered models) into the catalog, with a full mutation:
 * what leaves the source leaves the catalog. Providers of their own: these
 * hold thousands of objects, not the lakehouse's hundred thousands, so they
 * refresh more often.
 */
export class LakehouseAssetProvider<T> implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly options: {
      /** Provider name, e.g. `lakehouse-features`. */
      name: string;
      /** What the log calls them, e.g. `feature views and services`. */
      noun: string;
      read: () => AsyncIterable<T>;
      entity: (asset: T) => Promise<Entity> | Entity;
      logger: LoggerService;
    },
  ) {}

  getProviderName() {
    return this.options.name;
  }

  async connect(connection: EntityProviderConnection) {
    this.connection = connection;
  }

  async refresh(): Promise<number> {
    if (!this.connection)
      throw new Error(`${this.options.name} is not connected`);
    const entities: Entity[] = [];
    for await (const asset of this.options.read())
      entities.push(await this.options.entity(asset));
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        locationKey: this.getProviderName(),
        entity,
      })),
    });
    this.options.logger.info(
      `Put ${entities.length} ${this.options.noun} in the catalog`,
    );
    return entities.length;
  }
}
