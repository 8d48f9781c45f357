import Ajv2020, { ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * JSON schema of OpenLineage spec 2-0-x events (RunEvent, DatasetEvent,
 * JobEvent) and of the facets Lakeport reads. Written from the published
 * spec: structure and required fields as the spec has them; facets we do not
 * read pass through unchecked, like the spec's open facet maps.
 */
const facet = {
  type: 'object',
  required: ['_producer', '_schemaURL'],
  properties: {
    _producer: { type: 'string', format: 'uri' },
    _schemaURL: { type: 'string', format: 'uri' },
    _deleted: { type: 'boolean' },
  },
};

const withFacet = (body: object) => ({ allOf: [facet, body] });

const schemaField: object = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    type: { type: 'string' },
    description: { type: 'string' },
    fields: { type: 'array', items: { $ref: '#/$defs/SchemaField' } },
  },
};

const transformation = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string', minLength: 1 },
    subtype: { type: 'string' },
    description: { type: 'string' },
    masking: { type: 'boolean' },
  },
};

const inputField = {
  type: 'object',
  required: ['namespace', 'name', 'field'],
  properties: {
    namespace: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    field: { type: 'string', minLength: 1 },
    transformations: { type: 'array', items: transformation },
  },
};

const datasetFacets = {
  type: 'object',
  properties: {
    schema: withFacet({
      type: 'object',
      properties: {
        fields: { type: 'array', items: { $ref: '#/$defs/SchemaField' } },
      },
    }),
    columnLineage: withFacet({
      type: 'object',
      required: ['fields'],
      properties: {
        fields: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['inputFields'],
            properties: {
              inputFields: { type: 'array', items: inputField },
              transformationDescription: { type: 'string' },
              transformationType: { type: 'string' },
            },
          },
        },
        dataset: { type: 'array', items: inputField },
      },
    }),
    dataSource: withFacet({
      type: 'object',
      properties: {
        name: { type: 'string' },
        uri: { type: 'string', format: 'uri' },
      },
    }),
    ownership: withFacet({
      type: 'object',
      properties: {
        owners: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, type: { type: 'string' } },
          },
        },
      },
    }),
    documentation: withFacet({
      type: 'object',
      required: ['description'],
      properties: { description: { type: 'string' } },
    }),
    symlinks: withFacet({
      type: 'object',
      properties: {
        identifiers: {
          type: 'array',
          items: {
            type: 'object',
            required: ['namespace', 'name', 'type'],
            properties: {
              namespace: { type: 'string', minLength: 1 },
              name: { type: 'string', minLength: 1 },
              type: { type: 'string' },
            },
          },
        },
      },
    }),
  },
  additionalProperties: { type: 'object' },
};

const dataset = {
  type: 'object',
  required: ['namespace', 'name'],
  properties: {
    namespace: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    facets: datasetFacets,
    inputFacets: { type: 'object' },
    outputFacets: { type: 'object' },
  },
};

const job = {
  type: 'object',
  required: ['namespace', 'name'],
  properties: {
    namespace: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    facets: {
      type: 'object',
      properties: {
        sourceCode: withFacet({
          type: 'object',
          required: ['language', 'sourceCode'],
          properties: {
            language: { type: 'string' },
            sourceCode: { type: 'string' },
          },
        }),
        sql: withFacet({
          type: 'object',
          required: ['query'],
          properties: { query: { type: 'string' } },
        }),
        documentation: datasetFacets.properties.documentation,
        ownership: datasetFacets.properties.ownership,
        lakeport_classification: withFacet({
          type: 'object',
          required: ['removesClassification'],
          properties: {
            removesClassification: { type: 'boolean' },
            reason: { type: 'string' },
          },
        }),
      },
      additionalProperties: { type: 'object' },
    },
  },
};

const base = {
  eventTime: { type: 'string', format: 'date-time' },
  producer: { type: 'string', format: 'uri' },
  schemaURL: { type: 'string', format: 'uri' },
};

const runEvent = {
  type: 'object',
  required: ['eventTime', 'producer', 'schemaURL', 'run', 'job'],
  properties: {
    ...base,
    eventType: {
      enum: ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'],
    },
    run: {
      type: 'object',
      required: ['runId'],
      properties: {
        runId: { type: 'string', format: 'uuid' },
        facets: {
          type: 'object',
          properties: {
            errorMessage: withFacet({
              type: 'object',
              required: ['message', 'programmingLanguage'],
              properties: {
                message: { type: 'string' },
                programmingLanguage: { type: 'string' },
                stackTrace: { type: 'string' },
              },
            }),
            parent: withFacet({
              type: 'object',
              required: ['run', 'job'],
              properties: {
                run: {
                  type: 'object',
                  required: ['runId'],
                  properties: { runId: { type: 'string', format: 'uuid' } },
                },
                job: job,
              },
            }),
          },
          additionalProperties: { type: 'object' },
        },
      },
    },
    job,
    inputs: { type: 'array', items: dataset },
    outputs: { type: 'array', items: dataset },
  },
};

const datasetEvent = {
  type: 'object',
  required: ['eventTime', 'producer', 'schemaURL', 'dataset'],
  properties: { ...base, dataset },
};

const jobEvent = {
  type: 'object',
  required: ['eventTime', 'producer', 'schemaURL', 'job'],
  properties: {
    ...base,
    job,
    inputs: { type: 'array', items: dataset },
    outputs: { type: 'array', items: dataset },
  },
};

const ajv = new Ajv2020({ allErrors: false, strict: false });
addFormats(ajv);
const defs = { SchemaField: schemaField };
const validators = {
  RunEvent: ajv.compile({ $defs: defs, ...runEvent }),
  DatasetEvent: ajv.compile({ $defs: defs, ...datasetEvent }),
  JobEvent: ajv.compile({ $defs: defs, ...jobEvent }),
};

/** @public */
export type OpenLineageEventKind = keyof typeof validators;

/** The event kind as the spec tells them apart: by `run`, then `dataset`. */
function eventKind(body: Record<string, unknown>): OpenLineageEventKind {
  if ('run' in body) return 'RunEvent';
  if ('dataset' in body) return 'DatasetEvent';
  return 'JobEvent';
}

function describe(error: ErrorObject): string {
  let path = '';
  for (const raw of error.instancePath.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) path += `[${part}]`;
    else path += path ? `.${part}` : part;
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string })
      .missingProperty;
    return `${path ? `${path}.` : ''}${missing}: is required`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: string[] }).allowedValues;
    return `${path}: must be one of ${allowed.join(', ')}`;
  }
  return `${path || '(event)'}: ${error.message}`;
}

/**
 * Validates an event; returns its kind or a message naming the offending
 * field, e.g. `run.runId: must match format "uuid"`.
 */
export function validateOpenLineageEvent(
  body: unknown,
): { kind: OpenLineageEventKind } | { error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { error: '(event): must be a JSON object' };
  }
  const kind = eventKind(body as Record<string, unknown>);
  const validate = validators[kind];
  if (validate(body)) return { kind };
  return { error: `${kind} ${describe(validate.errors![0])}` };
}
