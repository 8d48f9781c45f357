// Time to the first dataset page on the production build of the frontend,
// in headless Chromium: a new browser context (nothing cached), open the
// portal, sign in as a data scientist, open Datasets, until the table shows
// its rows. Median of BENCH_FRONTEND_RUNS (5). Needs the portal running with
// `scripts/start --built` (scripts/bench starts it). Writes
// docs/benchmarks/frontend.md (BENCH_FRONTEND_OUTPUT).
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';

const url = process.env.PLAYWRIGHT_URL ?? 'http://localhost:7007';
const runs = Number(process.env.BENCH_FRONTEND_RUNS ?? 5);
const output =
  process.env.BENCH_FRONTEND_OUTPUT ?? 'docs/benchmarks/frontend.md';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

/** One cold visit; milliseconds of each step. */
async function visit() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const t0 = performance.now();
  await page.goto(url);
  const signIn = page.getByRole('button', { name: 'Sign in as Ana Souza' });
  await signIn.waitFor();
  const t1 = performance.now();
  await signIn.click();
  await page.getByText('Welcome to Lakeport').waitFor();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Datasets' })
    .click();
  const table = page.getByRole('table', { name: 'Datasets' });
  await table
    .getByRole('row')
    .filter({ hasText: 'customers.curated.customers' })
    .waitFor();
  const t2 = performance.now();
  await context.close();
  return { load: t1 - t0, signInToTable: t2 - t1, total: t2 - t0 };
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

await visit(); // warm the server (first requests compile caches), not counted
const samples = [];
for (let i = 0; i < runs; i++) samples.push(await visit());
await browser.close();

const ms = x => `${Math.round(x)} ms`;
const row = (label, key) =>
  `| ${label} | ${ms(median(samples.map(s => s[key])))} | ${samples
    .map(s => ms(s[key]))
    .join(', ')} |`;
const report = `# Frontend: time to the first dataset page

Production build of the frontend served by the backend (\`scripts/start --built\`),
headless Debian Chromium, a new browser context per visit (nothing cached),
sample lakehouse, ${
  os.cpus().length
} cores. \`yarn bench\` (\`BENCH_ONLY=frontend\`)
writes this file; median of ${runs} visits after one warm-up visit.

Goal: sign-in to a rendered Datasets table ≤ 2 s.

| measure | median | runs |
|---|---|---|
${row('sign-in to a rendered Datasets table', 'signInToTable')}
${row('open the portal until the sign-in page shows', 'load')}
${row('open, sign in, Datasets table rendered', 'total')}

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.
`;
fs.writeFileSync(output, report);
console.log(report);
