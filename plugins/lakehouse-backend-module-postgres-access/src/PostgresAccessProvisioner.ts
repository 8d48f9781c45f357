import { Config } from '@backstage/config';
import {
  AccessGrantSpec,
  AccessProvisioner,
} from '@lakeport/plugin-lakehouse-node';
import knexFactory, { Knex } from 'knex';

/**
 * Real `GRANT SELECT` / `REVOKE SELECT` on a PostgreSQL warehouse. A
 * principal (user or group ref) maps to a role in config; a dataset
 * `domain.layer.table` maps to the table `domain_layer.table` unless config
 * names another. GRANT and REVOKE are idempotent in PostgreSQL, so a retry
 * after a crash changes nothing that was already done.
 *
 * lakeport.access.postgres:
 *   connection: postgres://…/warehouse
 *   roles: { 'group:default/data-science': data_science }
 *   tables: { customers.curated.customers: crm.customers }   # optional
 *
 * @public
 */
export class PostgresAccessProvisioner implements AccessProvisioner {
  readonly id = 'postgres';

  constructor(
    private readonly db: Knex,
    private readonly roles: Record<string, string>,
    private readonly tables: Record<string, string> = {},
  ) {}

  static fromConfig(config: Config): PostgresAccessProvisioner {
    const connection = config.get('connection') as Knex.StaticConnectionConfig;
    return new PostgresAccessProvisioner(
      knexFactory({ client: 'pg', connection, pool: { min: 0, max: 2 } }),
      (config.getOptional('roles') as Record<string, string>) ?? {},
      (config.getOptional('tables') as Record<string, string>) ?? {},
    );
  }

  private target(spec: AccessGrantSpec) {
    const role = this.roles[spec.principal];
    if (!role)
      throw new Error(
        `No PostgreSQL role for ${spec.principal}: add it to lakeport.access.postgres.roles`,
      );
    const mapped = this.tables[spec.datasetName];
    const [domain, layer, table] = spec.datasetName.split('.');
    const [schema, name] = mapped
      ? mapped.split('.')
      : [`${domain}_${layer}`, table];
    return { role, schema, name };
  }

  private columnList(spec: AccessGrantSpec) {
    return spec.columns?.length
      ? `(${spec.columns.map(() => '??').join(', ')})`
      : '';
  }

  async grant(spec: AccessGrantSpec): Promise<void> {
    const { role, schema, name } = this.target(spec);
    await this.db.transaction(async tx => {
      await tx.raw('GRANT USAGE ON SCHEMA ?? TO ??', [schema, role]);
      await tx.raw(`GRANT SELECT ${this.columnList(spec)} ON ??.?? TO ??`, [
        ...(spec.columns ?? []),
        schema,
        name,
        role,
      ]);
    });
  }

  async revoke(spec: AccessGrantSpec): Promise<void> {
    const { role, schema, name } = this.target(spec);
    await this.db.raw(
      `REVOKE SELECT ${this.columnList(spec)} ON ??.?? FROM ??`,
      [...(spec.columns ?? []), schema, name, role],
    );
  }

  async close() {
    await this.db.destroy();
  }
}
