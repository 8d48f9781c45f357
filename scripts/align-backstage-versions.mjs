// `backstage-cli new` templates can ask for @backstage/* versions the registry
// does not have yet (e.g. @backstage/frontend-dev-utils ^1.0.0). This rewrites
// such ranges in every workspace package.json to what the repository already
// installs, or else to the newest published version. Ranges that can be met
// are left alone.
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

function installedVersion(name) {
  try {
    return JSON.parse(
      fs.readFileSync(
        path.join(root, 'node_modules', name, 'package.json'),
        'utf8',
      ),
    ).version;
  } catch {
    return undefined;
  }
}

function publishedVersion(name) {
  try {
    return execFileSync('npm', ['view', name, 'version'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
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
      const available = installedVersion(name) ?? publishedVersion(name);
      if (!available || semver.satisfies(available, range)) continue;
      if (semver.gt(semver.minVersion(range), available)) {
        pkg[field][name] = `^${available}`;
        console.log(
          `${path.relative(root, file)}: ${name} ${range} -> ^${available}`,
        );
        changed = true;
      }
    }
  }
  if (changed) fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}
