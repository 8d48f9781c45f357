/**
 * MLflow model registries as a Lakeport metadata source.
 *
 * @packageDocumentation
 */
export { lakehouseModuleMlflow as default } from './module';
export { MlflowClient } from './MlflowClient';
export { MlflowSource } from './MlflowSource';
export { verifyMlflowWebhook } from './verifyWebhook';
