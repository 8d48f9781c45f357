import {
  HttpAuthService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  DatasetStreamView,
  lakehouseDatasetReadPermission,
  lakehouseSyncPermission,
  parseAssetId,
} from '@lakeport/plugin-lakehouse-common';
import express from 'express';
import Router from 'express-promise-router';
import { authorizeOne } from '../permissions/authorize';
import { StreamStore } from './StreamStore';
import { TopicService } from './TopicService';

export const STREAM_SYNC_TASK_ID = 'lakehouse-stream-sync';

/**
 * `GET /datasets/:id/stream` (a topic's partitions, retention, consumers and
 * their lag; dataset read permission), `POST /streams/sync` (refresh the
 * clusters now, platform admins) and `POST /streams/topics` (a new topic
 * with its contract: CreateTopicRequest → 201 CreatedTopic).
 */
export function createStreamsRouter(deps: {
  streams: StreamStore;
  topics: TopicService;
  sourceState: (
    sourceId: string,
  ) => Promise<
    | { lastSuccessAt?: string; error?: { message: string; at: string } }
    | undefined
  >;
  kindOf: (sourceId: string) => string;
  /** A consumer group at or under this lag keeps up. */
  maxLag: number;
  scheduler: SchedulerService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
}): express.Router {
  const router = Router();
  router.get('/datasets/:id/stream', async (req, res) => {
    const id = req.params.id;
    try {
      parseAssetId(id);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    const credentials = await deps.httpAuth.credentials(req);
    await authorizeOne(
      deps.permissions,
      lakehouseDatasetReadPermission,
      credentials,
      id,
    );
    const figures = await deps.streams.get(id);
    if (!figures) throw new NotFoundError(`${id} is not a known stream`);
    const state = await deps.sourceState(figures.sourceId);
    const view: DatasetStreamView = {
      datasetId: id,
      sourceId: figures.sourceId,
      kind: deps.kindOf(figures.sourceId),
      partitions: figures.partitions,
      replicationFactor: figures.replicationFactor,
      retentionMs: figures.retentionMs,
      messages: figures.messages,
      consumers: figures.consumers.map(c => ({
        ...c,
        keepingUp: c.lag <= deps.maxLag,
      })),
      observedAt: figures.observedAt,
      refreshedAt: state?.lastSuccessAt,
      sourceError: state?.error,
    };
    res.json(view);
  });
  router.post('/streams/sync', async (req, res) => {
    const credentials = await deps.httpAuth.credentials(req);
    await authorizeOne(deps.permissions, lakehouseSyncPermission, credentials);
    // Through the scheduler, so it runs once even with several replicas.
    await deps.scheduler.triggerTask(STREAM_SYNC_TASK_ID);
    res.status(202).json({ status: 'triggered' });
  });
  router.post(
    '/streams/topics',
    express.json({ limit: '1mb' }),
    async (req, res) => {
      const credentials = await deps.httpAuth.credentials(req);
      res.status(201).json(await deps.topics.create(req.body, credentials));
    },
  );
  return router;
}
