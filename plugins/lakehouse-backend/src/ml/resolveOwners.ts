import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Resolves owner emails (Feast's `owner`) to the group of the catalog user
 * with that email: the user's first group. An email nobody in the catalog
 * has stays unresolved (shown as an unknown owner, never guessed).
 */
export function catalogOwnerResolver(deps: {
  catalog: CatalogService;
  auth: AuthService;
}) {
  return async (emails: string[]): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    if (!emails.length) return out;
    const wanted = new Set(emails.map(e => e.toLowerCase()));
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
      if (!wanted.has(email)) continue;
      const group =
        user.relations?.find(r => r.type === 'memberOf')?.targetRef ??
        ((user.spec as any)?.memberOf?.[0]
          ? `group:default/${(user.spec as any).memberOf[0]}`
          : undefined);
      if (group) out.set(email, group);
    }
    return out;
  };
}
