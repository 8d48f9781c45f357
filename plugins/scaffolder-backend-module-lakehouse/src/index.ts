/**
 * Scaffolder actions that make generated projects governed.
 *
 * @packageDocumentation
 */
export { scaffolderModuleLakehouse as default } from './module';
export { createAccessRequestAction } from './actions/accessRequest';
export { createContractGenerateAction } from './actions/contractGenerate';
export { createContractValidateAction } from './actions/contractValidate';
export { createDatasetPlanAction } from './actions/datasetPlan';
export { createPublishLocalAction } from './actions/publishLocal';
export {
  createTemplateAuditAction,
  redactParameters,
} from './actions/templateAudit';
