import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DatasetAccessView } from '@lakeport/plugin-lakehouse-common';
import { LakehouseApi } from '../lakehouseApi';

/**
 * `lakehouse:access:request`: for each input the person running the
 * template sees masked, an access request for exactly the masked columns,
 * with the template's purpose, on their behalf. It never fails the
 * project: what could not be asked is in the output and the log.
 */
export function createAccessRequestAction(deps: { api: LakehouseApi }) {
  return createTemplateAction({
    id: 'lakehouse:access:request',
    description:
      'Asks for access to the masked columns of the chosen inputs, on behalf of the person running the template',
    supportsDryRun: true,
    examples: [
      {
        description: 'Ask for what the notebook cannot read unmasked',
        example:
          "steps:\n  - id: access\n    action: lakehouse:access:request\n    input:\n      datasets: ${{ parameters.datasets }}\n      purpose: 'Churn analysis notebook'\n      justification: ${{ parameters.purpose }}\n",
      },
    ],
    schema: {
      input: {
        datasets: z => z.array(z.string()).describe('Dataset ids'),
        purpose: z => z.string().min(1),
        justification: z => z.string().min(1),
        durationDays: z => z.number().int().positive().optional(),
      },
      output: {
        requests: z =>
          z.array(
            z.object({
              datasetId: z.string(),
              columns: z.array(z.string()),
              id: z.string().optional(),
              status: z.string().optional(),
              skipped: z.string().optional(),
            }),
          ),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const requests = [];
      for (const datasetId of ctx.input.datasets) {
        const entry: {
          datasetId: string;
          columns: string[];
          id?: string;
          status?: string;
          skipped?: string;
        } = { datasetId, columns: [] };
        requests.push(entry);
        try {
          entry.columns = await ctx.checkpoint({
            key: `masked-${datasetId}`,
            fn: async () =>
              // What the caller reads masked: tables and topics alike.
              (
                await deps.api.get<DatasetAccessView>(
                  `/datasets/${encodeURIComponent(datasetId)}/access`,
                  credentials,
                )
              ).maskedColumns,
          });
          if (!entry.columns.length) {
            entry.skipped = 'nothing is masked for you';
            continue;
          }
          if (ctx.isDryRun) {
            entry.skipped = 'dry run: would ask';
            continue;
          }
          const created = await ctx.checkpoint({
            key: `request-${datasetId}`,
            fn: () =>
              deps.api.post<{ id: string; status: string }>(
                '/access/requests',
                {
                  datasetId,
                  columns: entry.columns,
                  purpose: ctx.input.purpose,
                  justification: ctx.input.justification,
                  durationDays: ctx.input.durationDays ?? 30,
                },
                credentials,
              ),
          });
          entry.id = created.id;
          entry.status = created.status;
        } catch (e) {
          // An open request, a dataset gone: the project goes on without it.
          entry.skipped = (e as Error).message;
          ctx.logger.warn(
            `No access request for ${datasetId}: ${entry.skipped}`,
          );
        }
      }
      ctx.output('requests', requests);
    },
  });
}
