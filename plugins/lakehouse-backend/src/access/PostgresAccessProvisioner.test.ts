import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import duckdbModule from '@lakeport/plugin-lakehouse-backend-module-duckdb';
import postgresAccessModule from '@lakeport/plugin-lakehouse-backend-module-postgres-access';
import os from 'node:os';
import request from 'supertest';
import { lakehousePlugin } from '../plugin';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import knexFactory, { Knex } from 'knex';
import path from 'node:path';
import { DatasetStore } from '../assets/DatasetStore';
import { syntheticRecord } from '../bench/syntheticLakehouse';
import { AccessService } from './AccessService';
import { AccessStore } from './AccessStore';
import { PostgresAccessProvisioner } from '@lakeport/plugin-lakehouse-backend-module-postgres-access';
import { sampleCatalogFactory } from '../__testUtils__/sampleCatalog';

/**
 * The PostgreSQL provisioner against the test command's real PostgreSQL:
 * a warehouse database with a table, two roles, and the access service
 * (its own store on the same server) with a clock the test moves.
 */
const url = process.env.LAKEPORT_POSTGRES_URL;
const migrations = path.resolve(__dirname, '../../migrations');
const describeWithPostgres = url ? describe : describe.skip;
if (!url && process.env.LAKEPORT_REQUIRE_POSTGRES)
  throw new Error('LAKEPORT_POSTGRES_URL is not set: run scripts/test');

const ANA = 'user:default/ana';
const SCIENCE = 'group:default/data-science';

