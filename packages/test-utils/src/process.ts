import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** The repository root: tests run from a workspace package folder. */
export const repoRoot =
  process.env.LAKEPORT_ROOT ??
  path.resolve(
    require.resolve('@lakeport/test-utils/package.json'),
    '../../..',
  );

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts a server process and waits until `readyUrl` answers 2xx, failing
 * with the process's output when it exits or `timeoutMs` passes. `stop`
 * sends SIGTERM, then SIGKILL after 10 s.
 */
export async function startServerProcess(options: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  readyUrl: string;
  timeoutMs: number;
}): Promise<{ stop(): Promise<void> }> {
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', d => (output += d));
  child.stderr?.on('data', d => (output += d));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise(r => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${options.name} exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(options.readyUrl)).ok) return { stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `${options.name} did not answer within ${options.timeoutMs} ms:\n${output}`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
}
