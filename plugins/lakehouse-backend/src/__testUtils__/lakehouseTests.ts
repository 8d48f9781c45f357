import { generateSampleLakehouse } from '@lakeport/sample-lakehouse';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

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
