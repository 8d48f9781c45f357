import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot, startServerProcess } from './process';

/** Prometheus to answer /-/ready (a second or two idle; more on a loaded machine). */
export const PROMETHEUS_START_TIMEOUT_MS = 60_000;

/** A running Prometheus and its HTTP query API. */
export interface PrometheusServer {
  url: string;
  /** `GET /api/v1/query`: the result vector (throws on an error answer). */
  query(
    expr: string,
  ): Promise<
    Array<{ metric: Record<string, string>; value: [number, string] }>
  >;
  stop(): Promise<void>;
}

/**
 * Starts the Debian package's Prometheus (installed by scripts/test) scraping
 * `targets` every `intervalSeconds` with the repo's alerting rules
 * (observability/prometheus/lakeport-rules.yml), evaluated as often.
 */
export async function startPrometheus(options: {
  targets: string[];
  intervalSeconds: number;
}): Promise<PrometheusServer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakeport-prometheus-'));
  const rules = path.join(
    repoRoot,
    'observability/prometheus/lakeport-rules.yml',
  );
  await fs.writeFile(
    path.join(dir, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${options.intervalSeconds}s`,
      `  evaluation_interval: ${options.intervalSeconds}s`,
      'rule_files:',
      `  - ${rules}`,
      'scrape_configs:',
      '  - job_name: lakeport',
      '    metrics_path: /metrics',
      '    static_configs:',
      `      - targets: [${options.targets.map(t => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServerProcess({
    name: 'prometheus',
    command: process.env.LAKEPORT_PROMETHEUS ?? '/usr/bin/prometheus',
    args: [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    cwd: dir,
    env: process.env,
    readyUrl: `${url}/-/ready`,
    timeoutMs: PROMETHEUS_START_TIMEOUT_MS,
  });
  return {
    url,
    async query(expr: string) {
      const res = await fetch(
        `${url}/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      const body = await res.json();
      if (body.status !== 'success')
        throw new Error(`${expr}: ${body.errorType} ${body.error}`);
      return body.data.result;
    },
    async stop() {
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
