import { Browser, expect, Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');
const API = 'http://localhost:7007/api';

/** A sample user's Backstage token (development sign-in of the running portal). */
export async function tokenOf(user: string): Promise<string> {
  const { stdout } = await run(path.join(repo, 'scripts/dev-token'), [
    `user:default/${user}`,
  ]);
  return stdout.trim();
}

/** One call of the portal's API as a sample user; throws on a non-2xx answer. */
export async function call(
  user: string,
  method: string,
  url: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`${API}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${await tokenOf(user)}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * The portal's database outlives a test run on this machine: tests that
 * need a user without access first revoke what an earlier run left (as an
 * owner of the dataset), so no run depends on how the last one ended.
 */
export async function revokeGrants(
  owner: string,
  datasetId: string,
  principal: string,
) {
  const { items } = await call(
    owner,
    'GET',
    `/lakehouse/access/grants?datasetId=${encodeURIComponent(datasetId)}`,
  );
  for (const grant of items)
    if (grant.principal === principal && grant.status === 'active')
      await call(owner, 'POST', `/lakehouse/access/grants/${grant.id}/revoke`, {
        comment: 'Reset by the browser tests',
      });
}

/** Withdraws a user's requests still under review for a dataset (what a test filed, once it is done). */
export async function cancelOpenRequests(user: string, datasetId: string) {
  const { items } = await call(
    user,
    'GET',
    '/lakehouse/access/requests?mine=true',
  );
  for (const r of items)
    if (r.datasetId === datasetId && r.status === 'requested')
      await call(user, 'POST', `/lakehouse/access/requests/${r.id}/cancel`);
}

/** A new browser session signed in as a sample user (development sign-in). */
export async function signedIn(
  browser: Browser,
  displayName: string,
): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${displayName}` }).click();
  await expect(page.getByText('Welcome to Lakeport')).toBeVisible();
  return page;
}
