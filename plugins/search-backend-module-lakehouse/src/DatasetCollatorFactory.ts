import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import {
  DatasetSummary,
  lakehouseDatasetReadPermission,
} from '@lakeport/plugin-lakehouse-common';
import { readAllDatasets } from '@lakeport/plugin-lakehouse-node';
import { Readable } from 'node:stream';

/** A dataset in the search index. */
export interface DatasetDocument extends IndexableDocument {
  assetId: string;
  name: string;
  owner?: string;
  domain?: string;
  layer?: string;
  classification?: string;
  columns: string[];
}

/** The text a dataset is found by: description, tags and every column with its description. */
export function datasetDocument(dataset: DatasetSummary): DatasetDocument {
  const { namespace, name } = parseEntityRef(dataset.entityRef);
  const columns = dataset.columns ?? [];
  return {
    title: dataset.title,
    text: [
      dataset.name,
      dataset.description,
      dataset.tags.join(' '),
      ...columns.map(c =>
        c.description ? `${c.name}: ${c.description}` : c.name,
      ),
    ]
      .filter(Boolean)
      .join('\n'),
    location: `/catalog/${namespace}/resource/${name}`,
    assetId: dataset.id,
    name: dataset.name,
    owner: dataset.owner,
    domain: dataset.domain,
    layer: dataset.layer,
    classification: dataset.classification,
    columns: columns.map(c => c.name),
  };
}

/** Reads every active dataset (with columns) from the lakehouse API, page by page. */
export class DatasetCollatorFactory implements DocumentCollatorFactory {
  readonly type = 'lakehouse-dataset';
  readonly visibilityPermission = lakehouseDatasetReadPermission;

  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  async getCollator(): Promise<Readable> {
    return Readable.from(this.documents());
  }

  private async *documents(): AsyncGenerator<DatasetDocument> {
    for await (const dataset of readAllDatasets({
      ...this.deps,
      include: ['columns'],
    })) {
      yield datasetDocument(dataset);
    }
  }
}
