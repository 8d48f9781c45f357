/**
 * The connection URL of a plugin's database under the portal the test
 * command started on PostgreSQL (LAKEPORT_E2E_POSTGRES_URL), whose
 * databases carry the test command's prefix (LAKEPORT_DATABASE_PREFIX,
 * see app-config.postgres.yaml); undefined when the portal is not on
 * PostgreSQL.
 */
export function portalDatabaseUrl(pluginId: string): string | undefined {
  const server = process.env.LAKEPORT_E2E_POSTGRES_URL;
  if (!server) return undefined;
  const prefix = process.env.LAKEPORT_DATABASE_PREFIX ?? 'backstage_plugin_';
  return `${server}/${prefix}${pluginId}`;
}
