import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);

/**
 * Kinds a generated project may register. Never Template, User, Group or
 * Location: a project's repository is not trusted to change who is who or
 * what runs (Backstage threat model).
 */
export const PROJECT_KINDS = ['Component', 'API'];

async function git(bare: string, args: string[]) {
  const { stdout } = await run('git', ['--git-dir', bare, ...args], {
    timeout: 30_000,
    maxBuffer: 4 * 1024 * 1024,
  });
  return stdout;
}

/**
 * The entities of the projects `lakehouse:publish:local` pushed: the
 * `catalog-info.yaml` at HEAD of each bare repository in the directory.
 * A repository still empty (being pushed) or without the file is skipped;
 * a repository git cannot read fails the whole read, so a refresh never
 * drops what the catalog had because of one bad read.
 */
export async function* readLocalProjects(
  directory: string,
  logger: LoggerService,
): AsyncIterable<Entity> {
  let names: string[];
  try {
    names = (await fs.readdir(directory)).filter(n => n.endsWith('.git'));
  } catch (e: any) {
    if (e.code === 'ENOENT') return;
    throw e;
  }
  for (const name of names.sort()) {
    const bare = path.join(directory, name);
    try {
      await git(bare, ['rev-parse', '--verify', '-q', 'HEAD']);
    } catch {
      continue; // no commit yet
    }
    const files = await git(bare, ['ls-tree', '--name-only', 'HEAD']);
    if (!files.split('\n').includes('catalog-info.yaml')) {
      logger.warn(`Project ${name} has no catalog-info.yaml`);
      continue;
    }
    const text = await git(bare, ['show', 'HEAD:catalog-info.yaml']);
    const target = `${bare}/catalog-info.yaml`;
    for (const doc of parseAllDocuments(text)) {
      const entity = doc.toJS() as Entity | null;
      if (!entity?.kind || !entity.metadata?.name) continue;
      if (!PROJECT_KINDS.includes(entity.kind)) {
        logger.warn(
          `Project ${name}: ${entity.kind} ${
            entity.metadata.name
          } ignored (projects register ${PROJECT_KINDS.join(', ')})`,
        );
        continue;
      }
      yield {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            ...entity.metadata.annotations,
            [ANNOTATION_LOCATION]: `file:${target}`,
            [ANNOTATION_ORIGIN_LOCATION]: `file:${target}`,
            [ANNOTATION_SOURCE_LOCATION]: `url:file://${bare}`,
            'lakeport.dev/git-repository': `file://${bare}`,
          },
        },
      };
    }
  }
}
