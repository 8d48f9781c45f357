import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  LINEAGE_DIRECTIONS,
  LineageDirection,
} from '@lakeport/plugin-lakehouse-common';
import express from 'express';
import Router from 'express-promise-router';
import { LineageService, MAX_NODE_LIMIT } from './LineageService';
import { integer, single } from '../http/queryParams';

const MAX_DEPTH = 20;

function required(req: express.Request, name: string): string {
  const value = single(req, name);
  if (!value) throw new InputError(`Query parameter ${name} is required`);
  return value;
}

function bounded(
  req: express.Request,
  name: string,
  min: number,
  max: number,
  fallback: number,
) {
  return integer(req, name, min, max) ?? fallback;
}

function choice<T extends string>(
  req: express.Request,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = single(req, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(
      `Query parameter ${name} must be one of ${allowed.join(
        ', ',
      )}, got "${value}"`,
    );
  }
  return value as T;
}

function flag(req: express.Request, name: string, fallback: boolean) {
  const value = single(req, name);
  if (value === undefined) return fallback;
  return choice(req, name, ['true', 'false'], 'false') === 'true';
}

function direction(req: express.Request): LineageDirection {
  return choice(req, 'direction', LINEAGE_DIRECTIONS, 'both');
}

/** HTTP only: the OpenLineage receiver, dbt import and graph queries. */
export function createLineageRouter(deps: {
  service: LineageService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { service, httpAuth } = deps;
  const router = Router();
  const events = express.json({ limit: '5mb' });
  const manifests = express.json({ limit: '200mb' });

  // OpenLineage HTTP transport: producers set url to .../api/lakehouse/lineage
  // and keep the default endpoint api/v1/lineage. Clients join the two
  // differently: the Python client like URLs (urljoin drops the last path
  // segment: .../api/lakehouse/api/v1/lineage), the Java client (Spark,
  // Flink) posts to the url itself when it has a path (.../lineage), others
  // append (.../lineage/api/v1/lineage). All three are the same receiver.
  // Who may write is checked before a byte of the body is parsed.
  const mayWrite = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await service.authorizeWrite(credentials);
    return 'next' as const;
  };

  router.post(
    ['/lineage', '/lineage/api/v1/lineage', '/api/v1/lineage'],
    mayWrite,
    events,
    async (req, res) => {
      const result = await service.ingest(req.body);
      res.status(result.status === 'accepted' ? 201 : 200).json(result);
    },
  );

  router.post('/lineage/dbt', mayWrite, manifests, async (req, res) => {
    res.status(201).json(await service.importDbt(req.body));
  });

  router.get('/lineage/graph', async (req, res) => {
    const query = {
      node: required(req, 'node'),
      direction: direction(req),
      depth: bounded(req, 'depth', 1, MAX_DEPTH, 2),
      limit: bounded(req, 'limit', 1, MAX_NODE_LIMIT, 500),
      unfinished: flag(req, 'unfinished', false),
      groupByParent:
        choice(req, 'group', ['parent', 'none'], 'parent') === 'parent',
    };
    res.json(await service.graph(query, await httpAuth.credentials(req)));
  });

  router.get('/lineage/columns', async (req, res) => {
    const query = {
      node: required(req, 'node'),
      column: single(req, 'column') || undefined,
      direction: direction(req),
      depth: bounded(req, 'depth', 1, MAX_DEPTH, 5),
      limit: bounded(req, 'limit', 1, MAX_NODE_LIMIT * 4, 2000),
    };
    res.json(await service.columns(query, await httpAuth.credentials(req)));
  });

  router.get('/lineage/impact', async (req, res) => {
    res.json(
      await service.impact(
        required(req, 'node'),
        await httpAuth.credentials(req),
      ),
    );
  });

  router.get('/lineage/classifications', async (req, res) => {
    res.json(
      await service.classifications(
        required(req, 'node'),
        await httpAuth.credentials(req),
      ),
    );
  });

  // A steward's confirmation that a derived classification does not apply.
  router.post(
    '/lineage/classifications/confirmations',
    express.json(),
    async (req, res) => {
      const body = req.body ?? {};
      const text = (name: string) => {
        const value = body[name];
        if (typeof value !== 'string' || !value.trim()) {
          throw new InputError(`${name}: is required (a non-empty string)`);
        }
        return value.trim();
      };
      const input = {
        datasetId: text('datasetId'),
        column: text('column'),
        reason: text('reason'),
      };
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      res
        .status(201)
        .json(await service.confirmNotSensitive(input, credentials));
    },
  );

  router.post(
    '/lineage/classifications/confirmations/:id/revoke',
    express.json(),
    async (req, res) => {
      const reason = req.body?.reason;
      if (reason !== undefined && typeof reason !== 'string') {
        throw new InputError('reason: must be a string');
      }
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      res.json(
        await service.revokeConfirmation(
          req.params.id,
          reason?.trim() || undefined,
          credentials,
        ),
      );
    },
  );

  router.get('/lineage/classifications/confirmations', async (req, res) => {
    res.json({
      items: await service.confirmations(
        required(req, 'datasetId'),
        await httpAuth.credentials(req),
      ),
    });
  });

  router.get('/lineage/runs/:runId', async (req, res) => {
    res.json(
      await service.run(req.params.runId, await httpAuth.credentials(req)),
    );
  });

  return router;
}
