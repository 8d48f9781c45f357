import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot } from './process';

/** A single-node KRaft broker formatting its storage and starting (about 6 s idle here). */
export const KAFKA_START_TIMEOUT_MS = 3 * 60_000;

/** A running Kafka broker on 127.0.0.1. */
export interface KafkaBroker {
  /** `127.0.0.1:<port>`, the bootstrap server. */
  bootstrap: string;
  stop(): Promise<void>;
}

/** Whether the broker's jars are there (`ensure_kafka` in scripts/lib/system.sh). */
export async function hasKafka(): Promise<boolean> {
  const lib =
    process.env.LAKEPORT_KAFKA_LIB ?? path.join(repoRoot, '.cache/kafka/lib');
  const found = await fs
    .readdir(lib)
    .then(files => files.some(f => f.startsWith('kafka_2.13-')))
    .catch(() => false);
  if (!found && process.env.LAKEPORT_REQUIRE_KAFKA)
    throw new Error(
      `No Kafka broker jars in ${lib}: run scripts/test (ensure_kafka fetches them)`,
    );
  return found;
}

/**
 * Starts a real Kafka 4.4 broker (scripts/kafka/start-broker: KRaft, one
 * node, storage in a fresh temp folder) and waits for its "Kafka Server
 * started" line; fails with its output when it exits or the time passes.
 */
export async function startKafkaBroker(): Promise<KafkaBroker> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakeport-kafka-'));
  const [port, controller] = [await freePort(), await freePort()];
  const child = spawn(
    path.join(repoRoot, 'scripts/kafka/start-broker'),
    [dir, String(port), String(controller)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const started = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d;
      if (output.includes('Kafka Server started')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', code =>
      reject(new Error(`Kafka broker exited (${code}):\n${output}`)),
    );
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise(r => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await fs.rm(dir, { recursive: true, force: true });
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      started,
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `Kafka broker did not start within ${KAFKA_START_TIMEOUT_MS} ms:\n${output}`,
              ),
            ),
          KAFKA_START_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (e) {
    await stop();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return { bootstrap: `127.0.0.1:${port}`, stop };
}
