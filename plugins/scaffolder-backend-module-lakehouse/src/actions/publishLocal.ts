import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PROJECT_PUBLISHED_TOPIC } from '@lakeport/plugin-lakehouse-common';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);
const REPO = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** How long the step waits for the catalog to show the project (a loaded machine). */
const CATALOG_WAIT_MS = 90_000;

/** Entity refs the project's catalog-info.yaml declares. */
async function declaredRefs(dir: string): Promise<string[]> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, 'catalog-info.yaml'), 'utf8');
  } catch {
    return [];
  }
  return parseAllDocuments(text)
    .map(d => d.toJS() as { kind?: string; metadata?: { name?: string } })
    .filter(e => e?.kind && e.metadata?.name)
    .map(e => `${e.kind!.toLowerCase()}:default/${e.metadata!.name}`);
}

async function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const { stdout } = await run('git', args, {
    cwd,
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  return stdout.trim();
}

/**
 * `lakehouse:publish:local`: the embedded default's publisher. Commits the
 * workspace and pushes it to a new bare git repository under the projects
 * directory (`lakeport.projects.gitDirectory`); the local projects catalog
 * provider registers its `catalog-info.yaml`. The stock publishers speak
 * HTTP git only; production config uses `publish:github` with the same
 * templates.
 */
export function createPublishLocalAction(deps: {
  gitDirectory?: string;
  events?: EventsService;
  /** When given, the step ends once the catalog has the project's entities. */
  catalog?: CatalogService;
}) {
  return createTemplateAction({
    id: 'lakehouse:publish:local',
    description:
      'Commits the project and pushes it to a local bare git repository the catalog reads',
    supportsDryRun: true,
    examples: [
      {
        description: 'Publish the generated project',
        example:
          'steps:\n  - id: publish\n    action: lakehouse:publish:local\n    input:\n      repoName: ${{ parameters.name }}\n',
      },
    ],
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .describe('Repository name: lowercase letters, digits and -'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe('Folder of the workspace to publish (default all)'),
        defaultBranch: z => z.string().optional(),
      },
      output: {
        remoteUrl: z => z.string(),
        repoContentsUrl: z => z.string(),
        commitHash: z => z.string(),
      },
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const branch = ctx.input.defaultBranch ?? 'main';
      if (!REPO.test(repoName))
        throw new InputError(
          `repoName "${repoName}": lowercase letters, digits and -, 2 to 63 characters`,
        );
      if (!deps.gitDirectory)
        throw new InputError(
          'No local projects directory (lakeport.projects.gitDirectory): use publish:github or another stock publisher',
        );
      const bare = path.join(deps.gitDirectory, `${repoName}.git`);
      const remoteUrl = `file://${bare}`;
      if (ctx.isDryRun) {
        ctx.output('remoteUrl', remoteUrl);
        ctx.output('repoContentsUrl', remoteUrl);
        ctx.output('commitHash', '0'.repeat(40));
        return;
      }
      const source = ctx.input.sourcePath
        ? resolveSafeChildPath(ctx.workspacePath, ctx.input.sourcePath)
        : ctx.workspacePath;
      await fs.mkdir(deps.gitDirectory, { recursive: true });
      try {
        // Never overwrite someone's project: the name is taken once.
        await fs.mkdir(bare);
      } catch (e: any) {
        if (e.code === 'EEXIST')
          throw new ConflictError(
            `A project named ${repoName} already exists; choose another name`,
          );
        throw e;
      }
      const profile = (ctx.user?.entity?.spec?.profile ?? {}) as {
        displayName?: string;
        email?: string;
      };
      const author = {
        GIT_AUTHOR_NAME: profile.displayName ?? ctx.user?.ref ?? 'Lakeport',
        GIT_AUTHOR_EMAIL: profile.email ?? 'scaffolder@lakeport.local',
        GIT_COMMITTER_NAME: 'Lakeport scaffolder',
        GIT_COMMITTER_EMAIL: 'scaffolder@lakeport.local',
      };
      await git(bare, ['init', '--bare', '-q', '-b', branch]);
      await git(source, ['init', '-q', '-b', branch]);
      await git(source, ['add', '-A']);
      await git(
        source,
        [
          'commit',
          '-q',
          '-m',
          `Created from ${ctx.templateInfo?.entityRef ?? 'a template'}`,
        ],
        author,
      );
      await git(source, ['push', '-q', bare, `${branch}:${branch}`]);
      const commitHash = await git(source, ['rev-parse', 'HEAD']);
      ctx.logger.info(`Pushed ${commitHash} to ${remoteUrl}`);
      await deps.events?.publish({
        topic: PROJECT_PUBLISHED_TOPIC,
        eventPayload: { repoName, remoteUrl },
      });
      // "Open in catalog" must not lead to "Entity not found": wait until
      // the catalog has read the new repository.
      if (deps.catalog) {
        const credentials = await ctx.getInitiatorCredentials();
        const refs = await declaredRefs(source);
        const deadline = Date.now() + CATALOG_WAIT_MS;
        const missing = async () =>
          (
            await Promise.all(
              refs.map(async ref =>
                (await deps.catalog!.getEntityByRef(ref, { credentials }))
                  ? undefined
                  : ref,
              ),
            )
          ).filter(Boolean);
        let left = await missing();
        while (left.length && Date.now() < deadline) {
          await new Promise(r => setTimeout(r, 1000));
          left = await missing();
        }
        if (left.length)
          ctx.logger.warn(
            `Not in the catalog yet: ${left.join(
              ', ',
            )} (it will be at the next refresh)`,
          );
        else if (refs.length)
          ctx.logger.info(`In the catalog: ${refs.join(', ')}`);
      }
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', remoteUrl);
      ctx.output('commitHash', commitHash);
    },
  });
}
