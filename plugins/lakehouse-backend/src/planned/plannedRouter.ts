import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { PlannedService } from './PlannedService';

/**
 * `POST /planned` `{ job, output, inputs, owner, project?, contract? }`
 * plans a pipeline (what `lakehouse:dataset:plan` calls on behalf of the
 * person running a template); `GET /planned` lists planned pipelines with
 * their `status`: `planned`, `running` (the job reported a run) or `real`
 * (the output table is in the lakehouse).
 */
export function createPlannedRouter(deps: {
  service: PlannedService;
  httpAuth: HttpAuthService;
}): express.Router {
  const router = Router();
  router.post('/planned', express.json({ limit: '1mb' }), async (req, res) => {
    const credentials = await deps.httpAuth.credentials(req);
    res.status(201).json(await deps.service.plan(req.body, credentials));
  });
  router.get('/planned', async (req, res) => {
    const credentials = await deps.httpAuth.credentials(req);
    res.json({ items: await deps.service.list(credentials) });
  });
  return router;
}
