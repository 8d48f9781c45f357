import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './process';
import { SPARK_JOB_TIMEOUT_MS } from './spark';

const run = promisify(execFile);

/**
 * `airflow dags test` of a generated pipeline on a loaded 2-core machine:
 * Airflow's own start and DAG parse, then the Spark job it runs (a JVM,
 * the listener's first Ivy resolution, the job, events flushed).
 */
export const AIRFLOW_DAG_TEST_TIMEOUT_MS = SPARK_JOB_TIMEOUT_MS + 4 * 60_000;
/** `airflow db migrate` of a new SQLite metadata database, and pytest with Spark. */
export const PROJECT_TOOL_TIMEOUT_MS = 5 * 60_000;
/**
 * One `run_pipeline.py --once` of a generated streaming pipeline on a
 * loaded 2-core machine: a JVM (Spark, or Flink's mini cluster), the Kafka
 * connector's first resolution, the micro-batches, events flushed.
 */
export const STREAMING_RUN_TIMEOUT_MS = SPARK_JOB_TIMEOUT_MS + 2 * 60_000;
/** A generated notebook run with papermill (kernel start, a few queries). */
export const NOTEBOOK_RUN_TIMEOUT_MS = 3 * 60_000;

/** The virtualenv generated pipelines run in (Airflow, PySpark, pytest). */
export function airflowVenv(): string {
  return (
    process.env.LAKEPORT_AIRFLOW_VENV ?? path.join(repoRoot, '.venv-airflow')
  );
}

/** The virtualenv generated notebooks run in (papermill and a kernel). */
export function notebookVenv(): string {
  return (
    process.env.LAKEPORT_NOTEBOOK_VENV ?? path.join(repoRoot, '.venv-notebook')
  );
}

/**
 * Whether Airflow and papermill are installed. With
 * LAKEPORT_REQUIRE_PROJECT_TOOLS set (the test command sets it) a missing
 * install is an error, not a skipped test.
 */
export async function hasProjectTools(): Promise<boolean> {
  try {
    await fs.access(path.join(airflowVenv(), 'bin/airflow'));
    await fs.access(path.join(notebookVenv(), 'bin/papermill'));
    return true;
  } catch {
    if (process.env.LAKEPORT_REQUIRE_PROJECT_TOOLS)
      throw new Error(
        'Airflow or papermill missing: run scripts/test (it installs python/requirements-airflow.txt and requirements-notebook.txt)',
      );
    return false;
  }
}

async function step(
  label: string,
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeout: number },
) {
  try {
    return await run(file, args, {
      ...options,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...options.env },
    });
  } catch (e: any) {
    const output = `${e.stdout ?? ''}\n${e.stderr ?? ''}`;
    throw new Error(
      `${label} failed (${e.killed ? 'timed out' : `exit ${e.code}`}):\n${output
        .split('\n')
        .slice(-60)
        .join('\n')}`,
    );
  }
}

/**
 * Runs a generated batch pipeline as its README says: its pytest, then
 * `airflow db migrate` and `airflow dags test <dag>` with the OpenLineage
 * provider and the Spark listener posting to the portal. Airflow's home is
 * inside the project (a throwaway SQLite metadata database).
 */
