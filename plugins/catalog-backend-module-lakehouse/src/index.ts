/**
 * Puts every lakehouse dataset, feature view, feature service and registered
 * model in the Backstage catalog as a Resource entity.
 *
 * @packageDocumentation
 */
export { catalogModuleLakehouse as default } from './module';
export { datasetEntity } from './datasetEntity';
export { featureEntity, UNKNOWN_OWNER } from './featureEntity';
export { modelEntity } from './modelEntity';
