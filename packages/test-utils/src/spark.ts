import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './process';

/** The stock OpenLineage Spark listener, fetched by Spark from Maven Central. */
export const OPENLINEAGE_SPARK_PACKAGE =
  'io.openlineage:openlineage-spark_2.13:1.53.0';

/**
 * A submit plus its listener's work on a loaded 2-core machine: a JVM start,
 * the first Ivy resolution of the listener, the job, the events flushed.
 */
export const SPARK_JOB_TIMEOUT_MS = 8 * 60_000;

/** The PySpark virtualenv (scripts/test installs python/requirements-spark.txt). */
export function sparkVenv(): string {
  return process.env.LAKEPORT_SPARK_VENV ?? path.join(repoRoot, '.venv-spark');
}

/**
 * Whether PySpark is installed. With LAKEPORT_REQUIRE_SPARK set (the test
 * command sets it) a missing install is an error, not a skipped test.
 */
export async function hasSpark(): Promise<boolean> {
  try {
    await fs.access(path.join(sparkVenv(), 'bin/spark-submit'));
    return true;
  } catch {
    if (process.env.LAKEPORT_REQUIRE_SPARK) {
      throw new Error(
        `No PySpark at ${sparkVenv()}: run scripts/test (it installs python/requirements-spark.txt)`,
      );
    }
    return false;
  }
}

export interface SparkJobOptions {
  /** The PySpark script and its arguments. */
  script: string;
  args?: string[];
  /**
   * Where the stock OpenLineage listener posts its events (HTTP transport):
   * the portal's `.../api/lakehouse/lineage`, and the API key it sends.
   */
  openLineage?: { url: string; apiKey: string; namespace?: string };
  /** More `--conf` settings. */
  conf?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Runs a PySpark job with spark-submit as users run it (local[2]), with the
 * stock OpenLineage Spark listener when `openLineage` is given. Jars resolve
 * through Ivy into the repo's ignored `.cache/ivy`. Rejects with Spark's
 * output on a non-zero exit or a timeout.
 */
export async function runSparkJob(
  options: SparkJobOptions,
): Promise<{ stdout: string; stderr: string }> {
  const venv = sparkVenv();
  const conf: Record<string, string> = {
    'spark.jars.ivy': path.join(repoRoot, '.cache/ivy'),
    'spark.ui.enabled': 'false',
    'spark.sql.shuffle.partitions': '4',
    ...(options.openLineage
      ? {
          'spark.jars.packages': OPENLINEAGE_SPARK_PACKAGE,
          'spark.extraListeners':
            'io.openlineage.spark.agent.OpenLineageSparkListener',
          'spark.openlineage.transport.type': 'http',
          'spark.openlineage.transport.url': options.openLineage.url,
          'spark.openlineage.transport.auth.type': 'api_key',
          'spark.openlineage.transport.auth.apiKey': options.openLineage.apiKey,
          'spark.openlineage.namespace':
            options.openLineage.namespace ?? 'spark',
        }
      : {}),
    ...options.conf,
  };
  const argv = [
    '--master',
    'local[2]',
    ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
    options.script,
    ...(options.args ?? []),
  ];
  return new Promise((resolve, reject) => {
    execFile(
      path.join(venv, 'bin/spark-submit'),
      argv,
      {
        timeout: options.timeoutMs ?? SPARK_JOB_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          // spark-submit finds SPARK_HOME through the venv's python.
          PATH: `${path.join(venv, 'bin')}:${process.env.PATH}`,
          SPARK_LOCAL_IP: '127.0.0.1',
          PYSPARK_PYTHON: path.join(venv, 'bin/python'),
        },
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `spark-submit ${path.basename(options.script)} failed (${
                error.killed ? 'timed out' : `exit ${error.code}`
              }):\n${stderr.split('\n').slice(-40).join('\n')}`,
            ),
          );
        } else resolve({ stdout, stderr });
      },
    );
  });
}
