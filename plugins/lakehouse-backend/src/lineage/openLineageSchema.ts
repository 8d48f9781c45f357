import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { isObject } from '../isObject';

/**
 * OpenLineage spec 2-0-x events (RunEvent, DatasetEvent, JobEvent), checked
 * in two layers, the way the spec's open facet maps are meant to be read:
 *
 * - the envelope, strictly: what the spec requires and Lakeport cannot do
 *   without (run.runId a UUID, eventTime, eventType, job and dataset
 *   namespace/name). A broken envelope is refused with the field named.
 * - each facet Lakeport interprets, leniently: a facet that does not match
 *   its schema is kept verbatim in the stored event but not interpreted, and
 *   the problem is recorded on the event ("facet dataSource ignored: uri is
 *   not a URI"). Producers differ (the stock Spark listener sends
 *   `"uri": "file"`); one odd facet must not cost the whole event.
 *
 * Facets Lakeport does not read pass unchecked. `_producer`/`_schemaURL` of a
 * facet are not needed to interpret it and are not checked.
 */

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

const owners = {
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
};

const documentation = {
  type: 'object',
  required: ['description'],
  properties: { description: { type: 'string' } },
};

const jobIdentity = {
  type: 'object',
  required: ['namespace', 'name'],
  properties: {
    namespace: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
  },
};

/** The facets Lakeport interprets, by where they sit. */
const FACETS: Record<FacetPlace, Record<string, object>> = {
  dataset: {
    schema: {
      type: 'object',
      properties: {
        fields: { type: 'array', items: { $ref: '#/$defs/SchemaField' } },
      },
    },
    columnLineage: {
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
    },
    dataSource: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        uri: { type: 'string', format: 'uri' },
      },
    },
    ownership: owners,
    documentation,
    symlinks: {
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
    },
  },
  job: {
    sourceCode: {
      type: 'object',
      required: ['language', 'sourceCode'],
      properties: {
        language: { type: 'string' },
        sourceCode: { type: 'string' },
      },
    },
    sql: {
      type: 'object',
      required: ['query'],
      properties: { query: { type: 'string' } },
    },
    documentation,
    ownership: owners,
    lakeport_classification: {
      type: 'object',
      required: ['removesClassification'],
      properties: {
        removesClassification: { type: 'boolean' },
        reason: { type: 'string' },
      },
    },
  },
  run: {
    errorMessage: {
      type: 'object',
      required: ['message'],
      properties: {
        message: { type: 'string' },
        programmingLanguage: { type: 'string' },
        stackTrace: { type: 'string' },
      },
    },
    parent: {
      type: 'object',
      required: ['run', 'job'],
      properties: {
        run: {
          type: 'object',
          required: ['runId'],
          properties: { runId: { type: 'string', format: 'uuid' } },
        },
        job: jobIdentity,
      },
    },
  },
};

type FacetPlace = 'dataset' | 'job' | 'run';

const facetMap = { type: 'object', additionalProperties: { type: 'object' } };

const dataset = {
  type: 'object',
  required: ['namespace', 'name'],
  properties: {
    namespace: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    facets: facetMap,
    inputFacets: { type: 'object' },
    outputFacets: { type: 'object' },
  },
};

const job = {
  ...jobIdentity,
  properties: { ...jobIdentity.properties, facets: facetMap },
};

const base = {
  eventTime: { type: 'string', format: 'date-time' },
  producer: { type: 'string' },
  schemaURL: { type: 'string' },
};

const runEvent = {
  type: 'object',
  required: ['eventTime', 'eventType', 'producer', 'schemaURL', 'run', 'job'],
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
        facets: facetMap,
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
const facetValidators = Object.fromEntries(
  Object.entries(FACETS).map(([place, facets]) => [
    place,
    Object.fromEntries(
      Object.entries(facets).map(([name, schema]) => [
        name,
        ajv.compile({ $defs: defs, ...schema }),
      ]),
    ),
  ]),
) as Record<FacetPlace, Record<string, ValidateFunction>>;

/** @public */
export type OpenLineageEventKind = keyof typeof validators;

/** A facet that was received but not interpreted, and why. */
export interface FacetProblem {
  /** Where the facet sits, e.g. `inputs[0].facets.dataSource`. */
  path: string;
  facet: string;
  /** e.g. `facet dataSource ignored: uri is not a URI`. */
  message: string;
}

/** The event kind as the spec tells them apart: by `run`, then `dataset`. */
function eventKind(body: Record<string, unknown>): OpenLineageEventKind {
  if ('run' in body) return 'RunEvent';
  if ('dataset' in body) return 'DatasetEvent';
  return 'JobEvent';
}

function pathOf(error: ErrorObject): string {
  let path = '';
  for (const raw of error.instancePath.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) path += `[${part}]`;
    else path += path ? `.${part}` : part;
  }
  return path;
}

