import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { InputError } from '@backstage/errors';
import {
  Classification,
  CLASSIFICATIONS,
  CreatedTopic,
  CreateTopicRequest,
  datasetAssetId,
  mostSensitive,
} from '@lakeport/plugin-lakehouse-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { LakehouseApi } from '../lakehouseApi';

const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'timestamp'];

/**
 * `lakehouse:topic:create`: a new stream topic with its ODCS contract (the
 * JSON fields of its messages with their classification, the freshness SLA
 * in minutes), written into the project and created through the portal on
 * behalf of the person running the template (`POST /streams/topics`: owner
 * checked, contract validated, then the topic). A dry run writes the
 * contract and creates nothing.
 */
export function createTopicCreateAction(deps: { api: LakehouseApi }) {
  return createTemplateAction({
    id: 'lakehouse:topic:create',
    description:
      'Creates a stream topic with its contract through the portal, on behalf of the person running the template',
    supportsDryRun: true,
    examples: [
      {
        description: 'A topic of returns events',
        example: stringify({
          steps: [
            {
              id: 'topic',
              action: 'lakehouse:topic:create',
              input: {
                topic: 'commerce.return_events',
                owner: 'group:default/commerce-data',
                domain: 'commerce',
                freshnessMinutes: 15,
                fields: [
                  { name: 'return_id', type: 'string', required: true },
                  { name: 'email', type: 'string', classification: 'pii' },
                  { name: 'event_ts', type: 'timestamp' },
                ],
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        topic: z => z.string().describe('Topic name (letters, digits, . _ -)'),
        owner: z =>
          z.string().describe('Owner group ref, group:default/<name>'),
        fields: z =>
          z
            .array(
              z.object({
                name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
                type: z.enum(FIELD_TYPES as [string, ...string[]]),
                classification: z
                  .enum(CLASSIFICATIONS as unknown as [string, ...string[]])
                  .optional(),
                description: z.string().optional(),
                required: z.boolean().optional(),
              }),
            )
            .min(1)
            .describe("The JSON fields of the topic's messages"),
        domain: z => z.string().optional(),
        description: z => z.string().optional(),
        freshnessMinutes: z => z.number().positive().optional(),
        partitions: z => z.number().int().min(1).max(1000).optional(),
        retentionHours: z => z.number().positive().optional(),
        cluster: z => z.string().optional(),
        project: z => z.string().optional(),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Where to write it (default contracts/<topic>.odcs.yaml)',
            ),
      },
      output: {
        datasetId: z => z.string(),
        path: z => z.string(),
        classification: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const names = input.fields.map(f => f.name);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice) throw new InputError(`fields: ${twice} is listed twice`);
      const name = input.topic.split('.').at(-1)!;
      const time = input.fields.find(f => f.type === 'timestamp');
      const contract = {
        apiVersion: 'v3.1.0',
        kind: 'DataContract',
        id: `urn:datacontract:lakeport:stream:${input.topic}`,
        name,
        version: '0.1.0',
        status: 'draft',
        ...(input.domain ? { domain: input.domain } : {}),
        description: {
          purpose: input.description ?? `Messages of ${input.topic}.`,
        },
        schema: [
          {
            name,
            physicalName: input.topic,
            physicalType: 'topic',
            properties: input.fields.map(f => ({
              name: f.name,
              logicalType: f.type,
              ...(f.description ? { description: f.description } : {}),
              // Unsure means internal, never public.
              classification: f.classification ?? 'internal',
              ...(f.required ? { required: true } : {}),
            })),
          },
        ],
        slaProperties: [
          {
            property: 'latency',
            value: input.freshnessMinutes ?? 15,
            unit: 'm',
            ...(time ? { element: `${name}.${time.name}` } : {}),
          },
        ],
        customProperties: [
          { property: 'owner', value: input.owner },
          ...(input.project
            ? [{ property: 'project', value: input.project }]
            : []),
        ],
      };
      const yaml = `# ODCS data contract of the topic ${
        input.topic
      }, generated by Lakeport.\n${stringify(contract)}`;
      const relative = input.targetPath ?? `contracts/${input.topic}.odcs.yaml`;
      const target = resolveSafeChildPath(ctx.workspacePath, relative);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, yaml);
      ctx.output('path', relative);
      ctx.output(
        'classification',
        mostSensitive(
          input.fields.map(
            f => (f.classification ?? 'internal') as Classification,
          ),
        ),
      );
      const credentials = await ctx.getInitiatorCredentials();
      if (ctx.isDryRun) {
        // The contract is checked as the portal would; nothing is created.
        const check = await deps.api.post<{
          valid: boolean;
          problems: Array<{ field: string; message: string }>;
        }>(
          '/contracts/validate',
          { file: relative, content: yaml },
          credentials,
        );
        if (!check.valid)
          throw new InputError(
            `${relative}: ${check.problems
              .map(p => `${p.field}: ${p.message}`)
              .join('; ')}`,
          );
        ctx.output('datasetId', datasetAssetId('kafka://dry-run', input.topic));
        return;
      }
      const request: CreateTopicRequest = {
        topic: input.topic,
        owner: input.owner,
        contract: yaml,
        ...(input.cluster ? { cluster: input.cluster } : {}),
        ...(input.partitions ? { partitions: input.partitions } : {}),
        ...(input.retentionHours
          ? { retentionHours: input.retentionHours }
          : {}),
        ...(input.project ? { project: input.project } : {}),
      };
      const created = await ctx.checkpoint({
        key: `topic-${input.topic}`,
        fn: () =>
          // A type literal (not the interface) for checkpoint's JSON type.
          deps.api.post<Pick<CreatedTopic, 'datasetId' | 'partitions'>>(
            '/streams/topics',
            request,
            credentials,
          ),
      });
      ctx.logger.info(
        `Created ${created.datasetId} (${created.partitions} partitions)`,
      );
      ctx.output('datasetId', created.datasetId);
    },
  });
}
