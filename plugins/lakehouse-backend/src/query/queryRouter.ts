import { HttpAuthService } from '@backstage/backend-plugin-api';
import { tableToIPC } from 'apache-arrow';
import express from 'express';
import Router from 'express-promise-router';
import { QueryService } from './QueryService';
import { toArrowTable } from './arrowTable';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/**
 * `POST /query` `{ sql, limit }`: rows as JSON, or as an Arrow IPC stream
 * when asked for with `Accept: application/vnd.apache.arrow.stream` (then
 * the datasets read and the masked columns are in the
 * `X-Lakeport-Datasets` and `X-Lakeport-Masked` headers). A client that
 * goes away cancels its query.
 */
export function createQueryRouter(deps: {
  service: QueryService;
  httpAuth: HttpAuthService;
}): express.Router {
  const router = Router();
  router.post('/query', express.json({ limit: '256kb' }), async (req, res) => {
    const credentials = await deps.httpAuth.credentials(req);
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const result = await deps.service.run(
      req.body,
      credentials,
      controller.signal,
    );
    if (req.accepts(['application/json', ARROW_STREAM]) === ARROW_STREAM) {
      const bytes = tableToIPC(toArrowTable(result), 'stream');
      res
        .status(200)
        .type(ARROW_STREAM)
        .set('X-Lakeport-Datasets', JSON.stringify(result.datasets))
        .set('X-Lakeport-Masked', JSON.stringify(result.masked))
        .set('X-Lakeport-Truncated', String(result.truncated))
        .send(Buffer.from(bytes));
      return;
    }
    res.json(result);
  });
  return router;
}