describeWithPostgres('PostgresAccessProvisioner on a real PostgreSQL', () => {
  let admin: Knex;
  let warehouse: Knex;
  let portal: Knex;
  let now = new Date('2026-11-26T10:00:00Z');
  const record = {
    ...syntheticRecord(1),
    name: 'customers.curated.customers',
    id: 'dataset:lakeport:customers.curated.customers',
    owner: 'group:default/customers-data',
  };
  record.columns = [
    {
      name: 'customer_id',
      type: 'BIGINT',
      nullable: false,
      classification: 'internal',
    },
    { name: 'email', type: 'VARCHAR', nullable: true, classification: 'pii' },
    { name: 'phone', type: 'VARCHAR', nullable: true, classification: 'pii' },
  ];

  const told: string[] = [];
  const services = (roles: Record<string, string>) => {
    const provisioner = new PostgresAccessProvisioner(warehouse, roles);
    const userInfo = mockServices.userInfo.mock({
      getUserInfo: async (c: any) => ({
        userEntityRef: c.principal.userEntityRef,
        ownershipEntityRefs:
          {
            [ANA]: [ANA, SCIENCE],
            'user:default/chloe': [
              'user:default/chloe',
              'group:default/customers-data',
            ],
            'user:default/sofia': [
              'user:default/sofia',
              'group:default/data-governance',
            ],
          }[c.principal.userEntityRef as string] ?? [],
      }),
    });
    const allow = async (requests: unknown[]) =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    return new AccessService({
      store: new AccessStore(portal),
      datasets: new DatasetStore(portal),
      provisioner,
      permissions: mockServices.permissions.mock({
        authorize: allow as any,
        authorizeConditional: allow as any,
      }),
      auth: mockServices.auth(),
      userInfo,
      logger: mockServices.logger.mock(),
      stewardGroups: ['group:default/data-governance'],
      notify: async n => {
        told.push(n.title);
      },
      now: () => now,
    });
  };
  const user = (name: string) => mockCredentials.user(`user:default/${name}`);

  /** Can this role read these columns of the warehouse table? */
  const canRead = async (role: string, columns = 'customer_id, email') => {
    try {
      await warehouse.transaction(async tx => {
        await tx.raw('SET LOCAL ROLE ??', [role]);
        await tx.raw(`SELECT ${columns} FROM customers_curated.customers`);
      });
      return true;
    } catch (e) {
      if (/permission denied/.test(String(e))) return false;
      throw e;
    }
  };

  const approve = async (service: AccessService, body: object) => {
    const { id } = await service.create(
      {
        datasetId: record.id,
        purpose: 'churn model',
        justification: 'features',
        durationDays: 30,
        ...body,
      },
      user('ana'),
    );
    await service.decide(id, { decision: 'approve' }, user('chloe'));
    return service.decide(id, { decision: 'approve' }, user('sofia'));
  };

  beforeAll(async () => {
    admin = knexFactory({ client: 'pg', connection: `${url}/postgres` });
    for (const db of ['lakeport_warehouse_test', 'lakeport_access_test'])
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [db]);
    await admin.raw('CREATE DATABASE lakeport_warehouse_test');
    await admin.raw('CREATE DATABASE lakeport_access_test');
    for (const role of ['lakeport_test_ana', 'lakeport_test_science']) {
      await admin.raw(
        `DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN EXECUTE 'DROP OWNED BY ${role}'; EXECUTE 'DROP ROLE ${role}'; END IF; END $$`,
      );
      await admin.raw('CREATE ROLE ??', [role]);
    }
    warehouse = knexFactory({
      client: 'pg',
      connection: `${url}/lakeport_warehouse_test`,
    });
    await warehouse.raw('CREATE SCHEMA customers_curated');
    await warehouse.raw(
      'CREATE TABLE customers_curated.customers (customer_id bigint, email text, phone text)',
    );
    await warehouse.raw(
      "INSERT INTO customers_curated.customers VALUES (1, 'a@example.com', '+49 1')",
    );
    portal = knexFactory({
      client: 'pg',
      connection: `${url}/lakeport_access_test`,
    });
    await portal.migrate.latest({ directory: migrations });
    await new DatasetStore(portal).upsert([record as any]);
  }, 60_000);

  afterAll(async () => {
    await warehouse?.destroy();
    await portal?.destroy();
    for (const role of ['lakeport_test_ana', 'lakeport_test_science']) {
      await admin.raw(`DROP OWNED BY ${role}`).catch(() => undefined);
    }
    await admin?.destroy();
  });

  it('is plugged in by its module through the extension point', async () => {
    const ownership: Record<string, string[]> = {
      [ANA]: [ANA, SCIENCE],
      'user:default/chloe': [
        'user:default/chloe',
        'group:default/customers-data',
      ],
      'user:default/sofia': [
        'user:default/sofia',
        'group:default/data-governance',
      ],
    };
    const { server } = await startTestBackend({
      features: [
        lakehousePlugin,
        sampleCatalogFactory(),
        duckdbModule,
        postgresAccessModule,
        mockServices.database.factory({ knex: portal }),
        mockServices.userInfo.mock({
          getUserInfo: async (c: any) => ({
            userEntityRef: c.principal.userEntityRef,
            ownershipEntityRefs: ownership[c.principal.userEntityRef] ?? [],
          }),
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            lakeport: {
              lakehouse: {
                duckdb: { root: os.tmpdir() },
                syncIntervalMinutes: 600,
              },
              access: {
                provisioner: 'postgres',
                postgres: {
                  connection: `${url}/lakeport_warehouse_test`,
                  roles: { [ANA]: 'lakeport_test_ana' },
                },
              },
            },
          },
        }),
      ],
    });
    const as = (name: string) => ({
      Authorization: mockCredentials.user.header(`user:default/${name}`),
    });
    const created = await request(server)
      .post('/api/lakehouse/access/requests')
      .set(as('ana'))
      .send({
        datasetId: record.id,
        purpose: 'module test',
        justification: 'through HTTP',
        durationDays: 7,
      });
    expect(created.status).toBe(201);
    for (const reviewer of ['chloe', 'sofia']) {
      const decided = await request(server)
        .post(`/api/lakehouse/access/requests/${created.body.id}/decision`)
        .set(as(reviewer))
        .send({ decision: 'approve' });
      expect(decided.status).toBe(200);
    }
    const done = await request(server)
      .get(`/api/lakehouse/access/requests/${created.body.id}`)
      .set(as('ana'));
    expect(done.body.status).toBe('active');
    expect(done.body.audit.at(-1).actor).toBe('provisioner:postgres');
    expect(await canRead('lakeport_test_ana')).toBe(true);
    const grant = done.body.grantId;
    const revoked = await request(server)
      .post(`/api/lakehouse/access/grants/${grant}/revoke`)
      .set(as('chloe'))
      .send({});
    expect(revoked.status).toBe(200);
    expect(await canRead('lakeport_test_ana')).toBe(false);
  });

  it('grants SELECT on approval and takes it back at expiry', async () => {
    const service = services({ [ANA]: 'lakeport_test_ana' });
    expect(await canRead('lakeport_test_ana')).toBe(false);
    const active = await approve(service, {});
    expect(active.status).toBe('active');
    expect(await canRead('lakeport_test_ana')).toBe(true);

    // 27 days later: a reminder, still readable; day 31: revoked by the job.
    // Two replicas run the job at the same moment: one reminder, one expiry.
    const replica = services({ [ANA]: 'lakeport_test_ana' });
    const runJobOnBoth = () =>
      Promise.all([service.expireAndRemind(), replica.expireAndRemind()]);
    const toldBefore = told.length;
    now = new Date(now.getTime() + 27.5 * 86_400_000);
    await runJobOnBoth();
    expect(told.slice(toldBefore)).toEqual([
      expect.stringMatching(
        /^Your access to customers.curated.customers ends on/,
      ),
    ]);
    expect(await canRead('lakeport_test_ana')).toBe(true);
    now = new Date(now.getTime() + 3 * 86_400_000);
    await runJobOnBoth();
    expect(told.slice(toldBefore + 1)).toEqual([
      'Your access to customers.curated.customers expired',
    ]);
    expect(await canRead('lakeport_test_ana')).toBe(false);
    const expired = await service.get(active.id, user('ana'));
    expect(expired.status).toBe('expired');
    expect(expired.audit.at(-1)).toMatchObject({
      action: 'expired',
      actor: 'system:expiry',
    });
  });

  it('extends an active grant after a new review, without granting again', async () => {
    const service = services({ [ANA]: 'lakeport_test_ana' });
    const active = await approve(service, {});
    const until = new Date(active.expiresAt!).getTime();
    now = new Date(now.getTime() + 20 * 86_400_000);
    const extension = await approve(service, {
      extendsGrantId: active.grantId,
      durationDays: 60,
    });
    expect(extension).toMatchObject({
      status: 'active',
      grantId: active.grantId,
    });
    expect(extension.audit.map(a => a.action)).toEqual([
      'extension-requested',
      'approved-by-owner',
      'approved-by-steward',
      'extended',
    ]);
    const extended = new Date(extension.expiresAt!).getTime();
    expect(extended - now.getTime()).toBeCloseTo(60 * 86_400_000, -5);
    expect(extended).toBeGreaterThan(until);
    expect(await canRead('lakeport_test_ana')).toBe(true);
    await service.revoke(active.grantId!, {}, user('chloe'));
    expect((await service.get(extension.id, user('ana'))).status).toBe(
      'revoked',
    );
    expect((await service.get(active.id, user('ana'))).status).toBe('revoked');
    expect(await canRead('lakeport_test_ana')).toBe(false);
  });

  it('grants a column list to a group role, and revoke takes it back', async () => {
    const service = services({ [SCIENCE]: 'lakeport_test_science' });
    const active = await approve(service, {
      principal: SCIENCE,
      columns: ['customer_id', 'email'],
    });
    expect(await canRead('lakeport_test_science', 'customer_id, email')).toBe(
      true,
    );
    expect(await canRead('lakeport_test_science', 'phone')).toBe(false);
    await service.revoke(active.grantId!, {}, user('chloe'));
    expect(await canRead('lakeport_test_science', 'customer_id, email')).toBe(
      false,
    );
  });

  it('fails without a role mapping, and a retry provisions once the mapping exists', async () => {
    const failing = await approve(services({}), {});
    expect(failing.status).toBe('provisioning_failed');
    expect(failing.error).toContain('No PostgreSQL role for user:default/ana');
    const fixed = services({ [ANA]: 'lakeport_test_ana' });
    const retried = await fixed.retry(failing.id, user('chloe'));
    expect(retried.status).toBe('active');
    expect(await canRead('lakeport_test_ana')).toBe(true);
    await fixed.revoke(retried.grantId!, {}, user('chloe'));
  });

  it('survives a restart in the middle of provisioning: no approval lost, nothing granted twice', async () => {
    const roles = { [ANA]: 'lakeport_test_ana' };
    const before = services(roles);
    const { id } = await before.create(
      {
        datasetId: record.id,
        purpose: 'p',
        justification: 'j',
        durationDays: 10,
      },
      user('ana'),
    );
    await before.decide(id, { decision: 'approve' }, user('chloe'));
    // The steward's approval commits, then the backend stops before it
    // provisions: a replica had claimed the grant when it went down.
    const store = new AccessStore(portal);
    const stopped = jest
      .spyOn(AccessService.prototype, 'provisionPending')
      .mockResolvedValueOnce(undefined);
    await before.decide(id, { decision: 'approve' }, user('sofia'));
    stopped.mockRestore();
    const lease = await store.claimProvisioning(now, 5 * 60_000);
    expect(lease?.requestId).toBe(id);
    expect((await before.get(id, user('ana'))).status).toBe('provisioning');

    // After the restart, nothing is claimable until the lease runs out.
    const after = services(roles);
    await after.provisionPending();
    expect((await after.get(id, user('ana'))).status).toBe('provisioning');
    now = new Date(now.getTime() + 6 * 60_000);
    await after.provisionPending();
    const done = await after.get(id, user('ana'));
    expect(done.status).toBe('active');
    expect(done.audit.filter(a => a.action === 'granted')).toHaveLength(1);
    expect(await canRead('lakeport_test_ana')).toBe(true);
    // Running the worker again grants nothing twice.
    await after.provisionPending();
    expect(
      (await after.get(id, user('ana'))).audit.filter(
        a => a.action === 'granted',
      ),
    ).toHaveLength(1);
  });
});
