/**
 * Lakeport's metadata graph over the lakehouse.
 *
 * @packageDocumentation
 */
export { lakehousePlugin as default } from './plugin';
