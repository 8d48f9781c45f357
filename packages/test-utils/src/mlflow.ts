import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot, startServerProcess } from './process';

/** `mlflow server` with the basic-auth app to answer (about 20 s idle here). */
export const MLFLOW_SERVER_START_TIMEOUT_MS = 3 * 60_000;
/** The sample training script: three runs, Feast retrievals, three registrations. */
export const MLFLOW_TRAINING_TIMEOUT_MS = 8 * 60_000;

/** The ML virtualenv (python/requirements-ml.txt: MLflow with Feast). */
export function mlVenv(): string {
  return process.env.LAKEPORT_ML_VENV ?? path.join(repoRoot, '.venv-ml');
}

/** A running `mlflow server --app-name basic-auth` and its admin login. */
export interface MlflowServer {
  url: string;
  admin: { username: string; password: string };
  /**
   * The portal's own MLflow user: READ like everyone; the training script
   * gives it EDIT on the sample models (their aliases are governed).
   */
  portal: { username: string; password: string };
  /** Environment for MLflow's Python client (tracking URI and login). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts a real MLflow tracking server as its users run it: SQLite backend
 * store, local artifacts, the basic-auth app (an admin, READ by default),
 * webhooks allowed to local http receivers with a fixed encryption key.
 */
export async function startMlflowServer(): Promise<MlflowServer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lakeport-mlflow-'));
  const port = await freePort();
  const admin = { username: 'admin', password: 'lakeport-admin-password' };
  await fs.writeFile(
    path.join(dir, 'basic_auth.ini'),
    [
      '[mlflow]',
      'default_permission = READ',
      `database_uri = sqlite:///${dir}/basic_auth.db`,
      `admin_username = ${admin.username}`,
      `admin_password = ${admin.password}`,
      'authorization_function = mlflow.server.auth:authenticate_request_basic_auth',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}`;
  let server: { stop(): Promise<void> };
  try {
    server = await startServerProcess({
      name: 'mlflow server',
      command: path.join(mlVenv(), 'bin/mlflow'),
      args: [
        'server',
        '--app-name',
        'basic-auth',
        '--backend-store-uri',
        `sqlite:///${dir}/mlflow.db`,
        '--default-artifact-root',
        path.join(dir, 'artifacts'),
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--workers',
        '1',
      ],
      cwd: dir,
      env: {
        ...process.env,
        MLFLOW_AUTH_CONFIG_PATH: path.join(dir, 'basic_auth.ini'),
        MLFLOW_DISABLE_TELEMETRY: 'true',
        MLFLOW_FLASK_SERVER_SECRET_KEY: 'lakeport-test-secret',
        MLFLOW_AUTH_ADMIN_PASSWORD: admin.password,
        MLFLOW_WEBHOOK_ALLOWED_SCHEMES: 'http,https',
        MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS: 'true',
        // The server caches its webhook list (60 s by default): a webhook
        // created by a test would miss the events that follow at once.
        MLFLOW_WEBHOOK_CACHE_TTL: '1',
        // A Fernet key: URL-safe base64 of 32 bytes, padding kept.
        MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY: Buffer.alloc(32, 7)
          .toString('base64')
          .replace(/\+/g, '-')
          .replace(/\//g, '_'),
      },
      readyUrl: `${url}/health`,
      timeoutMs: MLFLOW_SERVER_START_TIMEOUT_MS,
    });
  } catch (e) {
    await fs.rm(dir, { recursive: true, force: true });
    throw e;
  }
  const stop = async () => {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  };
  const portal = { username: 'lakeport', password: 'lakeport-portal-password' };
  const created = await fetch(`${url}/api/2.0/mlflow/users/create`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Basic ${Buffer.from(
        `${admin.username}:${admin.password}`,
      ).toString('base64')}`,
    },
    body: JSON.stringify(portal),
  });
  if (!created.ok) {
    await stop();
    throw new Error(
      `mlflow users/create: ${created.status} ${await created.text()}`,
    );
  }
  return {
    url,
    admin,
    portal,
    env: {
      MLFLOW_TRACKING_URI: url,
      MLFLOW_TRACKING_USERNAME: admin.username,
      MLFLOW_TRACKING_PASSWORD: admin.password,
      MLFLOW_DISABLE_TELEMETRY: 'true',
    },
    stop,
  };
}

/**
 * Runs the sample training script (python/lakeport_tools/train_sample_models.py)
 * against a tracking server: churn-classifier v1 and v2 on Feast features
 * (when `feastRepo` is given), fraud-detector v1 to v3, `champion` on v1 of
 * both, and EDIT on both for the portal's MLflow user.
 */
export async function trainSampleModels(options: {
  server: MlflowServer;
  lakehouseRoot: string;
  feastRepo?: string;
}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      path.join(mlVenv(), 'bin/python'),
      [
        path.join(repoRoot, 'python/lakeport_tools/train_sample_models.py'),
        '--tracking-uri',
        options.server.url,
        '--lakehouse-root',
        options.lakehouseRoot,
        ...(options.feastRepo ? ['--feast-repo', options.feastRepo] : []),
        '--portal-user',
        options.server.portal.username,
      ],
      {
        env: { ...process.env, ...options.server.env },
        timeout: MLFLOW_TRAINING_TIMEOUT_MS,
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`training failed: ${error.message}\n${stderr}`))
          : resolve(stdout),
    ),
  );
}
