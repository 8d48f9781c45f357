/**
 * Lakeport frontend: datasets page and dataset tabs on entity pages.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export { lakehouseApiRef } from './api/LakehouseApi';
export type { LakehouseApi } from './api/LakehouseApi';
export { ReviewsSidebarItem } from './components/Access/ReviewsSidebarItem';
