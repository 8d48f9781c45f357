import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import {
  lakehouseModelReadPermission,
  ModelSummary,
} from '@lakeport/plugin-lakehouse-common';
import { readAllModels } from '@lakeport/plugin-lakehouse-node';
import { Readable } from 'node:stream';

/** A registered model in the search index. */
export interface ModelDocument extends IndexableDocument {
  assetId: string;
  server: string;
  owner?: string;
  classification?: string;
  aliases: string[];
}

/** The text a model is found by: its name, description, tags and aliases. */
export function modelDocument(model: ModelSummary): ModelDocument {
  const { namespace, name } = parseEntityRef(model.entityRef);
  return {
    title: model.name,
    text: [
      model.description,
      Object.entries(model.tags)
        .filter(([k]) => !k.startsWith('mlflow.'))
        .map(([k, v]) => `${k}: ${v}`)
        .join(' '),
      model.aliases.length
        ? `aliases: ${model.aliases
            .map(a => `${a.alias} (version ${a.version})`)
            .join(', ')}`
        : '',
    ]
      .filter(Boolean)
      .join('\n'),
    location: `/catalog/${namespace}/resource/${name}`,
    assetId: model.id,
    server: model.server,
    owner: model.owner,
    classification: model.classification,
    aliases: model.aliases.map(a => a.alias),
  };
}

/** Reads every registered model from the lakehouse API. */
export class ModelCollatorFactory implements DocumentCollatorFactory {
  readonly type = 'lakehouse-model';
  readonly visibilityPermission = lakehouseModelReadPermission;

  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  async getCollator(): Promise<Readable> {
    return Readable.from(this.documents());
  }

  private async *documents(): AsyncGenerator<ModelDocument> {
    for await (const model of readAllModels(this.deps))
      yield modelDocument(model);
  }
}
