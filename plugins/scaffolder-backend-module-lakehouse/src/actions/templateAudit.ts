import { AuditorService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonValue } from '@backstage/types';

const SECRET = /token|secret|password|credential|apikey|api_key/i;

/** Parameters as the audit keeps them: values of secret-looking keys redacted. */
export function redactParameters(value: unknown, key = ''): JsonValue {
  if (SECRET.test(key)) return '[redacted]';
  if (Array.isArray(value)) return value.map(v => redactParameters(v));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactParameters(v, k)]),
    );
  return (value ?? null) as JsonValue;
}

/**
 * `lakehouse:template:audit`: the first step of every Lakeport template.
 * Records who ran which template with which parameters (secret-looking
 * ones redacted; secrets proper never reach parameters) as an auditor
 * event of the scaffolder, beside the stock `task` event, which has no
 * parameters.
 */
export function createTemplateAuditAction(deps: { auditor: AuditorService }) {
  return createTemplateAction({
    id: 'lakehouse:template:audit',
    description: 'Audits a template run with its parameters',
    supportsDryRun: true,
    examples: [
      {
        description: 'First step of a template',
        example:
          'steps:\n  - id: audit\n    action: lakehouse:template:audit\n    input:\n      parameters: ${{ parameters }}\n',
      },
    ],
    schema: {
      input: {
        parameters: z => z.record(z.string(), z.unknown()),
      },
    },
    async handler(ctx) {
      if (ctx.isDryRun) return;
      const event = await deps.auditor.createEvent({
        eventId: 'template-run',
        severityLevel: 'medium',
        meta: {
          template: ctx.templateInfo?.entityRef,
          taskId: ctx.task.id,
          actor: ctx.user?.ref,
          parameters: redactParameters(ctx.input.parameters),
        },
      });
      await event.success();
    },
  });
}
