import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import { LakehouseApi } from '../lakehouseApi';

/**
 * `lakehouse:dataset:plan`: the project's output dataset and its lineage
 * (inputs → job → output) appear in the portal as planned, owned by the
 * chosen group, with the project's contract, until the first run reports
 * them. The job is named as the pipeline will report it to OpenLineage.
 */
export function createDatasetPlanAction(deps: { api: LakehouseApi }) {
  return createTemplateAction({
    id: 'lakehouse:dataset:plan',
    description:
      'Shows the output dataset and its planned lineage in the portal until the first run reports them',
    supportsDryRun: true,
    examples: [
      {
        description: 'Plan the output of a Spark pipeline',
        example:
          'steps:\n  - id: plan\n    action: lakehouse:dataset:plan\n    input:\n      job: { namespace: spark, name: churn_inputs }\n      output: customers.feature.churn_inputs\n      inputs: ${{ parameters.inputs }}\n      owner: ${{ parameters.owner }}\n      project: component:default/churn-inputs\n      contractPath: contracts/customers.feature.churn_inputs.odcs.yaml\n',
      },
    ],
    schema: {
      input: {
        job: z =>
          z
            .object({ namespace: z.string(), name: z.string() })
            .describe('The job as the pipeline reports it to OpenLineage'),
        output: z =>
          z.string().describe('The output table, <domain>.<layer>.<table>'),
        inputs: z => z.array(z.string()).min(1).describe('Input dataset ids'),
        owner: z => z.string().describe('Owner group ref'),
        project: z =>
          z.string().optional().describe("The project's catalog entity ref"),
        contractPath: z =>
          z
            .string()
            .optional()
            .describe("The output's ODCS contract in the workspace"),
      },
      output: {
        status: z => z.string(),
        outputId: z => z.string(),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const contract = input.contractPath
        ? await fs.readFile(
            resolveSafeChildPath(ctx.workspacePath, input.contractPath),
            'utf8',
          )
        : undefined;
      const outputId = `dataset:lakeport:${input.output}`;
      if (ctx.isDryRun) {
        ctx.logger.info(`Would plan ${input.job.name} → ${outputId}`);
        ctx.output('status', 'planned');
        ctx.output('outputId', outputId);
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      const planned = await ctx.checkpoint({
        key: `plan-${input.job.namespace}-${input.job.name}`,
        fn: () =>
          deps.api.post<{ status: string; outputId: string }>(
            '/planned',
            {
              job: input.job,
              output: input.output,
              inputs: input.inputs,
              owner: input.owner,
              project: input.project,
              contract,
            },
            credentials,
          ),
      });
      ctx.logger.info(
        `Planned ${input.inputs.join(', ')} → ${input.job.namespace}/${
          input.job.name
        } → ${planned.outputId} (${planned.status})`,
      );
      ctx.output('status', planned.status);
      ctx.output('outputId', planned.outputId);
    },
  });
}
