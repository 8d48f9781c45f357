/**
 * Deterministic generator of Lakeport's embedded sample lakehouse.
 *
 * @packageDocumentation
 */
export {
  DEFAULT_SEED,
  MANIFEST_FILE,
  generateSampleLakehouse,
  readManifest,
  tableFolder,
} from './generate';
export type {
  GenerateOptions,
  LakehouseManifest,
  ManifestTable,
  SeededDefect,
} from './generate';
export type { GenerationParams } from './tables';
