import { createHash } from 'node:crypto';
import {
  datasetAssetId,
  parseAssetId,
  stringifyAssetId,
} from '@lakeport/plugin-lakehouse-common';
import { ColumnEdgeRow, LineageNodeRow, LineageWrite } from './LineageStore';
import { DatasetMatcher } from './DatasetMatcher';
import {
  OLDataset,
  OLEvent,
  OLJob,
  OLSchemaField,
  OLTransformation,
} from './openLineageTypes';
import { FacetProblem, OpenLineageEventKind } from './openLineageSchema';

export function jobAssetId(job: { namespace: string; name: string }) {
  return stringifyAssetId({ kind: 'job', ...job });
}

function flattenFields(
  fields: OLSchemaField[] | undefined,
  prefix = '',
): Array<{ name: string; type?: string; description?: string }> {
  const out: Array<{ name: string; type?: string; description?: string }> = [];
  for (const f of fields ?? []) {
    const name = prefix ? `${prefix}.${f.name}` : f.name;
    out.push({ name, type: f.type, description: f.description });
    if (f.fields?.length) out.push(...flattenFields(f.fields, name));
  }
  return out;
}

function owners(facet?: { owners?: Array<{ name: string }> }) {
  return facet?.owners?.length ? facet.owners.map(o => o.name) : undefined;
}

/**
 * The transformation that decides whether classification flows: masking
 * wins, then the most value-changing subtype. Older producers send
 * `transformationType` (IDENTITY, TRANSFORMATION) per field instead.
 */
export function summarizeTransformations(
  transformations: OLTransformation[] | undefined,
  legacyType?: string,
  legacyDescription?: string,
): Pick<
  ColumnEdgeRow,
  | 'transformationType'
  | 'transformationSubtype'
  | 'transformationDescription'
  | 'masking'
> {
  const list = transformations ?? [];
  if (!list.length && legacyType) {
    return {
      transformationType: 'DIRECT',
      transformationSubtype: legacyType.toUpperCase(),
      transformationDescription: legacyDescription,
      masking: false,
    };
  }
  const direct = list.filter(t => t.type.toUpperCase() === 'DIRECT');
  const pick =
    list.find(t => t.masking) ??
    direct.find(t => t.subtype?.toUpperCase() === 'AGGREGATION') ??
    direct.find(t => t.subtype?.toUpperCase() === 'TRANSFORMATION') ??
    direct[0] ??
    list[0];
  return {
    transformationType: pick?.type.toUpperCase(),
    transformationSubtype: pick?.subtype?.toUpperCase(),
    transformationDescription: pick?.description ?? legacyDescription,
    masking: list.some(t => t.masking),
  };
}

/** Content hash of an event: the same event twice has the same hash. */
export function eventHash(payload: string): string {
  return createHash('sha256').update(payload).digest('hex');
}

const utc = (time: string) => new Date(time).toISOString();

/**
 * Turns a validated OpenLineage event into the rows it writes. `event` is
 * the event as interpreted (facets that failed their schema left out);
 * `received` is what the producer sent, stored verbatim with the problems.
 */
export function toLineageWrite(
  event: OLEvent,
  kind: OpenLineageEventKind,
  matcher: DatasetMatcher,
  received: unknown = event,
  problems: FacetProblem[] = [],
): LineageWrite {
  const nodes: LineageNodeRow[] = [];
  const aliases: LineageWrite['aliases'] = [];
  const edges: LineageWrite['edges'] = [];
  const columnEdges: ColumnEdgeRow[] = [];
  const resolved = new Map<string, string>();

  const resolve = (ds: { namespace: string; name: string }) => {
    const own = datasetAssetId(ds.namespace, ds.name);
    return resolved.get(own) ?? matcher.match(ds as OLDataset).id;
  };

  const addDataset = (ds: OLDataset): string => {
    const { id } = matcher.match(ds);
    const own = datasetAssetId(ds.namespace, ds.name);
    resolved.set(own, id);
    if (id !== own) aliases.push({ alias: own, nodeId: id });
    for (const link of ds.facets?.symlinks?.identifiers ?? []) {
      const alias = datasetAssetId(link.namespace, link.name);
      if (alias !== id) aliases.push({ alias, nodeId: id });
    }
    const facets = ds.facets ?? {};
    const fields = facets.schema?.fields
      ? flattenFields(facets.schema.fields)
      : undefined;
    const { namespace, name } = parseAssetId(id);
    nodes.push({
      id,
      kind: 'dataset',
      namespace,
      name,
      description: facets.documentation?.description,
      owners: owners(facets.ownership),
      fields,
      dataSource: facets.dataSource
        ? { name: facets.dataSource.name, uri: facets.dataSource.uri }
        : undefined,
    });
    return id;
  };

  const addJob = (job: OLJob, parent?: OLJob): string => {
    const id = jobAssetId(job);
    const facets = job.facets ?? {};
    nodes.push({
      parentId: parent ? jobAssetId(parent) : undefined,
      id,
      kind: 'job',
      namespace: job.namespace,
      name: job.name,
      description: facets.documentation?.description,
      owners: owners(facets.ownership),
      sourceCode: facets.sourceCode
        ? {
            language: facets.sourceCode.language,
            sourceCode: facets.sourceCode.sourceCode,
          }
        : undefined,
      sql: facets.sql?.query,
      declassifies: facets.lakeport_classification?.removesClassification,
    });
    return id;
  };

  if (kind === 'DatasetEvent') {
    addDataset(event.dataset!);
  } else {
    const jobId = addJob(event.job!, event.run?.facets?.parent?.job);
    const inputs = (event.inputs ?? []).map(addDataset);
    for (const input of inputs)
      edges.push({ sourceId: input, targetId: jobId });
    for (const output of event.outputs ?? []) {
      const outputId = addDataset(output);
      edges.push({ sourceId: jobId, targetId: outputId });
      const lineage = output.facets?.columnLineage?.fields ?? {};
      for (const [targetColumn, field] of Object.entries(lineage)) {
        for (const input of field.inputFields) {
          columnEdges.push({
            sourceId: resolve(input),
            sourceColumn: input.field,
            targetId: outputId,
            targetColumn,
            jobId,
            ...summarizeTransformations(
              input.transformations,
              field.transformationType,
              field.transformationDescription,
            ),
          });
        }
      }
    }
  }

  const run =
    kind === 'RunEvent'
      ? {
          runId: event.run!.runId,
          jobId: jobAssetId(event.job!),
          state: event.eventType ?? 'OTHER',
          eventTime: utc(event.eventTime),
          errorMessage: event.run!.facets?.errorMessage?.message,
          parentRunId: event.run!.facets?.parent?.run.runId,
        }
      : undefined;

  const payload = JSON.stringify(received);
  return {
    event: {
      hash: eventHash(payload),
      type: kind === 'RunEvent' ? event.eventType ?? 'OTHER' : kind,
      eventTime: utc(event.eventTime),
      runId: event.run?.runId,
      payload,
      problems: problems.length ? problems : undefined,
    },
    nodes,
    aliases,
    edges,
    columnEdges,
    run,
  };
}
