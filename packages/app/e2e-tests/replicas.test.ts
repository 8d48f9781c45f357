import { expect, test } from '@playwright/test';
import { portalDatabaseUrl } from '@lakeport/test-utils';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { call, cancelOpenRequests, revokeGrants, tokenOf } from './portalApi';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');
const A = 'http://localhost:7007';
const B = 'http://localhost:7008';
const enc = encodeURIComponent;
const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';
/** A second backend of the same build (TypeScript compiled as it loads): a minute or two on a loaded machine. */
const REPLICA_START_TIMEOUT_MS = 5 * 60_000;
const suffix = Date.now().toString(36);
/** About 20 s of DuckDB work on 2 cores: long enough to stop a replica in the middle. */
const SLOW_CHECK =
  'SELECT count(*) FROM range(4000000000) WHERE (range * 7) % 13 = 5';

/** The second replica: the test command's portal config, on port 7008, same PostgreSQL. */
async function startReplicaB(): Promise<ChildProcess> {
  const child = spawn(
    'yarn',
    [
      'workspace',
      'backend',
      'start',
      ...[
        'app-config.yaml',
        'app-config.postgres.yaml',
        'app-config.built.yaml',
      ].flatMap(f => ['--config', path.join(repo, f)]),
    ],
    {
      cwd: repo,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, APP_CONFIG_backend_listen_port: '7008' },
    },
  );
  let output = '';
  child.stdout!.on('data', d => (output = (output + d).slice(-20_000)));
  child.stderr!.on('data', d => (output = (output + d).slice(-20_000)));
  const deadline = Date.now() + REPLICA_START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`replica B exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(`${B}/.backstage/health/v1/readiness`)
      .then(r => r.ok)
      .catch(() => false);
    if (ok) return child;
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`replica B did not start:\n${output}`);
    }
    await new Promise(r => setTimeout(r, 2000));
  }
}

/** The processes listening on a port (the portal the test command started). */
async function pidsOn(port: number): Promise<number[]> {
  const { stdout } = await run('fuser', ['-n', 'tcp', String(port)]).catch(
    e => e,
  );
  return String(stdout).trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Tokens minted while the portal answers (it signs them), used while it is frozen. */
const tokens = new Map<string, string>();
async function token(user: string) {
  if (!tokens.has(user)) tokens.set(user, await tokenOf(user));
  return tokens.get(user)!;
}

async function callOn(
  base: string,
  user: string,
  method: string,
  url: string,
  body?: unknown,
) {
  const res = await fetch(`${base}/api${url}`, {
    method,
    headers: {
      authorization: `Bearer ${await token(user)}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** How many times the lakehouse sync started, on one replica (its /metrics). */
async function syncStarts(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return text
    .split('\n')
    .filter(
      l =>
        l.startsWith('backend_tasks_task_runs_count_total{') &&
        l.includes('taskId="lakehouse-sync"') &&
        l.includes('result="started"'),
    )
    .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
}

/** One statement on the lakehouse plugin's database: moves the clock of a row, counts what was written. */
async function sql(statement: string): Promise<string> {
  const database = portalDatabaseUrl('lakehouse');
  if (!database)
    throw new Error('LAKEPORT_E2E_POSTGRES_URL is not set: run scripts/test');
  const { stdout } = await run(
    'psql',
    [database, '-v', 'ON_ERROR_STOP=1', '-Atc', statement],
    { timeout: 30_000 },
  );
  return stdout.trim();
}

/** Asks both replicas at once to run a scheduled task now (409: it is running already). */
async function triggerOnBoth(taskId: string) {
  const statuses = await Promise.all(
    [A, B].map(
      async base =>
        (
          await fetch(
            `${base}/api/lakehouse/.backstage/scheduler/v1/tasks/${taskId}/trigger`,
            {
              method: 'POST',
              headers: { authorization: `Bearer ${await token('marcus')}` },
            },
          )
        ).status,
    ),
  );
  for (const status of statuses) expect([200, 409]).toContain(status);
}

/**
 * Two backend processes on the test command's PostgreSQL (the portal on
 * 7007 and a second replica on 7008, same config): an OpenLineage event
 * posted to both is applied once, a sync asked of both runs once, an
 * access request decided on both is provisioned and notified once, its
 * reminder and its expiry asked of both happen once, a due quality
 * schedule queues one run, and a quality run whose replica is killed in
 * the middle is finished by the other, its results written once.
 */
