import { expect } from '@playwright/test';
import { PROJECT_TOOL_TIMEOUT_MS } from '@lakeport/test-utils';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { call } from './portalApi';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');

/** Runs a template through the scaffolder's REST API and waits for the task. */
export async function runTemplate(
  user: string,
  template: string,
  values: object,
) {
  const { id } = await call(user, 'POST', '/scaffolder/v2/tasks', {
    templateRef: `template:default/${template}`,
    values,
  });
  let task: any;
  await expect
    .poll(
      async () => {
        task = await call(user, 'GET', `/scaffolder/v2/tasks/${id}`);
        return task.status;
      },
      { timeout: PROJECT_TOOL_TIMEOUT_MS, intervals: [1000] },
    )
    .toMatch(/completed|failed|cancelled/);
  if (task.status !== 'completed') {
    const events = await call(user, 'GET', `/scaffolder/v2/tasks/${id}/events`);
    throw new Error(
      `${template}: ${task.status}\n${events
        .map((e: any) => e.body.message)
        .join('\n')}`,
    );
  }
  return task;
}

/** The template editor's dry run: the template folder as it is in the repo. */
export async function dryRun(user: string, template: string, values: object) {
  const dir = path.join(repo, 'templates', template);
  const files = (
    await fs.readdir(dir, { recursive: true, withFileTypes: true })
  )
    .filter(f => f.isFile())
    .map(f => path.join(f.parentPath, f.name));
  return call(user, 'POST', '/scaffolder/v2/dry-run', {
    template: parse(await fs.readFile(path.join(dir, 'template.yaml'), 'utf8')),
    values,
    directoryContents: await Promise.all(
      files.map(async f => ({
        path: path.relative(dir, f),
        base64Content: (await fs.readFile(f)).toString('base64'),
      })),
    ),
  });
}

/** A clone of a project the local publisher pushed (data/projects). */
export async function clone(repoName: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `lakeport-${repoName}-`));
  await run('git', [
    'clone',
    '-q',
    path.join(repo, 'data/projects', `${repoName}.git`),
    dir,
  ]);
  return dir;
}
