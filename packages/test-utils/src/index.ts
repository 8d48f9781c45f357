/**
 * Test helpers shared by Lakeport packages.
 *
 * @packageDocumentation
 */
export { lakeportTestDatabaseIds } from './testDatabaseIds';
