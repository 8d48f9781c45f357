import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ListModelsQuery } from '@lakeport/plugin-lakehouse-common';
import express from 'express';
import Router from 'express-promise-router';
import { list } from '../../assets/datasetsRouter';
import { integer, single } from '../../http/queryParams';
import { ModelCatalog } from './ModelCatalog';
import { ModelPromotions } from './ModelPromotions';

const SORTS = ['relevance', 'name', 'updatedAt', 'versionCount'];

function parseQuery(req: express.Request): ListModelsQuery {
  const sort = single(req, 'sort');
  if (sort && !SORTS.includes(sort))
    throw new InputError(`Unknown sort "${sort}": use ${SORTS.join(', ')}`);
  const order = single(req, 'order');
  if (order && order !== 'asc' && order !== 'desc')
    throw new InputError(
      `Query parameter order must be asc or desc, got "${order}"`,
    );
  return {
    q: single(req, 'q'),
    owner: list(req, 'owner'),
    alias: list(req, 'alias'),
    status: list(req, 'status'),
    classification: list(req, 'classification'),
    sort: sort as ListModelsQuery['sort'],
    order: order as ListModelsQuery['order'],
    limit: integer(req, 'limit', 1, 200),
    cursor: single(req, 'cursor'),
  };
}

const body = express.json({ limit: '16kb' });

function object(req: express.Request): Record<string, unknown> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body))
    throw new InputError('Body must be a JSON object');
  return req.body;
}

/**
 * Registered models (`/models…`) and their governed promotions
 * (`/model-promotions…`).
 */
export function createModelsRouter(deps: {
  catalog: ModelCatalog;
  promotions: ModelPromotions;
  httpAuth: HttpAuthService;
}): express.Router {
  const router = Router();
  const creds = (req: express.Request) => deps.httpAuth.credentials(req);
  router.get('/models', async (req, res) => {
    res.json(await deps.catalog.list(parseQuery(req), await creds(req)));
  });
  router.get('/models/:id', async (req, res) => {
    res.json(await deps.catalog.get(req.params.id, await creds(req)));
  });
  router.get('/models/:id/training-data', async (req, res) => {
    res.json(await deps.catalog.trainingData(req.params.id, await creds(req)));
  });
  router.get('/models/:id/promotions', async (req, res) => {
    res.json(await deps.promotions.list(req.params.id, await creds(req)));
  });
  router.post('/models/:id/promotions', body, async (req, res) => {
    res
      .status(201)
      .json(
        await deps.promotions.request(
          req.params.id,
          object(req),
          await creds(req),
        ),
      );
  });
  router.post('/models/:id/aliases/:alias/revert', body, async (req, res) => {
    res
      .status(201)
      .json(
        await deps.promotions.revert(
          req.params.id,
          req.params.alias,
          req.body && typeof req.body === 'object' ? req.body : {},
          await creds(req),
        ),
      );
  });
  router.get('/model-promotions', async (req, res) => {
    res.json(await deps.promotions.reviewable(await creds(req)));
  });
  router.get('/model-promotions/:id', async (req, res) => {
    res.json(await deps.promotions.get(req.params.id, await creds(req)));
  });
  router.post('/model-promotions/:id/decision', body, async (req, res) => {
    res.json(
      await deps.promotions.decide(
        req.params.id,
        object(req),
        await creds(req),
      ),
    );
  });
  router.post('/model-promotions/:id/retry', async (req, res) => {
    res.json(await deps.promotions.retry(req.params.id, await creds(req)));
  });
  router.post('/model-promotions/:id/cancel', async (req, res) => {
    res.json(await deps.promotions.cancel(req.params.id, await creds(req)));
  });
  return router;
}
