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
