import {
  HttpAuthService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { lakehouseSyncPermission } from '@lakeport/plugin-lakehouse-common';
import express from 'express';
import Router from 'express-promise-router';
import { DatasetStore } from '../assets/DatasetStore';

export const SYNC_TASK_ID = 'lakehouse-sync';

/** `GET /sync` (last run) and `POST /sync` (run now, platform admins). */
export function createSyncRouter(deps: {
  store: DatasetStore;
  scheduler: SchedulerService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
}): express.Router {
  const router = Router();
  router.get('/sync', async (req, res) => {
    await deps.httpAuth.credentials(req);
    res.json({ lastRun: (await deps.store.lastSyncRun()) ?? null });
  });
  router.post('/sync', async (req, res) => {
    const credentials = await deps.httpAuth.credentials(req);
    const [decision] = await deps.permissions.authorize(
      [{ permission: lakehouseSyncPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${lakehouseSyncPermission.name}`);
    }
    // Through the scheduler, so it runs once even with several replicas.
    await deps.scheduler.triggerTask(SYNC_TASK_ID);
    res.status(202).json({ status: 'triggered' });
  });
  return router;
}
