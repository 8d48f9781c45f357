import { mockCredentials } from '@backstage/backend-test-utils';
import { generateSampleLakehouse } from '@lakeport/sample-lakehouse';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';

/** Polls until the probe answers, or fails naming what it waited for. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

/** A small sample lakehouse (1 % scale, as of today) in a new temp folder. */
export async function sampleLakehouseForTest(prefix: string) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const root = path.join(tmp, 'lakehouse');
  await generateSampleLakehouse({
    outDir: root,
    asOf: new Date().toISOString().slice(0, 10),
    scale: 0.01,
  });
  return { tmp, root };
}

/** The Authorization header of a sample user (mock credentials). */
export const asUser = (user: string) => ({
  Authorization: mockCredentials.user.header(`user:default/${user}`),
});

/**
 * Runs a lakehouse sync as Marcus (a platform admin in the tests' ownership
 * maps) and waits until Ana can read `datasetId`.
 */
export async function syncAndWaitFor(
  server: any,
  datasetId: string,
  timeoutMs: number,
): Promise<void> {
  const sync = await request(server)
    .post('/api/lakehouse/sync')
    .set(asUser('marcus'));
  if (sync.status !== 202) throw new Error(`sync: ${sync.status}`);
  await waitFor(
    async () => {
      const res = await request(server)
        .get(`/api/lakehouse/datasets/${encodeURIComponent(datasetId)}`)
        .set(asUser('ana'));
      return res.status === 200 ? true : undefined;
    },
    `${datasetId} after a sync`,
    timeoutMs,
  );
}