const FORMAT_NAMES: Record<string, string> = {
  uri: 'a URI',
  uuid: 'a UUID',
  'date-time': 'an ISO 8601 date-time',
};

/** `run.runId: must match format "uuid"`-style message for the envelope. */
function describeEnvelope(error: ErrorObject): string {
  const path = pathOf(error);
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

/** `uri is not a URI`-style message for a field inside a facet. */
function describeInFacet(error: ErrorObject): string {
  const path = pathOf(error);
  const at = (field: string) => (path ? `${path}.${field}` : field);
  switch (error.keyword) {
    case 'required':
      return `${at(
        (error.params as { missingProperty: string }).missingProperty,
      )} is missing`;
    case 'format': {
      const format = (error.params as { format: string }).format;
      return `${path} is not ${FORMAT_NAMES[format] ?? `a ${format}`}`;
    }
    case 'type':
      return `${path || 'the facet'} is not ${
        (error.params as { type: string }).type === 'array'
          ? 'an array'
          : `a ${(error.params as { type: string }).type}`
      }`;
    default:
      return `${path || 'the facet'} ${error.message}`;
  }
}

/**
 * Checks one facet map in place: facets that fail their schema are removed
 * from the (copied) event and reported.
 */
function checkFacets(
  facets: unknown,
  place: FacetPlace,
  path: string,
  problems: FacetProblem[],
): Record<string, unknown> | undefined {
  if (!isObject(facets)) return undefined;
  const kept: Record<string, unknown> = {};
  for (const [name, facet] of Object.entries(facets)) {
    const validate = facetValidators[place][name];
    if (validate && !validate(facet)) {
      problems.push({
        path: `${path}.${name}`,
        facet: name,
        message: `facet ${name} ignored: ${describeInFacet(
          validate.errors![0],
        )}`,
      });
      continue;
    }
    kept[name] = facet;
  }
  return kept;
}

/**
 * Validates an event. Returns its kind, the event as Lakeport interprets it
 * (facets that fail their schema left out) and the facet problems; or, for a
 * broken envelope, a message naming the field, e.g.
 * `RunEvent run.runId: must match format "uuid"`.
 */
export function validateOpenLineageEvent(body: unknown):
  | {
      kind: OpenLineageEventKind;
      interpreted: Record<string, unknown>;
      problems: FacetProblem[];
    }
  | { error: string } {
  if (!isObject(body)) {
    return { error: '(event): must be a JSON object' };
  }
  const kind = eventKind(body);
  const validate = validators[kind];
  if (!validate(body)) {
    return { error: `${kind} ${describeEnvelope(validate.errors![0])}` };
  }
  const problems: FacetProblem[] = [];
  const withFacets = <T extends Record<string, unknown>>(
    node: T,
    place: FacetPlace,
    path: string,
  ): T =>
    node.facets === undefined
      ? node
      : {
          ...node,
          facets: checkFacets(node.facets, place, `${path}.facets`, problems),
        };
  const event: Record<string, unknown> = { ...body };
  if (isObject(event.run)) event.run = withFacets(event.run, 'run', 'run');
  if (isObject(event.job)) event.job = withFacets(event.job, 'job', 'job');
  if (isObject(event.dataset))
    event.dataset = withFacets(event.dataset, 'dataset', 'dataset');
  for (const side of ['inputs', 'outputs'] as const) {
    if (Array.isArray(event[side])) {
      event[side] = (event[side] as Record<string, unknown>[]).map((d, i) =>
        withFacets(d, 'dataset', `${side}[${i}]`),
      );
    }
  }
  return { kind, interpreted: event, problems };
}
