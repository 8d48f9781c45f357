/**
 * Puts every lakehouse dataset in the Backstage catalog as a Resource entity.
 *
 * @packageDocumentation
 */
export { catalogModuleLakehouse as default } from './module';
export { ASSET_ID_ANNOTATION, datasetEntity } from './datasetEntity';
