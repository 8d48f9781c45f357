/* eslint-disable no-console */
// Shared by the benchmarks: engines (SQLite file, PostgreSQL database), timing.
import { resolvePackagePath } from '@backstage/backend-plugin-api';
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
