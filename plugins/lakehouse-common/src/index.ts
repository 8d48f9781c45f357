/**
 * Isomorphic part of the Lakeport lakehouse plugin.
 *
 * @packageDocumentation
 */
export * from './assetId';
export * from './classification';
export * from './permissions';
export * from './api';
export * from './lineage';
export * from './quality';
export * from './access';
export * from './features';
export * from './models';
export * from './projects';
export * from './streams';
