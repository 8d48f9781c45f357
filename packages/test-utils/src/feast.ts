import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { freePort, repoRoot, startServerProcess } from './process';

/**
 * `feast apply` plus `feast materialize` of the sample repository on a
 * loaded 2-core machine (Feast's imports alone take seconds; the on-demand
 * view's transformation is run once to infer its schema).
 */
export const FEAST_APPLY_TIMEOUT_MS = 5 * 60_000;
/** Start of the registry REST server (about 11 s here, idle). */
export const FEAST_SERVER_START_TIMEOUT_MS = 2 * 60_000;

/** The Feast CLI of the ML virtualenv (scripts/test installs python/requirements-ml.txt). */
export function feastCli(): string {
  return (
    process.env.LAKEPORT_FEAST ?? path.join(repoRoot, '.venv-ml/bin/feast')
  );
}

/**
 * Whether Feast is installed. With LAKEPORT_REQUIRE_FEAST set (the test
 * command sets it) a missing install is an error, not a skipped test.
 */
export async function hasFeast(): Promise<boolean> {
  try {
    await fs.access(feastCli());
    return true;
  } catch {
    if (process.env.LAKEPORT_REQUIRE_FEAST)
      throw new Error(
        `No Feast at ${feastCli()}: run scripts/test (it installs python/requirements-ml.txt)`,
      );
    return false;
  }
}

/**
 * Applies and materializes the sample feature repository over a lakehouse
 * with real Feast (scripts/feast-sample); returns the repository folder.
 */
export async function applyFeastSample(
  lakehouseRoot: string,
  outDir: string,
): Promise<string> {
  await new Promise<void>((resolve, reject) =>
    execFile(
      path.join(repoRoot, 'scripts/feast-sample'),
      [lakehouseRoot, outDir],
      {
        env: { ...process.env, LAKEPORT_FEAST: feastCli() },
        timeout: FEAST_APPLY_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        error
          ? reject(
              new Error(
                `feast-sample failed: ${error.message}\n${stderr}${stdout}`,
              ),
            )
          : resolve(),
    ),
  );
  return path.join(outDir, 'repo');
}

/** Runs `feast <args>` in a feature repository. */
export async function runFeast(
  repoDir: string,
  args: string[],
): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      feastCli(),
      args,
      {
        cwd: repoDir,
        env: { ...process.env },
        timeout: FEAST_APPLY_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        error
          ? reject(
              new Error(
                `feast ${args.join(' ')} failed: ${error.message}\n${stderr}`,
              ),
            )
          : resolve(stdout),
    ),
  );
}

/** A running `feast serve_registry --rest-api`. */
export interface FeastRegistryServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts Feast's registry REST server on a free port, as users run it
 * (`feast serve_registry --rest-api --no-grpc`), and waits until
 * `GET /api/v1/version` answers.
 */
export async function startFeastRegistry(
  repoDir: string,
  env: Record<string, string> = {},
): Promise<FeastRegistryServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { stop } = await startServerProcess({
    name: 'feast serve_registry',
    command: feastCli(),
    args: [
      'serve_registry',
      '--rest-api',
      '--no-grpc',
      '--rest-port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    cwd: repoDir,
    env: { ...process.env, ...env },
    readyUrl: `${url}/api/v1/version`,
    timeoutMs: FEAST_SERVER_START_TIMEOUT_MS,
  });
  return { url, stop };
}
