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
  writeSampleLineage,
} from './generate';
export {
  SAMPLE_JOBS,
  SAMPLE_LINEAGE_FILE,
  sampleLineageEvents,
} from './lineage';
export type {
  GenerateOptions,
  LakehouseManifest,
  ManifestTable,
  SeededDefect,
} from './generate';
export type { GenerationParams } from './tables';
export { SAMPLE_TOPICS, seedSampleTopics } from './kafkaSample';
export type { SampleTopic } from './kafkaSample';
