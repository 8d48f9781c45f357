import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { AccessAuditEntry } from '@lakeport/plugin-lakehouse-common';
import express from 'express';
import Router from 'express-promise-router';
import { single } from '../http/queryParams';
import { AccessService } from './AccessService';

const CSV_COLUMNS: Array<keyof AccessAuditEntry> = [
  'at',
  'datasetId',
  'requestId',
  'grantId',
  'actor',
  'action',
  'fromStatus',
  'toStatus',
  'comment',
];

function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  // Quote everything that needs it; neutralise spreadsheet formulas.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text
    ? `"${safe.replace(/"/g, '""')}"`
    : safe;
}

/** HTTP only: requests, decisions, grants, revokes, the audit trail. */
export function createAccessRouter(deps: {
  service: AccessService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { service, httpAuth } = deps;
  const router = Router();
  const body = express.json({ limit: '100kb' });
  const user = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'] });
  const required = (req: express.Request, name: string) => {
    const value = single(req, name);
    if (!value) throw new InputError(`Query parameter ${name} is required`);
    return value;
  };

  router.post('/access/requests', body, async (req, res) => {
    res.status(201).json(await service.create(req.body, await user(req)));
  });

  router.get('/access/requests', async (req, res) => {
    res.json(
      await service.list(
        {
          mine: single(req, 'mine') === 'true',
          reviewable: single(req, 'reviewable') === 'true',
          datasetId: single(req, 'datasetId'),
        },
        await user(req),
      ),
    );
  });

  router.get('/access/requests/:id', async (req, res) => {
    res.json(await service.get(req.params.id, await user(req)));
  });

  router.post('/access/requests/:id/decision', body, async (req, res) => {
    res.json(await service.decide(req.params.id, req.body, await user(req)));
  });

  router.post('/access/requests/:id/cancel', async (req, res) => {
    res.json(await service.cancel(req.params.id, await user(req)));
  });

  router.post('/access/requests/:id/retry', async (req, res) => {
    res.json(await service.retry(req.params.id, await user(req)));
  });

  router.get('/access/grants', async (req, res) => {
    res.json(await service.grants(required(req, 'datasetId'), await user(req)));
  });

  router.post('/access/grants/:id/revoke', body, async (req, res) => {
    res.json(await service.revoke(req.params.id, req.body, await user(req)));
  });

  router.get('/access/audit', async (req, res) => {
    const datasetId = required(req, 'datasetId');
    const entries = await service.auditTrail(datasetId, await user(req));
    if (single(req, 'format') === 'csv') {
      const lines = [
        CSV_COLUMNS.join(','),
        ...entries.map(e => CSV_COLUMNS.map(c => csvCell(e[c])).join(',')),
      ];
      res
        .type('text/csv')
        .attachment(`access-audit-${datasetId.split(':').pop()}.csv`)
        .send(`${lines.join('\r\n')}\r\n`);
      return;
    }
    res.json({ items: entries });
  });

  return router;
}
