import { InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  Classification,
  ClassificationsResponse,
  DatasetDetail,
  mostSensitive,
} from '@lakeport/plugin-lakehouse-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { LakehouseApi } from '../lakehouseApi';

const TABLE =
  /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

/** An input column, `<dataset id or table>` and column: `customers.curated.customers.email`. */
function splitSource(source: string, inputs: string[]) {
  const at = source.lastIndexOf('.');
  const table = source.slice(0, at);
  const column = source.slice(at + 1);
  const dataset = inputs.find(i => i === table || i.endsWith(`:${table}`));
  if (!dataset || !column)
    throw new InputError(
      `columns: "${source}" is not <input table>.<column> of one of the inputs`,
    );
  return { dataset, column };
}

/**
 * `lakehouse:contract:generate`: an ODCS contract for a project's output
 * table. Columns are the ones listed (each naming the input columns it is
 * computed from) or, without a list, every column of the inputs. Each
 * column's classification is the most sensitive of its sources' (declared
 * or derived through lineage): a transformation is not assumed to remove
 * PII. Owner, domain, freshness SLA and default quality rules (not empty;
 * the key unique) included.
 */
export function createContractGenerateAction(deps: { api: LakehouseApi }) {
  return createTemplateAction({
    id: 'lakehouse:contract:generate',
    description:
      'Writes the ODCS contract of the output table, classifications derived from the input columns',
    supportsDryRun: true,
    examples: [
      {
        description: 'A contract for a features table built from customers',
        example: stringify({
          steps: [
            {
              id: 'contract',
              action: 'lakehouse:contract:generate',
              input: {
                output: 'customers.feature.churn_inputs',
                owner: 'group:default/data-science',
                domain: 'customers',
                freshnessHours: 24,
                key: ['customer_id'],
                inputs: ['dataset:lakeport:customers.curated.customers'],
                columns: [
                  {
                    name: 'customer_id',
                    from: ['customers.curated.customers.customer_id'],
                  },
                  {
                    name: 'email_domain',
                    type: 'VARCHAR',
                    from: ['customers.curated.customers.email'],
                  },
                ],
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        output: z =>
          z
            .string()
            .regex(TABLE)
            .describe('The output table, <domain>.<layer>.<table>'),
        owner: z =>
          z.string().describe('Owner group ref, group:default/<name>'),
        domain: z => z.string().optional(),
        description: z => z.string().optional(),
        freshnessHours: z => z.number().positive().optional(),
        inputs: z =>
          z
            .array(z.string())
            .describe('Input dataset ids (dataset:<namespace>:<table>)'),
        columns: z =>
          z
            .array(
              z.object({
                name: z.string(),
                type: z.string().optional(),
                description: z.string().optional(),
                from: z
                  .array(z.string())
                  .optional()
                  .describe(
                    'Input columns it is computed from, <table>.<column>',
                  ),
              }),
            )
            .optional(),
        key: z =>
          z
            .array(z.string())
            .optional()
            .describe('Key columns: the default rules check they are unique'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Where to write it (default contracts/<output>.odcs.yaml)',
            ),
      },
      output: {
        path: z => z.string(),
        classification: z => z.string().optional(),
        columns: z => z.number(),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const credentials = await ctx.getInitiatorCredentials();
      const details = new Map<string, DatasetDetail>();
      const classes = new Map<
        string,
        Map<string, Classification | undefined>
      >();
      for (const id of input.inputs) {
        const enc = encodeURIComponent(id);
        const [detail, lineage] = await Promise.all([
          deps.api.get<DatasetDetail>(`/datasets/${enc}`, credentials),
          deps.api.get<ClassificationsResponse>(
            `/lineage/classifications?node=${enc}`,
            credentials,
          ),
        ]);
        details.set(id, detail);
        classes.set(
          id,
          new Map(
            detail.columns.map(c => [
              c.name,
              mostSensitive([
                c.classification,
                ...lineage.columns
                  .filter(l => l.column === c.name)
                  .flatMap(l => [l.declared, l.derived]),
              ]),
            ]),
          ),
        );
      }
      const listed =
        input.columns ??
        [...details.entries()].flatMap(([id, d]) =>
          d.columns.map(c => ({
            name: c.name,
            type: c.type,
            description: c.description,
            from: [`${d.name}.${c.name}`],
            source: id,
          })),
        );
      const seen = new Set<string>();
      const properties = listed
        .filter(c => !seen.has(c.name) && seen.add(c.name))
        .map(c => {
          const sources = (c.from ?? []).map(s => splitSource(s, input.inputs));
          for (const s of sources)
            if (!classes.get(s.dataset)?.has(s.column))
              throw new InputError(
                `columns: ${c.name} reads ${s.column}, which ${s.dataset} does not have`,
              );
          const classification = mostSensitive(
            sources.map(s => classes.get(s.dataset)!.get(s.column)),
          );
          return {
            name: c.name,
            ...(c.type ? { physicalType: c.type } : {}),
            description:
              c.description ??
              (sources.length
                ? `From ${sources
                    .map(s => `${s.dataset.split(':').at(-1)}.${s.column}`)
                    .join(', ')}`
                : undefined),
            ...(classification ? { classification } : {}),
          };
        });
      const [domain, , table] = input.output.split('.');
      const contract = {
        apiVersion: 'v3.1.0',
        kind: 'DataContract',
        id: `urn:datacontract:lakeport:${input.output}`,
        name: table,
        version: '0.1.0',
        status: 'draft',
        domain: input.domain ?? domain,
        description: {
          purpose:
            input.description ??
            `Built from ${input.inputs
              .map(i => i.split(':').at(-1))
              .join(', ')}.`,
        },
        schema: [
          {
            name: table,
            physicalName: input.output,
            physicalType: 'table',
            properties,
            // Default rules: the table is not empty; its key is unique.
            quality: [
              { metric: 'rowCount', mustBeGreaterThan: 0 },
              ...(input.key?.length
                ? [
                    {
                      metric: 'duplicateValues',
                      arguments: { properties: input.key },
                      mustBe: 0,
                    },
                  ]
                : []),
            ],
          },
        ],
        slaProperties: [
          { property: 'latency', value: input.freshnessHours ?? 24, unit: 'h' },
        ],
        customProperties: [{ property: 'owner', value: input.owner }],
      };
      const relative =
        input.targetPath ?? `contracts/${input.output}.odcs.yaml`;
      const target = resolveSafeChildPath(ctx.workspacePath, relative);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(
        target,
        `# ODCS data contract of ${
          input.output
        }, generated by Lakeport.\n${stringify(contract)}`,
      );
      const overall = mostSensitive(
        properties.map(
          p => (p as { classification?: Classification }).classification,
        ),
      );
      ctx.output('path', relative);
      if (overall) ctx.output('classification', overall);
      ctx.output('columns', properties.length);
    },
  });
}