test('two replicas on one PostgreSQL do each piece of work once, and one finishes what a killed one started', async () => {
  test.setTimeout(20 * 60_000);
  const replica = await startReplicaB();
  const frozen: number[] = [];
  const table = `ops.raw.replica_probe_${suffix}`;
  const folder = path.join(repo, 'data/lakehouse', ...table.split('.'));
  try {
    // One event, both replicas, at once: applied once.
    const event = {
      eventType: 'COMPLETE',
      eventTime: new Date().toISOString(),
      producer: 'https://lakeport.dev/tests/replicas',
      schemaURL:
        'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: crypto.randomUUID() },
      job: { namespace: 'tests', name: `replicas_${suffix}` },
      inputs: [{ namespace: 'lakeport', name: 'commerce.curated.products' }],
      outputs: [],
    };
    const post = (base: string) =>
      fetch(`${base}/api/lakehouse/lineage/api/v1/lineage`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer lakeport-dev-openlineage-token',
          'content-type': 'application/json',
        },
        body: JSON.stringify(event),
      }).then(r => r.status);
    expect((await Promise.all([post(A), post(B)])).sort()).toEqual([200, 201]);

    // A sync asked of both at once runs once.
    const before = (await syncStarts(A)) + (await syncStarts(B));
    const last = (await call('marcus', 'GET', '/lakehouse/sync')).lastRun;
    await Promise.all(
      [A, B].map(base => callOn(base, 'marcus', 'POST', '/lakehouse/sync')),
    );
    await expect
      .poll(
        async () =>
          (
            await call('marcus', 'GET', '/lakehouse/sync')
          ).lastRun?.finishedAt,
        {
          timeout: 5 * 60_000,
          intervals: [2000],
        },
      )
      .not.toBe(last?.finishedAt);
    await new Promise(r => setTimeout(r, 5000));
    expect((await syncStarts(A)) + (await syncStarts(B)) - before).toBe(1);

    // An access request decided on both replicas: provisioned once (each
    // replica's provisioning task competes for the lease), Ana told once.
    await revokeGrants('chloe', CUSTOMERS, 'user:default/ana');
    await cancelOpenRequests('ana', CUSTOMERS);
    const since = new Date().toISOString();
    const asked = await callOn(B, 'ana', 'POST', '/lakehouse/access/requests', {
      datasetId: CUSTOMERS,
      columns: ['email'],
      purpose: 'Replica test',
      justification: 'Two replicas provision it once',
      durationDays: 1,
    });
    expect(asked.status).toBe(201);
    const decide = (base: string, user: string) =>
      callOn(
        base,
        user,
        'POST',
        `/lakehouse/access/requests/${asked.body.id}/decision`,
        { decision: 'approve', comment: `approved by ${user}` },
      );
    /** The request's status, the customers audit entries, Ana's notifications since the request. */
    const requestStatus = async () =>
      (await call('ana', 'GET', `/lakehouse/access/requests/${asked.body.id}`))
        .status;
    const audited = async (action: string, of: Record<string, string>) =>
      (
        await call(
          'chloe',
          'GET',
          `/lakehouse/access/audit?datasetId=${enc(CUSTOMERS)}`,
        )
      ).items.filter(
        (e: any) =>
          e.action === action &&
          Object.entries(of).every(([key, value]) => e[key] === value),
      ).length;
    const titled = async (prefix: string) =>
      (
        await call(
          'ana',
          'GET',
          `/notifications?createdAfter=${enc(since)}&limit=100`,
        )
      ).notifications.filter((n: any) => n.payload.title.startsWith(prefix))
        .length;
    expect((await decide(A, 'chloe')).status).toBe(200);
    expect((await decide(B, 'sofia')).status).toBe(200);
    await expect
      .poll(requestStatus, { timeout: 3 * 60_000, intervals: [2000] })
      .toBe('active');
    await new Promise(r => setTimeout(r, 10_000));
    expect(await audited('granted', { requestId: asked.body.id })).toBe(1);
    expect(await titled('You have access to customers.curated.customers')).toBe(
      1,
    );

    // Scheduled work asked of both replicas at once, twice, is done once:
    // Ana is reminded once that her one-day grant ends soon ...
    const reminder = 'Your access to customers.curated.customers ends on';
    await triggerOnBoth('lakehouse-access-expiry');
    await expect
      .poll(() => titled(reminder), { timeout: 2 * 60_000, intervals: [2000] })
      .toBeGreaterThan(0);
    await triggerOnBoth('lakehouse-access-expiry');
    await new Promise(r => setTimeout(r, 10_000));
    expect(await titled(reminder)).toBe(1);

    // ... and, once its end has passed (the clock moved in the database),
    // it expires once: one audit entry, one notification.
    const grantId = (
      await call('ana', 'GET', `/lakehouse/access/requests/${asked.body.id}`)
    ).grantId;
    await sql(
      `UPDATE access_grants SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = '${grantId}'`,
    );
    await triggerOnBoth('lakehouse-access-expiry');
    await expect
      .poll(requestStatus, { timeout: 2 * 60_000, intervals: [2000] })
      .toBe('expired');
    await triggerOnBoth('lakehouse-access-expiry');
    await new Promise(r => setTimeout(r, 10_000));
    expect(await audited('expired', { grantId })).toBe(1);
    expect(
      await titled('Your access to customers.curated.customers expired'),
    ).toBe(1);

    // A quality schedule that is due queues one run, whichever replica
    // reads the schedules (each also runs the task every minute).
    const PRODUCTS = 'dataset:lakeport:commerce.curated.products';
    await expect
      .poll(
        () =>
          sql(
            `SELECT count(*) FROM quality_runs WHERE dataset_id = '${PRODUCTS}' AND status IN ('queued', 'running')`,
          ),
        { timeout: 5 * 60_000, intervals: [2000] },
      )
      .toBe('0');
    const scheduledSince = new Date().toISOString();
    expect(
      await sql(
        `UPDATE quality_schedules SET next_run_at = '2000-01-01T00:00:00.000Z' WHERE dataset_id = '${PRODUCTS}'`,
      ),
    ).toBe('UPDATE 1');
    await triggerOnBoth('lakehouse-quality-schedule');
    await expect
      .poll(
        async () =>
          (
            await call(
              'ana',
              'GET',
              `/lakehouse/quality/scorecards/${enc(PRODUCTS)}`,
            )
          ).schedule?.nextRunAt > scheduledSince,
        { timeout: 2 * 60_000, intervals: [2000] },
      )
      .toBe(true);
    await triggerOnBoth('lakehouse-quality-schedule');
    await new Promise(r => setTimeout(r, 5000));
    expect(
      await sql(
        `SELECT count(*) FROM quality_runs WHERE dataset_id = '${PRODUCTS}' AND trigger = 'schedule' AND created_at > '${scheduledSince}'`,
      ),
    ).toBe('1');

    // A table whose contract has a slow check, planned by Ana's team.
    await fs.mkdir(folder, { recursive: true });
    await fs.copyFile(
      path.join(
        repo,
        'data/lakehouse/commerce/curated/products/data_0.parquet',
      ),
      path.join(folder, 'data_0.parquet'),
    );
    const contract = [
      'apiVersion: v3.1.0',
      'kind: DataContract',
      `id: urn:datacontract:lakeport:${table}`,
      'version: 0.1.0',
      'status: draft',
      'domain: ops',
      'schema:',
      `  - name: replica_probe_${suffix}`,
      `    physicalName: ${table}`,
      '    physicalType: table',
      '    properties:',
      '      - name: product_id',
      '        classification: internal',
      '    quality:',
      '      - type: sql',
      '        id: slow_probe',
      '        name: A slow probe',
      `        query: ${SLOW_CHECK}`,
      '        mustBeGreaterThan: 0',
      'customProperties:',
      '  - property: owner',
      '    value: group:default/data-science',
      '',
    ].join('\n');
    await call('ana', 'POST', '/lakehouse/planned', {
      job: { namespace: 'tests', name: `replica_probe_${suffix}` },
      output: table,
      inputs: ['dataset:lakeport:commerce.curated.products'],
      owner: 'group:default/data-science',
      contract,
    });

    await token('ana');
    await token('marcus');
    // Only B works from here: the portal is frozen (SIGSTOP), so B syncs,
    // queues the table's first quality run and claims it.
    frozen.push(...(await pidsOn(7007)));
    expect(frozen.length).toBeGreaterThan(0);
    frozen.forEach(pid => process.kill(pid, 'SIGSTOP'));
    const id = `dataset:lakeport:${table}`;
    expect((await callOn(B, 'marcus', 'POST', '/lakehouse/sync')).status).toBe(
      202,
    );
    let runId = '';
    await expect
      .poll(
        async () => {
          const res = await callOn(
            B,
            'ana',
            'POST',
            '/lakehouse/quality/runs',
            {
              datasetId: id,
            },
          );
          runId = res.body?.id ?? '';
          return res.status;
        },
        { timeout: 3 * 60_000, intervals: [2000] },
      )
      .toBe(202);
    await expect
      .poll(
        async () =>
          (
            await callOn(B, 'ana', 'GET', `/lakehouse/quality/runs/${runId}`)
          ).body?.status,
        { timeout: 60_000, intervals: [500] },
      )
      .toBe('running');
    // B is in the middle of the slow check: kill it, wake the portal.
    await new Promise(r => setTimeout(r, 3000));
    process.kill(-replica.pid!, 'SIGKILL');
    frozen.splice(0).forEach(pid => process.kill(pid, 'SIGCONT'));

    // The portal takes the run over once B's heartbeats are missing
    // (2 minutes; the schedule task runs every minute) and finishes it.
    const done = await (async () => {
      let body: any;
      await expect
        .poll(
          async () => {
            body = await call('ana', 'GET', `/lakehouse/quality/runs/${runId}`);
            return body.status;
          },
          { timeout: 12 * 60_000, intervals: [5000] },
        )
        .toBe('completed');
      return body;
    })();
    expect(done.error).toBeUndefined();
    const probes = done.results.filter((r: any) =>
      r.checkId.includes('slow_probe'),
    );
    expect(probes).toHaveLength(1);
    expect(probes[0].status).toBe('passed');
    const scorecard = await call(
      'ana',
      'GET',
      `/lakehouse/quality/scorecards/${enc(id)}`,
    );
    expect(
      scorecard.checks.filter((c: any) => c.checkId.includes('slow_probe')),
    ).toHaveLength(1);
  } finally {
    frozen.forEach(pid => process.kill(pid, 'SIGCONT'));
    if (replica.exitCode === null)
      try {
        process.kill(-replica.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    await fs.rm(folder, { recursive: true, force: true });
    // The probe table is gone: a sync marks it removed.
    await call('marcus', 'POST', '/lakehouse/sync').catch(() => undefined);
  }
});
