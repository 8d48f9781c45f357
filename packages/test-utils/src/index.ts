/**
 * Test helpers shared by Lakeport packages.
 *
 * @packageDocumentation
 */
export { lakeportTestDatabaseIds } from './testDatabaseIds';
export {
  hasSpark,
  OPENLINEAGE_SPARK_PACKAGE,
  runSparkJob,
  SPARK_JOB_TIMEOUT_MS,
  sparkVenv,
} from './spark';
export type { SparkJobOptions } from './spark';
