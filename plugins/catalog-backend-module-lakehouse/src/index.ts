/**
 * Puts every lakehouse dataset in the Backstage catalog as a Resource entity.
 *
 * @packageDocumentation
 */
export { catalogModuleLakehouse as default } from './module';
export { datasetEntity } from './datasetEntity';
