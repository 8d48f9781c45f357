import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { LakehouseEngine } from './engine';

/** @public */
export interface LakehouseEngineExtensionPoint {
  /** Registers the engine the lakehouse plugin reads tables from. */
  setEngine(engine: LakehouseEngine): void;
}

/**
 * Lets a module (e.g. lakehouse-backend-module-duckdb) provide the engine.
 *
 * @public
 */
export const lakehouseEngineExtensionPoint =
  createExtensionPoint<LakehouseEngineExtensionPoint>({
    id: 'lakehouse.engine',
  });

/** What a provisioner grants: a principal's SELECT on a dataset (or some columns). @public */
export interface AccessGrantSpec {
  grantId: string;
  datasetId: string;
  /** Dotted table name, e.g. `customers.curated.customers`. */
  datasetName: string;
  /** User or group entity ref. */
  principal: string;
  /** Absent: the whole table. */
  columns?: string[];
}

/**
 * Turns approved access into real privileges in an engine, and takes them
 * back. Both calls must be idempotent: after a crash Lakeport calls them
 * again for the same grant.
 *
 * @public
 */
export interface AccessProvisioner {
  /** Config value of `lakeport.access.provisioner` that selects it. */
  readonly id: string;
  grant(spec: AccessGrantSpec): Promise<void>;
  revoke(spec: AccessGrantSpec): Promise<void>;
}

/** @public */
export interface AccessProvisionerExtensionPoint {
  addProvisioner(provisioner: AccessProvisioner): void;
}

/**
 * Lets modules add access provisioners (Lakeport has `embedded` and
 * `postgres`); `lakeport.access.provisioner` picks one.
 *
 * @public
 */
export const accessProvisionerExtensionPoint =
  createExtensionPoint<AccessProvisionerExtensionPoint>({
    id: 'lakehouse.access-provisioner',
  });
