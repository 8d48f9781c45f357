/**
 * Lakeport's metadata graph over the lakehouse.
 *
 * @packageDocumentation
 */
export { lakehousePlugin as default } from './plugin';
/** The ODCS contract validator the sync uses (for tools that check contracts before they land). */
export { parseContract } from './contracts/odcs';
