import {
  HttpAuthService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import {
  MetadataSource,
  MetadataWebhookError,
} from '@lakeport/plugin-lakehouse-node';
import {
  lakehouseSyncPermission,
  ListFeaturesQuery,
  parseAssetId,
} from '@lakeport/plugin-lakehouse-common';
import express from 'express';
import Router from 'express-promise-router';
import { list } from '../assets/datasetsRouter';
import { integer, single } from '../http/queryParams';
import { authorizeOne } from '../permissions/authorize';
import { FeatureCatalog } from './FeatureCatalog';
import { MetadataAssetStore } from './MetadataAssetStore';
import { PortalMetrics } from '../observability/PortalMetrics';

export const METADATA_SYNC_TASK_ID = 'lakehouse-metadata-sync';

const SORTS = ['relevance', 'name', 'updatedAt', 'featureCount'];
const KINDS = ['featureview', 'featureservice'];

function parseQuery(req: express.Request): ListFeaturesQuery {
  const sort = single(req, 'sort');
  if (sort && !SORTS.includes(sort))
    throw new InputError(`Unknown sort "${sort}": use ${SORTS.join(', ')}`);
  const order = single(req, 'order');
  if (order && order !== 'asc' && order !== 'desc')
    throw new InputError(
      `Query parameter order must be asc or desc, got "${order}"`,
    );
  const kind = list(req, 'kind');
  const unknownKind = kind?.filter(k => !KINDS.includes(k));
  if (unknownKind?.length)
    throw new InputError(
      `Unknown kind ${unknownKind.join(', ')}: use ${KINDS.join(', ')}`,
    );
  return {
    q: single(req, 'q'),
    kind,
    project: list(req, 'project'),
    entity: list(req, 'entity'),
    owner: list(req, 'owner'),
    online: list(req, 'online'),
    classification: list(req, 'classification'),
    grade: list(req, 'grade')?.map(g => g.toUpperCase()),
    sort: sort as ListFeaturesQuery['sort'],
    order: order as ListFeaturesQuery['order'],
    limit: integer(req, 'limit', 1, 200),
    cursor: single(req, 'cursor'),
    include: include(req),
  };
}

function include(req: express.Request): Array<'features'> | undefined {
  const values = list(req, 'include');
  const unknown = values?.filter(v => v !== 'features');
  if (unknown?.length)
    throw new InputError(`Unknown include ${unknown.join(', ')}: use features`);
  return values as Array<'features'> | undefined;
}

/**
 * `GET /features` (search), `GET /features/:id` (a view, service or
 * entity), `GET /metadata-sources` (sync state of each source) and
 * `POST /metadata-sources/sync` (sync now, platform admins).
 */
export function createFeaturesRouter(deps: {
  catalog: FeatureCatalog;
  store: MetadataAssetStore;
  scheduler: SchedulerService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  access: Parameters<FeatureCatalog['requestAccess']>[3];
  sources: MetadataSource[];
  /** Syncs the source in the background after a new delivery. */
  onDelivery: (source: MetadataSource) => void;
  metrics?: PortalMetrics;
}): express.Router {
  const router = Router();
  // Pushed by the source system itself (no Backstage token): the source
  // checks the signature on the raw bytes; each delivery id counts once.
  router.post(
    '/webhooks/:sourceId',
    express.raw({ type: () => true, limit: '1mb' }),
    async (req, res) => {
      const source = deps.sources.find(s => s.id === req.params.sourceId);
      if (!source?.verifyWebhook)
        throw new NotFoundError(
          `No metadata source ${req.params.sourceId} that takes webhooks`,
        );
      const now = new Date();
      let delivery: { deliveryId: string; event: string };
      try {
        delivery = source.verifyWebhook({
          headers: req.headers,
          rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          now,
        });
      } catch (e) {
        deps.metrics?.webhook(source.id, 'refused');
        if (e instanceof MetadataWebhookError)
          throw e.reason === 'unauthenticated'
            ? new AuthenticationError(e.message)
            : new InputError(e.message);
        throw e;
      }
      deps.metrics?.webhook(source.id, 'verified');
      const fresh = await deps.store.recordDelivery(
        source.id,
        delivery.deliveryId,
        delivery.event,
        now.toISOString(),
      );
      // Only the replica that recorded the delivery first syncs for it.
      if (fresh) deps.onDelivery(source);
      res.json({
        status: fresh ? 'accepted' : 'duplicate',
        deliveryId: delivery.deliveryId,
      });
    },
  );
  router.get('/features', async (req, res) => {
    const query = parseQuery(req);
    res.json(
      await deps.catalog.list(query, await deps.httpAuth.credentials(req)),
    );
  });
  router.get('/features/:id', async (req, res) => {
    const credentials = await deps.httpAuth.credentials(req);
    const { id } = req.params;
    try {
      const { kind } = parseAssetId(id);
      if (!['featureview', 'featureservice', 'entity'].includes(kind))
        throw new TypeError(
          `Invalid feature asset id "${id}": kind must be featureview, featureservice or entity`,
        );
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    res.json(await deps.catalog.get(id, credentials));
  });
  router.post(
    '/features/:id/access-requests',
    express.json({ limit: '16kb' }),
    async (req, res) => {
      const credentials = await deps.httpAuth.credentials(req);
      if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body))
        throw new InputError(
          'Body must be { purpose, justification, durationDays?, principal? }',
        );
      res
        .status(201)
        .json(
          await deps.catalog.requestAccess(
            req.params.id,
            req.body,
            credentials,
            deps.access,
          ),
        );
    },
  );
  router.get('/metadata-sources', async (req, res) => {
    await deps.httpAuth.credentials(req);
    res.json({ items: await deps.store.sourceStatuses() });
  });
  router.post('/metadata-sources/sync', async (req, res) => {
    const credentials = await deps.httpAuth.credentials(req);
    await authorizeOne(deps.permissions, lakehouseSyncPermission, credentials);
    // Through the scheduler, so it runs once even with several replicas.
    await deps.scheduler.triggerTask(METADATA_SYNC_TASK_ID);
    res.status(202).json({ status: 'triggered' });
  });
  return router;
}
