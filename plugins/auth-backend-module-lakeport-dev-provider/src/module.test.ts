import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import authBackendPlugin from '@backstage/plugin-auth-backend';
import { authModuleLakeportDevProvider } from './module';

const ana: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: {
    name: 'ana',
    namespace: 'default',
    description: 'Data scientist',
  },
  spec: {
    profile: { displayName: 'Ana Souza', email: 'ana.souza@lakeport.example' },
    memberOf: ['data-science'],
  },
  relations: [{ type: 'memberOf', targetRef: 'group:default/data-science' }],
};

const developmentConfig = {
  app: { baseUrl: 'http://localhost:3000' },
  auth: { providers: { 'lakeport-dev': {} } },
  lakeport: { devSignIn: { enabled: true } },
};

async function startAuth(data: object) {
  const { server } = await startTestBackend({
    features: [
      authBackendPlugin,
      authModuleLakeportDevProvider,
      catalogServiceMock.factory({ entities: [ana] }),
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return server;
}

function refresh(server: any, user?: string) {
  const req = request(server)
    .get('/api/auth/lakeport-dev/refresh')
    .set('X-Requested-With', 'XMLHttpRequest');
  return user ? req.set('x-lakeport-dev-user', user) : req;
}

describe('development sign-in', () => {
  it('signs in as the chosen catalog user with their groups', async () => {
    const server = await startAuth(developmentConfig);
    const res = await refresh(server, 'user:default/ana');
    expect(res.status).toBe(200);
    expect(res.body.profile).toEqual({
      displayName: 'Ana Souza',
      email: 'ana.souza@lakeport.example',
    });
    expect(res.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/ana',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/ana',
        'group:default/data-science',
      ]),
    });
    expect(res.body.backstageIdentity.token).toMatch(/^ey/);
  });

  it('refuses users that are not in the catalog and requests without a user', async () => {
    const server = await startAuth(developmentConfig);
    expect((await refresh(server, 'user:default/mallory')).status).toBe(404);
    const missing = await refresh(server);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/x-lakeport-dev-user/);
  });

  it('lists the catalog users for the sign-in page without a token', async () => {
    const server = await startAuth(developmentConfig);
    const res = await request(server).get('/api/auth/dev-users');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        userRef: 'user:default/ana',
        displayName: 'Ana Souza',
        email: 'ana.souza@lakeport.example',
        description: 'Data scientist',
        groups: ['group:default/data-science'],
      },
    ]);
  });

  it.each([
    ['the flag is off', { ...developmentConfig, lakeport: {} }],
    [
      'auth.environment is production',
      {
        ...developmentConfig,
        auth: { ...developmentConfig.auth, environment: 'production' },
      },
    ],
  ])('refuses both sign-in and the user list when %s', async (_, data) => {
    const server = await startAuth(data);
    const res = await refresh(server, 'user:default/ana');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/Development sign-in is disabled/);
    expect((await request(server).get('/api/auth/dev-users')).status).toBe(403);
  });
});
