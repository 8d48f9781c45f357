/* eslint-disable no-console */
// Shared by the benchmarks: engines (SQLite file, PostgreSQL database), timing.
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { AddressInfo } from 'node:net';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const migrations = resolvePackagePath(
  '@lakeport/plugin-lakehouse-backend',
  'migrations',
);

export const quiet = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return quiet;
  },
} as any;

export function engines(): Array<{ label: string; knex: () => Knex }> {
  const list = [
    {
      label: 'SQLite',
      knex: () => {
        const file = path.join(
          fs.mkdtempSync(path.join(os.tmpdir(), 'lakeport-bench-')),
          'bench.sqlite',
        );
        return knexFactory({
          client: 'better-sqlite3',
          connection: { filename: file },
          useNullAsDefault: true,
        });
      },
    },
  ];
  const pg = process.env.LAKEPORT_POSTGRES_URL;
  const only = process.env.BENCH_ENGINES; // sqlite or postgres; default both
  if (only === 'postgres') list.pop();
  if (only === 'sqlite') return list;
  if (pg) {
    list.push({
      label: 'PostgreSQL',
      knex: () =>
        knexFactory({ client: 'pg', connection: `${pg}/lakeport_bench` }),
    });
  } else {
    console.error(
      'LAKEPORT_POSTGRES_URL is not set: PostgreSQL is skipped (run through scripts/bench)',
    );
  }
  return list;
}

export async function resetPostgres() {
  const admin = knexFactory({
    client: 'pg',
    connection: `${process.env.LAKEPORT_POSTGRES_URL}/postgres`,
  });
  await admin.raw('DROP DATABASE IF EXISTS lakeport_bench');
  await admin.raw('CREATE DATABASE lakeport_bench');
  await admin.destroy();
}

export function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/** p50/p95 of `runs` sequential GETs; `next` varies the URL per request. */
export async function measure(
  url: string,
  runs: number,
  next: () => string = () => url,
) {
  for (let i = 0; i < 10; i++) await (await fetch(next())).json();
  const times: number[] = [];
  let body: any;
  for (let i = 0; i < runs; i++) {
    const target = next();
    const started = performance.now();
    const res = await fetch(target);
    body = await res.json();
    times.push(performance.now() - started);
    if (!res.ok)
      throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    body,
  };
}

/** A permissions service that allows everything (the bench measures queries). */
export const allowAllPermissions = {
  authorize: async (requests: unknown[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  authorizeConditional: async (requests: unknown[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })),
} as any;

/** Serves a domain router at /api/lakehouse on a free port, errors as JSON. */
export function serveForBench(router: express.Router) {
  const app = express();
  app.use('/api/lakehouse', router);
  app.use(
    (
      error: Error,
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      res
        .status(error.name === 'InputError' ? 400 : 500)
        .json({ error: { message: error.message } });
    },
  );
  const server = app.listen(0);
  const base = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/api/lakehouse`;
  return { server, base };
}
