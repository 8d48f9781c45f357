/**
 * Indexes lakehouse datasets, their columns and descriptions in Backstage search.
 *
 * @packageDocumentation
 */
export { searchModuleLakehouse as default } from './module';
export {
  DatasetCollatorFactory,
  datasetDocument,
} from './DatasetCollatorFactory';
export {
  FeatureCollatorFactory,
  featureDocument,
} from './FeatureCollatorFactory';
export { ModelCollatorFactory, modelDocument } from './ModelCollatorFactory';
