import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Resolves owners that are people to their group: emails (Feast's `owner`)
 * and user refs (`user:default/<name>`, MLflow's creating user) to the
 * first group of the catalog user with that email or name. Anyone the
 * catalog does not know stays unresolved (an unknown owner, never guessed).
 * Keys of the result are the given values, lower-cased.
 */
export function catalogOwnerResolver(deps: {
  catalog: CatalogService;
  auth: AuthService;
}) {
  return async (owners: string[]): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    if (!owners.length) return out;
    const wanted = new Set(owners.map(e => e.toLowerCase()));
    const { items } = await deps.catalog.getEntities(
      {
        filter: { kind: 'User' },
        fields: [
          'metadata.name',
          'spec.profile.email',
          'spec.memberOf',
          'relations',
        ],
      },
      { credentials: await deps.auth.getOwnServiceCredentials() },
    );
    for (const user of items) {
      const email = String(
        (user.spec as any)?.profile?.email ?? '',
      ).toLowerCase();
      const ref = `user:default/${user.metadata.name}`.toLowerCase();
      const key = [email, ref].find(k => wanted.has(k));
      if (!key) continue;
      const group =
        user.relations?.find(r => r.type === 'memberOf')?.targetRef ??
        ((user.spec as any)?.memberOf?.[0]
          ? `group:default/${(user.spec as any).memberOf[0]}`
          : undefined);
      if (group) out.set(key, group);
    }
    return out;
  };
}
