import Router from 'express-promise-router';
import express from 'express';
import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotAllowedError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { DEV_SIGN_IN_DISABLED_MESSAGE } from './devSignIn';

/** A user the development sign-in page offers. */
export interface DevUser {
  userRef: string;
  displayName: string;
  email?: string;
  description?: string;
  groups: string[];
}

/** `GET /dev-users`: the catalog's users, for the development sign-in page. */
export async function createDevUsersRouter(options: {
  enabled: boolean;
  catalog: CatalogService;
  auth: AuthService;
}): Promise<express.Router> {
  const { enabled, catalog, auth } = options;
  const router = Router();
  router.get('/dev-users', async (_req, res) => {
    if (!enabled) {
      throw new NotAllowedError(DEV_SIGN_IN_DISABLED_MESSAGE);
    }
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'User' },
        fields: ['kind', 'metadata', 'spec', 'relations'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const users: DevUser[] = items
      .map(entity => {
        const profile = (entity.spec?.profile ?? {}) as {
          displayName?: string;
          email?: string;
        };
        return {
          userRef: stringifyEntityRef(entity),
          displayName: profile.displayName ?? entity.metadata.name,
          email: profile.email,
          description: entity.metadata.description,
          groups: (entity.relations ?? [])
            .filter(r => r.type === 'memberOf')
            .map(r => r.targetRef),
        };
      })
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
    res.json({ items: users });
  });
  return router;
}
