/**
 * Access provisioner for a PostgreSQL warehouse: GRANT SELECT / REVOKE.
 *
 * @packageDocumentation
 */
export { lakehouseModulePostgresAccess as default } from './module';
export { PostgresAccessProvisioner } from './PostgresAccessProvisioner';
