/**
 * Feast feature registries as a Lakeport metadata source.
 *
 * @packageDocumentation
 */
export { lakehouseModuleFeast as default } from './module';
export { FeastRegistryClient } from './FeastRegistryClient';
export { FeastSource } from './FeastSource';
