// `backstage-cli new` templates can ask for @backstage/* versions the registry
// does not have yet (e.g. @backstage/frontend-dev-utils ^1.0.0). This rewrites
// such ranges in every workspace package.json to the newest published
// version. Ranges the registry can meet are left alone.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '..',
);
const require = createRequire(path.join(root, 'package.json'));
const semver = require('semver');

function publishedVersions(name) {
  try {
    const out = execFileSync('npm', ['view', name, 'versions', '--json'], {
      encoding: 'utf8',
    });
    const versions = JSON.parse(out);
    return Array.isArray(versions) ? versions : [versions];
  } catch {
    return [];
  }
}

const manifests = ['packages', 'plugins'].flatMap(dir =>
  fs.existsSync(path.join(root, dir))
    ? fs
        .readdirSync(path.join(root, dir))
        .map(name => path.join(root, dir, name, 'package.json'))
        .filter(file => fs.existsSync(file))
    : [],
);

for (const file of manifests) {
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  let changed = false;
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (!name.startsWith('@backstage/') || !semver.validRange(range))
        continue;
      const published = publishedVersions(name).filter(
        v => !semver.prerelease(v),
      );
      if (
        published.length === 0 ||
        published.some(v => semver.satisfies(v, range))
      ) {
        continue;
      }
      const newest = semver.rsort([...published])[0];
      pkg[field][name] = `^${newest}`;
      console.log(
        `${path.relative(root, file)}: ${name} ${range} -> ^${newest}`,
      );
      changed = true;
    }
  }
  if (changed) fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}
