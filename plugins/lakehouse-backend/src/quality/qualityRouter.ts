import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { QualityService } from './QualityService';

/** HTTP only: runs, scorecards, imports, acknowledgements, owner health. */
export function createQualityRouter(deps: {
  service: QualityService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { service, httpAuth } = deps;
  const router = Router();
  const small = express.json({ limit: '100kb' });
  // Validation results of wide suites (with their unexpected-value lists) are large.
  const results = express.json({ limit: '50mb' });
  const userOrService = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.post('/quality/runs', small, async (req, res) => {
    const datasetId = req.body?.datasetId;
    if (typeof datasetId !== 'string' || !datasetId)
      throw new InputError('datasetId is required');
    res
      .status(202)
      .json(await service.requestRun(datasetId, await userOrService(req)));
  });

  router.get('/quality/runs/:id', async (req, res) => {
    res.json(
      await service.getRun(req.params.id, await httpAuth.credentials(req)),
    );
  });

  router.get('/quality/scorecards/:datasetId', async (req, res) => {
    res.json(
      await service.scorecard(
        req.params.datasetId,
        await httpAuth.credentials(req),
      ),
    );
  });

  router.post(
    '/quality/scorecards/:datasetId/checks/:checkId/acknowledgements',
    small,
    async (req, res) => {
      res
        .status(201)
        .json(
          await service.acknowledge(
            req.params.datasetId,
            req.params.checkId,
            req.body,
            await httpAuth.credentials(req, { allow: ['user'] }),
          ),
        );
    },
  );

  // The caller is known before the (large) body is parsed.
  router.post(
    '/quality/results',
    async (req, res, next) => {
      res.locals.credentials = await userOrService(req);
      next();
    },
    results,
    async (req, res) => {
      res
        .status(201)
        .json(await service.importResults(req.body, res.locals.credentials));
    },
  );

  router.get('/quality/health', async (req, res) => {
    res.json(
      await service.myHealth(
        await httpAuth.credentials(req, { allow: ['user'] }),
      ),
    );
  });

  return router;
}
