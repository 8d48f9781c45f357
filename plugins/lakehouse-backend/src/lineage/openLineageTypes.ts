/** The parts of OpenLineage 2-0-x events Lakeport reads (validated first). */

export interface OLTransformation {
  type: string;
  subtype?: string;
  description?: string;
  masking?: boolean;
}

export interface OLInputField {
  namespace: string;
  name: string;
  field: string;
  transformations?: OLTransformation[];
}

export interface OLSchemaField {
  name: string;
  type?: string;
  description?: string;
  fields?: OLSchemaField[];
}

export interface OLDatasetFacets {
  schema?: { fields?: OLSchemaField[] };
  columnLineage?: {
    fields: Record<
      string,
      {
        inputFields: OLInputField[];
        transformationDescription?: string;
        transformationType?: string;
      }
    >;
  };
  dataSource?: { name?: string; uri?: string };
  ownership?: { owners?: Array<{ name: string; type?: string }> };
  documentation?: { description: string };
  symlinks?: {
    identifiers?: Array<{ namespace: string; name: string; type: string }>;
  };
  [facet: string]: unknown;
}

export interface OLDataset {
  namespace: string;
  name: string;
  facets?: OLDatasetFacets;
}

export interface OLJob {
  namespace: string;
  name: string;
  facets?: {
    sourceCode?: { language: string; sourceCode: string };
    sql?: { query: string };
    documentation?: { description: string };
    ownership?: { owners?: Array<{ name: string; type?: string }> };
    lakeport_classification?: {
      removesClassification: boolean;
      reason?: string;
    };
    [facet: string]: unknown;
  };
}

export type OLEventType =
  | 'START'
  | 'RUNNING'
  | 'COMPLETE'
  | 'ABORT'
  | 'FAIL'
  | 'OTHER';

export interface OLEvent {
  eventTime: string;
  producer: string;
  schemaURL: string;
  eventType?: OLEventType;
  run?: {
    runId: string;
    facets?: {
      errorMessage?: { message: string; programmingLanguage: string };
      parent?: { run: { runId: string }; job: OLJob };
      [facet: string]: unknown;
    };
  };
  job?: OLJob;
  dataset?: OLDataset;
  inputs?: OLDataset[];
  outputs?: OLDataset[];
}
