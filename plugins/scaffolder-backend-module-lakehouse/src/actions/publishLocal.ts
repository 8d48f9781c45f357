import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { EventsService } from '@backstage/plugin-events-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PROJECT_PUBLISHED_TOPIC } from '@lakeport/plugin-lakehouse-common';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = /^[a-z0-9][a-z0-9-]{1,62}$/;

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
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', remoteUrl);
      ctx.output('commitHash', commitHash);
    },
  });
}