export async function runGeneratedPipeline(options: {
  dir: string;
  dagId: string;
  lakehouseRoot: string;
  openLineage: { url: string; apiKey: string };
}) {
  const bin = path.join(airflowVenv(), 'bin');
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env.PATH}`,
    AIRFLOW_HOME: path.join(options.dir, '.airflow'),
    AIRFLOW__CORE__DAGS_FOLDER: path.join(options.dir, 'dags'),
    AIRFLOW__CORE__LOAD_EXAMPLES: 'false',
    AIRFLOW__OPENLINEAGE__NAMESPACE: 'airflow',
    AIRFLOW__OPENLINEAGE__TRANSPORT: JSON.stringify({
      type: 'http',
      url: options.openLineage.url,
      auth: { type: 'api_key', apiKey: options.openLineage.apiKey },
    }),
    LAKEPORT_OPENLINEAGE_URL: options.openLineage.url,
    LAKEPORT_OPENLINEAGE_API_KEY: options.openLineage.apiKey,
    LAKEPORT_LAKEHOUSE_ROOT: options.lakehouseRoot,
    SPARK_JARS_IVY: path.join(repoRoot, '.cache/ivy'),
    SPARK_LOCAL_IP: '127.0.0.1',
  };
  const opts = { cwd: options.dir, env, timeout: PROJECT_TOOL_TIMEOUT_MS };
  const pytest = await step(
    'pytest',
    path.join(bin, 'pytest'),
    ['-q', 'tests'],
    opts,
  );
  await step(
    'airflow db migrate',
    path.join(bin, 'airflow'),
    ['db', 'migrate'],
    opts,
  );
  const dags = await step(
    'airflow dags test',
    path.join(bin, 'airflow'),
    ['dags', 'test', options.dagId],
    { ...opts, timeout: AIRFLOW_DAG_TEST_TIMEOUT_MS },
  );
  return { pytest: pytest.stdout, dagsTest: `${dags.stdout}\n${dags.stderr}` };
}

/**
 * Executes a notebook headless with papermill in `cwd`, parameters
 * injected, the portal's URL and the user's token in the environment. The
 * output notebook is written even when a cell fails (papermill does), and
 * returned parsed.
 */
export async function runNotebook(options: {
  cwd: string;
  notebook: string;
  output: string;
  parameters?: Record<string, string | number>;
  env: NodeJS.ProcessEnv;
}): Promise<{ cells: Array<{ outputs?: any[] }> }> {
  const args = [options.notebook, options.output, '-k', 'python3'];
  for (const [k, v] of Object.entries(options.parameters ?? {}))
    args.push(typeof v === 'number' ? '-p' : '-r', k, String(v));
  await step('papermill', path.join(notebookVenv(), 'bin/papermill'), args, {
    cwd: options.cwd,
    env: options.env,
    timeout: NOTEBOOK_RUN_TIMEOUT_MS,
  });
  return JSON.parse(await fs.readFile(options.output, 'utf8'));
}

/** Virtualenv a generated streaming project runs in, per engine. */
export function streamingVenv(engine: 'spark' | 'flink'): string {
  return engine === 'spark'
    ? airflowVenv()
    : process.env.LAKEPORT_FLINK_VENV ?? path.join(repoRoot, '.venv-flink');
}

/**
 * Whether the engine's virtualenv is installed (Spark: spark-submit in the
 * Airflow one; Flink: PyFlink in .venv-flink). With
 * LAKEPORT_REQUIRE_PROJECT_TOOLS set a missing install is an error.
 */
export async function hasStreamingTools(
  engine: 'spark' | 'flink',
): Promise<boolean> {
  const probe = path.join(
    streamingVenv(engine),
    engine === 'spark' ? 'bin/spark-submit' : 'bin/pyflink-shell.sh',
  );
  try {
    await fs.access(probe);
    return true;
  } catch {
    if (process.env.LAKEPORT_REQUIRE_PROJECT_TOOLS)
      throw new Error(
        `No ${probe}: run scripts/test (it installs the ${engine} virtualenv)`,
      );
    return false;
  }
}

/**
 * Runs a generated streaming pipeline as its README says, in its engine's
 * virtualenv: its pytest (when `test`), `scripts/produce.py --count
 * <produce>` (when given), then `run_pipeline.py --once` with lineage to
 * the portal. The checkpoint stays in the project, so a second call reads
 * only what the first did not.
 */
export async function runStreamingPipeline(options: {
  dir: string;
  engine: 'spark' | 'flink';
  lakehouseRoot: string;
  openLineage: { url: string; apiKey: string };
  test?: boolean;
  produce?: number;
}) {
  const bin = path.join(streamingVenv(options.engine), 'bin');
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env.PATH}`,
    LAKEPORT_OPENLINEAGE_URL: options.openLineage.url,
    LAKEPORT_OPENLINEAGE_API_KEY: options.openLineage.apiKey,
    LAKEPORT_LAKEHOUSE_ROOT: options.lakehouseRoot,
    SPARK_JARS_IVY: path.join(repoRoot, '.cache/ivy'),
    SPARK_LOCAL_IP: '127.0.0.1',
    LAKEPORT_FLINK_JARS:
      process.env.LAKEPORT_FLINK_JARS ??
      path.join(repoRoot, '.cache/flink/lib'),
  };
  const opts = { cwd: options.dir, env, timeout: PROJECT_TOOL_TIMEOUT_MS };
  const python = path.join(bin, 'python');
  if (options.test)
    await step('pytest', path.join(bin, 'pytest'), ['-q', 'tests'], opts);
  if (options.produce)
    await step(
      'produce.py',
      python,
      ['scripts/produce.py', '--count', String(options.produce)],
      opts,
    );
  const result = await step(
    'run_pipeline.py --once',
    python,
    ['run_pipeline.py', '--once'],
    { ...opts, timeout: STREAMING_RUN_TIMEOUT_MS },
  );
  return `${result.stdout}\n${result.stderr}`;
}
