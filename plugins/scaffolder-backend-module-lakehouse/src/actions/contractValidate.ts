import { InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import { LakehouseApi } from '../lakehouseApi';

interface Validation {
  valid: boolean;
  table?: string;
  problems: Array<{ field: string; message: string }>;
}

/**
 * `lakehouse:contract:validate`: checks a contract of the project with the
 * validator the lakehouse sync uses (`POST /api/lakehouse/contracts/validate`),
 * failing the step with every problem named.
 */
export function createContractValidateAction(deps: { api: LakehouseApi }) {
  return createTemplateAction({
    id: 'lakehouse:contract:validate',
    description:
      'Validates an ODCS contract of the project with the lakehouse sync’s own validator',
    supportsDryRun: true,
    examples: [
      {
        description: 'Validate the generated contract',
        example:
          'steps:\n  - id: validate\n    action: lakehouse:contract:validate\n    input:\n      path: ${{ steps.contract.output.path }}\n',
      },
    ],
    schema: {
      input: {
        path: z => z.string().describe('Contract file in the workspace'),
      },
      output: { table: z => z.string().optional() },
    },
    async handler(ctx) {
      const file = resolveSafeChildPath(ctx.workspacePath, ctx.input.path);
      const content = await fs.readFile(file, 'utf8');
      const result = await deps.api.post<Validation>(
        '/contracts/validate',
        { file: ctx.input.path, content },
        await ctx.getInitiatorCredentials(),
      );
      if (!result.valid)
        throw new InputError(
          `${ctx.input.path} is not a valid contract: ${result.problems
            .map(p => `${p.field}: ${p.message}`)
            .join('; ')}`,
        );
      ctx.logger.info(`${ctx.input.path}: a valid contract of ${result.table}`);
      if (result.table) ctx.output('table', result.table);
    },
  });
}
