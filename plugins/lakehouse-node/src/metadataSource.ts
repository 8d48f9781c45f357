import { createExtensionPoint } from '@backstage/backend-plugin-api';

/** Kinds of assets metadata sources report. @public */
export type MetadataAssetKind =
  | 'entity'
  | 'featureview'
  | 'featureservice'
  | 'model'
  | 'modelversion';

/** A field of an asset: a feature, a selected feature, a join key. @public */
export interface MetadataField {
  name: string;
  type?: string;
  description?: string;
  tags?: Record<string, string>;
}

/**
 * What an asset reads: another asset of the same source (by id), or data
 * outside it, which the core matches to a lakehouse dataset by storage path
 * or table name (as lineage does).
 *
 * @public
 */
export interface MetadataInput {
  assetId?: string;
  dataset?: {
    /** A file or folder path, or a URI (`s3://…`, `file:///…`). */
    path?: string;
    /** A table name, `<schema>.<table>` or `<catalog>.<schema>.<table>`. */
    table?: string;
  };
  /**
   * Which input field each field of the asset reads. Absent: fields read
   * input fields of the same name.
   */
  fields?: Array<{ source: string; target: string }>;
}

/** One object of a metadata source, as the core stores it. @public */
export interface MetadataAsset {
  /** Asset id, `<kind>:<source name>/<project>:<name>`. */
  id: string;
  kind: MetadataAssetKind;
  project: string;
  name: string;
  /** Source-specific type, e.g. Feast's `onDemandFeatureView`. */
  type?: string;
  description?: string;
  /** Owner as the source has it (Feast: an email). */
  owner?: string;
  tags: Record<string, string>;
  fields: MetadataField[];
  inputs: MetadataInput[];
  /** Entities (join keys) the asset is keyed by. */
  entities?: string[];
  online?: boolean;
  /**
   * Changes whenever the object changes (Feast: `meta.lastUpdatedTimestamp`);
   * an asset whose version is the stored one costs no writes.
   */
  version: string;
  /** Kind-specific facts shown as they are (TTL, sources, intervals, …). */
  details: Record<string, unknown>;
}

/** Everything a source holds now. @public */
export interface MetadataSnapshot {
  assets: MetadataAsset[];
}

/**
 * A system whose objects join the metadata graph (Feast, later MLflow and
 * Kafka). It knows one system's API and nothing of the database; the core
 * keeps ids, lineage, catalog entities, search and permissions.
 *
 * `read` returns the whole current state or throws: a source that is down or
 * answers garbage must throw rather than return less, so the core keeps the
 * last good state (it deletes only what a successful read no longer lists).
 *
 * @public
 */
export interface MetadataSource {
  /** Unique id, `<kind>:<name>`, e.g. `feast:lakeport`. */
  readonly id: string;
  /** The system, e.g. `feast`. */
  readonly kind: string;
  read(options: { signal?: AbortSignal }): Promise<MetadataSnapshot>;
  /**
   * Checks a change notification the system pushed (e.g. an MLflow
   * webhook) against its raw bytes and headers; throws a
   * `MetadataWebhookError` naming the problem when it is not authentic or
   * too old. The core then syncs the source, once per delivery id.
   */
  verifyWebhook?(request: {
    headers: Record<string, string | string[] | undefined>;
    rawBody: Buffer;
    now: Date;
  }): { deliveryId: string; event: string };
  /**
   * Present when the source is a model registry whose aliases the portal
   * may move (governed promotion). The core decides who may; the source
   * only reads and writes the registry.
   */
  readonly modelAliases?: ModelAliasRegistry;
}

/**
 * Aliases of a model registry's models (MLflow: `champion` → version 8).
 * Model names and versions are the registry's own (the asset's
 * `details.model` and `details.version`).
 *
 * @public
 */
export interface ModelAliasRegistry {
  /** The version the alias points at now; undefined when it is not set. Throws when the registry cannot say. */
  get(model: string, alias: string): Promise<string | undefined>;
  set(model: string, alias: string, version: string): Promise<void>;
  delete(model: string, alias: string): Promise<void>;
}

/**
 * A pushed notification that is not authentic (`unauthenticated`: 401) or
 * not acceptable (`invalid`: 400, e.g. a timestamp too old).
 *
 * @public
 */
export class MetadataWebhookError extends Error {
  constructor(message: string, readonly reason: 'unauthenticated' | 'invalid') {
    super(message);
    this.name = 'MetadataWebhookError';
  }
}

/** @public */
export interface MetadataSourceExtensionPoint {
  addSource(source: MetadataSource): void;
}

/**
 * Lets modules add metadata sources (e.g. lakehouse-backend-module-feast).
 *
 * @public
 */
export const metadataSourceExtensionPoint =
  createExtensionPoint<MetadataSourceExtensionPoint>({
    id: 'lakehouse.metadata-source',
  });
