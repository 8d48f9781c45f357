/**
 * Lakeport's permission policy.
 *
 * @packageDocumentation
 */
export { permissionModuleLakeportPolicy as default } from './module';
export { LakeportPermissionPolicy } from './LakeportPermissionPolicy';
