import { datasetAssetId } from '@lakeport/plugin-lakehouse-common';
import { OLDataset } from './openLineageTypes';

/** A catalog dataset's identity: asset id and storage location. */
export interface CatalogIdentity {
  id: string;
  location?: string;
}

/** `file:///a/b/` and `/a/b` are the same place; `s3://x/y/` is `s3://x/y`. */
export function normalizeLocation(location: string): string {
  let out = location.trim();
  if (out.startsWith('file://')) out = out.slice('file://'.length);
  return out.replace(/\/+$/, '');
}

/** Where an OpenLineage dataset is stored, when its naming says so. */
export function storageLocation(dataset: OLDataset): string | undefined {
  const { namespace, name } = dataset;
  if (namespace === 'file' || namespace.startsWith('file:')) {
    // Namespace `file` (name is the path) or `file://host` style prefixes.
    const prefix =
      namespace === 'file' ? '' : namespace.replace(/^file:(\/\/)?/, '');
    return normalizeLocation(prefix ? `${prefix}/${name}` : name);
  }
  // Object stores and HDFS: namespace is scheme://authority, name the path.
  if (/^(s3a?|gs|abfss?|wasbs?|hdfs):\/\//.test(namespace)) {
    return normalizeLocation(
      `${namespace.replace(/\/+$/, '')}/${name.replace(/^\/+/, '')}`,
    );
  }
  return undefined;
}

/**
 * Matches OpenLineage datasets to catalog assets: by asset id, by the
 * `symlinks` facet, then by storage location (a Parquet path inside a
 * table's folder is that table). The catalog index is refreshed at most
 * every `ttlMs`, so matching costs no query per event.
 */
export class DatasetMatcher {
  private byId = new Set<string>();
  private byLocation = new Map<string, string>();
  private loadedAt = 0;
  private loading?: Promise<void>;

  constructor(
    private readonly load: () => Promise<CatalogIdentity[]>,
    private readonly ttlMs = 30_000,
  ) {}

  async refresh(force = false): Promise<void> {
    if (!force && Date.now() - this.loadedAt < this.ttlMs) return;
    this.loading ??= this.load()
      .then(identities => {
        this.byId = new Set(identities.map(i => i.id));
        this.byLocation = new Map(
          identities
            .filter(i => i.location)
            .map(i => [normalizeLocation(i.location!), i.id]),
        );
        this.loadedAt = Date.now();
      })
      .finally(() => {
        this.loading = undefined;
      });
    await this.loading;
  }

  catalogIds(): Set<string> {
    return this.byId;
  }

  isCatalogDataset(id: string): boolean {
    return this.byId.has(id);
  }

  /** The catalog asset id of the dataset, or its own asset id. */
  match(dataset: OLDataset): { id: string; matchedBy?: string } {
    const own = datasetAssetId(dataset.namespace, dataset.name);
    if (this.byId.has(own)) return { id: own, matchedBy: 'name' };
    const links = dataset.facets?.symlinks?.identifiers ?? [];
    for (const link of links) {
      const id = datasetAssetId(link.namespace, link.name);
      if (this.byId.has(id)) return { id, matchedBy: 'symlink' };
    }
    // By location: the dataset's own path, or a path one of its symlinks names.
    for (const candidate of [dataset, ...links]) {
      const id = this.atLocation(storageLocation(candidate));
      if (id) return { id, matchedBy: 'location' };
    }
    return { id: own };
  }

  /** The table whose folder holds the location (a file or partition in it). */
  private atLocation(location: string | undefined): string | undefined {
    let current = location;
    while (current) {
      const id = this.byLocation.get(current);
      if (id) return id;
      const slash = current.lastIndexOf('/');
      current = slash > 0 ? current.slice(0, slash) : undefined;
    }
    return undefined;
  }
}
