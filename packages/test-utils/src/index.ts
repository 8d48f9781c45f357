/**
 * Test helpers shared by Lakeport packages.
 *
 * @packageDocumentation
 */
export { lakeportTestDatabaseIds } from './testDatabaseIds';
export { portalDatabaseUrl } from './portalDatabase';
export {
  hasSpark,
  OPENLINEAGE_SPARK_PACKAGE,
  runSparkJob,
  SPARK_JOB_TIMEOUT_MS,
  sparkVenv,
} from './spark';
export type { SparkJobOptions } from './spark';
export {
  EXTERNAL_TOOL_TEST_TIMEOUT_MS,
  EXTERNAL_TOOL_TIMEOUT_MS,
} from './timeouts';
export {
  applyFeastSample,
  FEAST_APPLY_TIMEOUT_MS,
  FEAST_SERVER_START_TIMEOUT_MS,
  feastCli,
  hasFeast,
  runFeast,
  startFeastRegistry,
} from './feast';
export type { FeastRegistryServer } from './feast';
export {
  MLFLOW_SERVER_START_TIMEOUT_MS,
  MLFLOW_TRAINING_TIMEOUT_MS,
  mlVenv,
  startMlflowServer,
  trainSampleModels,
} from './mlflow';
export type { MlflowServer } from './mlflow';
export {
  AIRFLOW_DAG_TEST_TIMEOUT_MS,
  airflowVenv,
  hasProjectTools,
  hasStreamingTools,
  NOTEBOOK_RUN_TIMEOUT_MS,
  notebookVenv,
  PROJECT_TOOL_TIMEOUT_MS,
  runGeneratedPipeline,
  runNotebook,
  runStreamingPipeline,
  STREAMING_RUN_TIMEOUT_MS,
  streamingVenv,
} from './projects';
export { hasKafka, KAFKA_START_TIMEOUT_MS, startKafkaBroker } from './kafka';
export type { KafkaBroker } from './kafka';
export { PROMETHEUS_START_TIMEOUT_MS, startPrometheus } from './prometheus';
export type { PrometheusServer } from './prometheus';
