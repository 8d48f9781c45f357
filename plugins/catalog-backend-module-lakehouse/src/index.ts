/**
 * Puts every lakehouse dataset, feature view and feature service in the
 * Backstage catalog as a Resource entity.
 *
 * @packageDocumentation
 */
export { catalogModuleLakehouse as default } from './module';
export { datasetEntity } from './datasetEntity';
export { featureEntity, UNKNOWN_OWNER } from './featureEntity';
