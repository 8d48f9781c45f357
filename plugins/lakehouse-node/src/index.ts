/**
 * Extension points of the Lakeport lakehouse backend.
 *
 * @packageDocumentation
 */
export * from './engine';
export * from './extensions';
export * from './readDatasets';
export * from './metadataSource';
export * from './fetchJsonObject';
export * from './streamSource';
