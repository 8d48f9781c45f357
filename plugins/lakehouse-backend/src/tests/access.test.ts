import { TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import {
  asUser,
  sampleLakehouseForTest,
  syncAndWaitFor,
  waitFor,
} from '../__testUtils__/lakehouseTests';
import { startLakehouseTestBackend } from '../__testUtils__/lakehouseTestBackend';

const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
jest.setTimeout(60_000);
const repo = path.resolve(__dirname, '../../../..');
const enc = encodeURIComponent;
const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';
const ORDER_ITEMS = 'dataset:lakeport:commerce.curated.order_items';

// ana and yuki: data scientists; chloe: owner of customers; ben: owner of
// commerce data (unrelated to customers); sofia: steward; marcus: admin.
const OWNERSHIP: Record<string, string[]> = {
  'user:default/ana': ['user:default/ana', 'group:default/data-science'],
  'user:default/yuki': ['user:default/yuki', 'group:default/data-science'],
  'user:default/chloe': ['user:default/chloe', 'group:default/customers-data'],
  'user:default/ben': ['user:default/ben', 'group:default/commerce-data'],
  'user:default/sofia': ['user:default/sofia', 'group:default/data-governance'],
  'user:default/marcus': ['user:default/marcus', 'group:default/data-platform'],
};

describe.each(databases.eachSupportedId())('access on %s', databaseId => {
  let tmp: string;
  let server: any;
  const sent: NotificationSendOptions[] = [];
  // Quality notifications arrive too; these tests look at access ones.
  const told = () => sent.filter(n => n.payload.topic === 'data-access');
  const get = (url: string, user: string) =>
    request(server).get(`/api/lakehouse${url}`).set(asUser(user));
  const post = (url: string, user: string, body: object = {}) =>
    request(server).post(`/api/lakehouse${url}`).set(asUser(user)).send(body);
  const ask = (user: string, body: object = {}) =>
    post('/access/requests', user, {
      datasetId: CUSTOMERS,
      purpose: 'Churn model features',
      justification: 'Need email domains for the churn model (JIRA-7)',
      durationDays: 30,
      ...body,
    });
  const decide = (id: string, user: string, decision = 'approve') =>
    post(`/access/requests/${id}/decision`, user, {
      decision,
      comment: `${decision} by ${user}`,
    });
  const preview = async (user: string, id = CUSTOMERS) => {
    const res = await get(`/datasets/${enc(id)}/preview?limit=3`, user);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    let root: string;
    ({ tmp, root } = await sampleLakehouseForTest('lakeport-access-'));
    const knex = await databases.init(databaseId);
    ({ server } = await startLakehouseTestBackend({
      knex,
      root,
      contractsDirectory: path.join(repo, 'catalog-info/contracts'),
      ownership: OWNERSHIP,
      sent,
    }));
    await syncAndWaitFor(server, CUSTOMERS, 60_000);
  }, 300_000);

  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('refuses bad requests with clear errors and writes nothing', async () => {
    const cases: Array<[object, string]> = [
      [{ durationDays: 120 }, 'durationDays is at most 90 for pii data'],
      [{ durationDays: 0 }, 'durationDays must be a whole number'],
      [
        { columns: ['email', 'shoe_size'] },
        'columns not in customers.curated.customers: shoe_size',
      ],
      [{ principal: 'group:default/customers-data' }, 'principal must be you'],
      [{ purpose: ' ' }, 'purpose is required'],
      [{ datasetId: 'dataset:lakeport:nope.nope.nope' }, 'No dataset'],
    ];
    for (const [body, message] of cases) {
      const res = await ask('ana', body);
      expect({
        body,
        status: res.status,
        message: res.body.error?.message,
      }).toEqual({
        body,
        status: message === 'No dataset' ? 404 : 400,
        message: expect.stringContaining(message),
      });
    }
    const mine = await get('/access/requests?mine=true', 'ana');
    expect(mine.body.items).toEqual([]);
  });

  it('runs the whole journey: request, owner, steward, unmasked, revoke, masked, audited', async () => {
    expect((await preview('ana')).masked).toContain('email');

    const created = await ask('ana');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      status: 'requested',
    });
    const id = created.body.id;
    // One open request at a time, with a link to it.
    const again = await ask('ana');
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(`/access/requests/${id}`);
    // The owner group hears of it.
    expect(told().at(-1)!.recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/customers-data'],
    });

    // The steward cannot go first; nobody approves their own request;
    // unrelated users and platform admins do not review.
    expect((await decide(id, 'sofia')).status).toBe(409);
    expect((await decide(id, 'ana')).status).toBe(403);
    expect((await decide(id, 'ben')).status).toBe(403);
    expect((await decide(id, 'marcus')).status).toBe(403);
    expect(
      (await get('/access/requests?reviewable=true', 'chloe')).body.items.map(
        (r: any) => r.id,
      ),
    ).toEqual([id]);
    expect(
      (await get('/access/requests?reviewable=true', 'sofia')).body.items,
    ).toEqual([]);

    const byOwner = await decide(id, 'chloe');
    expect(byOwner.status).toBe(200);
    expect(byOwner.body).toMatchObject({
      status: 'requested',
      step: 'steward',
    });
    expect(told().at(-1)!.recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/data-governance'],
    });
    expect((await decide(id, 'chloe')).status).toBe(409);
    const reviewable = await get('/access/requests?reviewable=true', 'sofia');
    expect(reviewable.body.items[0]).toMatchObject({
      id,
      requester: 'user:default/ana',
      classification: 'pii',
      purpose: 'Churn model features',
      datasetName: 'customers.curated.customers',
    });

    const bySteward = await decide(id, 'sofia');
    expect(bySteward.status).toBe(200);
    expect(bySteward.body.status).toBe('active');
    expect(bySteward.body.audit.map((a: any) => a.action)).toEqual([
      'requested',
      'approved-by-owner',
      'approved-by-steward',
      'provisioning',
      'granted',
    ]);
    const expires = new Date(bySteward.body.expiresAt).getTime();
    expect(expires - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    expect(told().at(-1)!.payload.title).toContain('You have access');

    // Ana now sees the PII unmasked; Yuki (same team, not the principal) does not.
    const unmasked = await preview('ana');
    expect(unmasked.masked).toEqual([]);
    expect(unmasked.rows[0].email).toMatch(/@/);
    expect((await preview('yuki')).masked).toContain('email');
    // The same rule applies to the offending rows of quality checks.
    const sampleEmail = async (user: string) => {
      const card = await waitFor(async () => {
        const res = await get(`/quality/scorecards/${enc(CUSTOMERS)}`, user);
        return res.body.checks?.find((c: any) => c.sample)
          ? res.body
          : undefined;
      }, 'a quality sample');
      return card.checks.find((c: any) => c.sample).sample.rows[0].email;
    };
    expect(await sampleEmail('ana')).toMatch(/@/);
    expect(await sampleEmail('yuki')).toBe('••••••');

    // Who has access: the owner sees it, an unrelated user sees nothing.
    const grants = await get(
      `/access/grants?datasetId=${enc(CUSTOMERS)}`,
      'chloe',
    );
    expect(grants.body.items).toEqual([
      expect.objectContaining({
        id: bySteward.body.grantId,
        principal: 'user:default/ana',
        status: 'active',
        approvedBy: ['user:default/chloe', 'user:default/sofia'],
      }),
    ]);
    expect(
      (await get(`/access/grants?datasetId=${enc(CUSTOMERS)}`, 'ben')).body
        .items,
    ).toEqual([]);

    // Revoke: not by unrelated users or the requester; by the owner.
    const grantId = bySteward.body.grantId;
    expect((await post(`/access/grants/${grantId}/revoke`, 'ben')).status).toBe(
      403,
    );
    expect((await post(`/access/grants/${grantId}/revoke`, 'ana')).status).toBe(
      403,
    );
    const revoked = await post(`/access/grants/${grantId}/revoke`, 'chloe', {
      comment: 'Project finished',
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      revokedBy: 'user:default/chloe',
    });
    expect(
      (await post(`/access/grants/${grantId}/revoke`, 'chloe')).status,
    ).toBe(409);
    expect((await preview('ana')).masked).toContain('email');

    const timeline = await get(`/access/requests/${id}`, 'ana');
    expect(timeline.body.status).toBe('revoked');
    expect(timeline.body.audit.at(-1)).toMatchObject({
      action: 'revoked',
      actor: 'user:default/chloe',
      comment: 'Project finished',
    });

    // The audit trail as CSV for auditors (owners, stewards, admins).
    const csv = await get(
      `/access/audit?datasetId=${enc(CUSTOMERS)}&format=csv`,
      'sofia',
    );
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'at,datasetId,requestId,grantId,actor,action,fromStatus,toStatus,comment',
    );
    expect(lines.filter(l => l.includes(id))).toHaveLength(6);
    expect(
      (await get(`/access/audit?datasetId=${enc(CUSTOMERS)}`, 'ana')).status,
    ).toBe(403);
  });

  it('grants chosen columns to a group: its members see exactly those', async () => {
    const created = await ask('ana', {
      columns: ['email'],
      principal: 'group:default/data-science',
    });
    expect(created.status).toBe(201);
    await decide(created.body.id, 'chloe');
    expect((await decide(created.body.id, 'sofia')).body.status).toBe('active');
    const forYuki = await preview('yuki');
    expect(forYuki.masked).not.toContain('email');
    expect(forYuki.masked).toContain('phone');
    expect(forYuki.rows[0].email).toMatch(/@/);
  });

  it('needs only the owner for internal data; requesters cancel, others cannot', async () => {
    const created = await ask('ana', { datasetId: ORDER_ITEMS });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const detail = await get(`/access/requests/${id}`, 'ana');
    expect(detail.body.steps).toEqual(['owner']);
    expect((await post(`/access/requests/${id}/cancel`, 'ben')).status).toBe(
      403,
    );
    const cancelled = await post(`/access/requests/${id}/cancel`, 'ana');
    expect(cancelled.body.status).toBe('cancelled');
    expect((await post(`/access/requests/${id}/cancel`, 'ana')).status).toBe(
      409,
    );
    expect((await decide(id, 'ben')).status).toBe(409);

    const second = await ask('ana', { datasetId: ORDER_ITEMS });
    const approved = await decide(second.body.id, 'ben');
    expect(approved.body.status).toBe('active');
    const denied = await ask('yuki', { datasetId: CUSTOMERS });
    const noReason = await post(
      `/access/requests/${denied.body.id}/decision`,
      'chloe',
      {
        decision: 'deny',
      },
    );
    expect(noReason.status).toBe(400);
    expect((await decide(denied.body.id, 'chloe', 'deny')).body.status).toBe(
      'denied',
    );
    expect((await decide(denied.body.id, 'chloe', 'maybe')).status).toBe(400);
  });

  it('answers every action for requester, owner, steward, admin and an unrelated user', async () => {
    // A fresh request at the owner step, one at the steward step, one active grant.
    const atOwner = (await ask('yuki')).body.id;
    const atSteward = (await ask('ana', { columns: ['phone'] })).body.id;
    await decide(atSteward, 'chloe');
    const forGrant = (
      await ask('yuki', { principal: 'group:default/data-science' })
    ).body.id;
    await decide(forGrant, 'chloe');
    const grantId = (await decide(forGrant, 'sofia')).body.grantId;

    const roles = ['yuki', 'chloe', 'sofia', 'marcus', 'ben'];
    const matrix: Record<string, Record<string, number>> = {};
    for (const role of roles) {
      matrix[role] = {
        request: (
          await ask(role, {
            datasetId: ORDER_ITEMS,
            principal: `user:default/${role}`,
          })
        ).status,
        'decide owner step': (
          await post(`/access/requests/${atOwner}/decision`, role, {
            decision: 'deny',
            comment: 'matrix',
          })
        ).status,
        'decide steward step': (
          await post(`/access/requests/${atSteward}/decision`, role, {
            decision: 'deny',
            comment: 'matrix',
          })
        ).status,
        'read request': (await get(`/access/requests/${atOwner}`, role)).status,
        'audit csv': (
          await get(
            `/access/audit?datasetId=${enc(CUSTOMERS)}&format=csv`,
            role,
          )
        ).status,
      };
    }
    // Revoke last (it changes the state): unrelated first, then allowed roles.
    for (const role of ['yuki', 'ben', 'marcus']) {
      matrix[role].revoke = (
        await post(`/access/grants/${grantId}/revoke`, role)
      ).status;
    }
    expect(matrix).toEqual({
      // requester: asks, never decides, reads own requests, no audit, no revoke
      yuki: {
        request: 201,
        'decide owner step': 403,
        'decide steward step': 403,
        'read request': 200,
        'audit csv': 403,
        revoke: 403,
      },
      // owner of customers: decides the owner step; the steward step is not hers yet
      chloe: {
        request: 201,
        'decide owner step': 200,
        'decide steward step': 409,
        'read request': 200,
        'audit csv': 200,
      },
      // steward: the owner step is decided already (denied by chloe) → 409
      sofia: {
        request: 201,
        'decide owner step': 409,
        'decide steward step': 200,
        'read request': 200,
        'audit csv': 200,
      },
      // platform admin: no reviews (separation of duties), audit and revoke yes
      marcus: {
        request: 201,
        'decide owner step': 403,
        'decide steward step': 403,
        'read request': 200,
        'audit csv': 200,
        revoke: 200,
      },
      // unrelated owner of other data: nothing on customers
      ben: {
        request: 201,
        'decide owner step': 403,
        'decide steward step': 403,
        'read request': 403,
        'audit csv': 403,
        revoke: 403,
      },
    });
    expect((await get('/access/requests?mine=true', 'ben')).status).toBe(200);
    expect(
      (await request(server).get('/api/lakehouse/access/requests')).status,
    ).toBe(401);
  });
});
