import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import {
  FeatureAssetSummary,
  lakehouseFeatureReadPermission,
} from '@lakeport/plugin-lakehouse-common';
import { readAllFeatureAssets } from '@lakeport/plugin-lakehouse-node';
import { Readable } from 'node:stream';

/** A feature view or service in the search index. */
export interface FeatureDocument extends IndexableDocument {
  assetId: string;
  kind: string;
  project: string;
  owner?: string;
  classification?: string;
  entities: string[];
  features: string[];
}

/** The text a feature view is found by: its features with descriptions and tags, entities, tags. */
export function featureDocument(asset: FeatureAssetSummary): FeatureDocument {
  const { namespace, name } = parseEntityRef(asset.entityRef);
  const features = asset.features ?? [];
  return {
    title: asset.name,
    text: [
      asset.description,
      Object.entries(asset.tags)
        .map(([k, v]) => `${k}: ${v}`)
        .join(' '),
      asset.entities.length ? `entities: ${asset.entities.join(', ')}` : '',
      ...features.map(f =>
        [
          f.name,
          f.description,
          ...Object.entries(f.tags ?? {}).map(([k, v]) => `${k}: ${v}`),
        ]
          .filter(Boolean)
          .join(': '),
      ),
    ]
      .filter(Boolean)
      .join('\n'),
    location: `/catalog/${namespace}/resource/${name}`,
    assetId: asset.id,
    kind: asset.kind,
    project: asset.project,
    owner: asset.owner,
    classification: asset.classification,
    entities: asset.entities,
    features: features.map(f => f.name),
  };
}

/** Reads every feature view and service (with features) from the lakehouse API. */
export class FeatureCollatorFactory implements DocumentCollatorFactory {
  readonly type = 'lakehouse-feature';
  readonly visibilityPermission = lakehouseFeatureReadPermission;

  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  async getCollator(): Promise<Readable> {
    return Readable.from(this.documents());
  }

  private async *documents(): AsyncGenerator<FeatureDocument> {
    for await (const asset of readAllFeatureAssets(this.deps))
      yield featureDocument(asset);
  }
}
