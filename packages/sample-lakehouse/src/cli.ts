/* eslint-disable no-console */
// Usage: yarn lakehouse:generate [--out data/lakehouse] [--seed 42]
//          [--as-of YYYY-MM-DD] [--scale 1] [--if-missing]
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_SEED,
  generateSampleLakehouse,
  readManifest,
  writeSampleLineage,
} from './generate';
import { sampleTables } from './tables';

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'data/lakehouse' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      'as-of': { type: 'string' },
      scale: { type: 'string', default: '1' },
      'if-missing': { type: 'boolean', default: false },
    },
  });
  // Relative paths are from the repository root (yarn sets PROJECT_CWD).
  const outDir = path.resolve(
    process.env.PROJECT_CWD ?? process.cwd(),
    values.out!,
  );
  const existing = values['if-missing'] && (await readManifest(outDir));
  // A lakehouse made by an older generator (other tables) is made again.
  const current =
    existing &&
    sampleTables(existing.params)
      .map(t => t.name)
      .join() === existing.tables.map(t => t.name).join();
  if (existing && !current) {
    console.log(`Sample lakehouse at ${outDir} has other tables: regenerating`);
  }
  if (existing && current) {
    // Lakehouses generated before sample lineage existed get it added.
    await writeSampleLineage(outDir, existing.params.asOf);
    console.log(
      `Sample lakehouse already at ${outDir} (regenerate without --if-missing)`,
    );
    return;
  }
  const started = Date.now();
  console.log(`Generating the sample lakehouse into ${outDir}`);
  const manifest = await generateSampleLakehouse({
    outDir,
    seed: Number(values.seed),
    asOf: values['as-of'],
    scale: Number(values.scale),
    onProgress: message => console.log(`  ${message}`),
  });
  const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
  console.log(
    `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${
      manifest.tables.length
    } tables, ${rows} rows, as of ${manifest.params.asOf}, seed ${
      manifest.params.seed
    }`,
  );
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
