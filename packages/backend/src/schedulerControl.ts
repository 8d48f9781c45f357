import type { RootHttpRouterConfigureContext } from '@backstage/backend-defaults/rootHttpRouter';

/** Backstage's per-plugin task API: run a scheduled task now, or cancel it. */
const TASK_CONTROL =
  /^\/api\/[^/]+\/\.backstage\/scheduler\/v1\/tasks\/[^/]+\/(trigger|cancel)\/?$/;

/**
 * Backstage mounts its scheduler's task API on every plugin's router, guarded
 * by sign-in only: any signed-in user could start or stop any plugin's
 * scheduled work (syncs, expiry, quality schedules). What users may start,
 * Lakeport offers through its own permission-checked endpoints (for example
 * `POST /api/lakehouse/sync`), so these two are refused unless
 * `lakeport.scheduler.allowManualControl` is set (development config: the
 * replicas test asks both backends to run a task at once).
 */
export function guardSchedulerControl(
  ctx: Pick<RootHttpRouterConfigureContext, 'app' | 'config'>,
) {
  const allowed =
    ctx.config.getOptionalBoolean('lakeport.scheduler.allowManualControl') ??
    false;
  if (allowed) return;
  ctx.app.post(TASK_CONTROL, (_req, res) => {
    res.status(403).json({
      error: {
        name: 'NotAllowedError',
        message:
          'Scheduled tasks are not started or cancelled through the task API here (lakeport.scheduler.allowManualControl); use the endpoint of the work, e.g. POST /api/lakehouse/sync',
      },
    });
  });
}
