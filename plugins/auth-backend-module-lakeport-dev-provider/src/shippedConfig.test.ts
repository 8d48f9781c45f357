import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authBackendPlugin from '@backstage/plugin-auth-backend';
import { ConfigSources, FileConfigSource } from '@backstage/config-loader';
import path from 'node:path';
import request from 'supertest';
import { authModuleLakeportDevProvider } from './module';

// The config files the repository ships, layered as scripts/start and a
// production deployment layer them.
const root = path.resolve(__dirname, '../../..');

const marcus = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'marcus', namespace: 'default' },
  spec: { profile: { displayName: 'Marcus Lindqvist' }, memberOf: [] },
};

async function startWith(files: string[]) {
  // Loaded by Backstage's own loader; secrets a deployment would provide
  // through the environment get stand-in values.
  const config = await ConfigSources.toConfig(
    ConfigSources.merge(
      files.map(file =>
        FileConfigSource.create({
          path: path.join(root, file),
          watch: false,
          substitutionFunc: async name =>
            process.env[name] ??
            (/^(BACKEND_SECRET|AUTH_GITHUB_\w+|POSTGRES_\w+|LAKEPORT_OPENLINEAGE_TOKEN)$/.test(
              name,
            )
              ? `test-${name}`
              : undefined),
        }),
      ),
    ),
  );
  // Everything but the database: the test backend brings its own.
  const data = config.get() as any;
  delete data.backend?.database;
  const { server } = await startTestBackend({
    features: [
      authBackendPlugin,
      authModuleLakeportDevProvider,
      catalogServiceMock.factory({ entities: [marcus] }),
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return server;
}

const refresh = (server: any) =>
  request(server)
    .get('/api/auth/lakeport-dev/refresh')
    .set('X-Requested-With', 'XMLHttpRequest')
    .set('x-lakeport-dev-user', 'user:default/marcus');

describe('shipped config', () => {
  it('app-config.yaml (development) allows development sign-in', async () => {
    const server = await startWith(['app-config.yaml']);
    expect((await refresh(server)).status).toBe(200);
    expect((await request(server).get('/api/auth/dev-users')).status).toBe(200);
  });

  it('app-config.production.yaml refuses development sign-in and the user list', async () => {
    const server = await startWith([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);
    const res = await refresh(server);
    expect(res.status).toBeGreaterThanOrEqual(403);
    expect(res.status).toBeLessThan(500);
    expect((await request(server).get('/api/auth/dev-users')).status).toBe(403);
  });
});
