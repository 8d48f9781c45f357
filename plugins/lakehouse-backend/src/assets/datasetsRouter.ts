import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  CLASSIFICATIONS,
  DATASET_SORTS,
  QUALITY_GRADES,
  DatasetSort,
  ListDatasetsQuery,
  parseAssetId,
} from '@lakeport/plugin-lakehouse-common';
import express from 'express';
import Router from 'express-promise-router';
import { decodeCursor } from './DatasetStore';
import { DatasetService } from './DatasetService';
import { integer, single } from '../http/queryParams';

/** A multi-valued query parameter (repeated, or comma-separated). */
export function list(req: express.Request, name: string): string[] | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap(v =>
    String(v).split(','),
  );
  const clean = values.map(v => v.trim()).filter(Boolean);
  return clean.length ? clean : undefined;
}

export function parseListQuery(req: express.Request): ListDatasetsQuery {
  const classification = list(req, 'classification');
  const unknown = classification?.filter(
    c => !(CLASSIFICATIONS as readonly string[]).includes(c),
  );
  if (unknown?.length) {
    throw new InputError(
      `Unknown classification ${unknown.join(', ')}: use ${CLASSIFICATIONS.join(
        ', ',
      )}`,
    );
  }
  const grade = list(req, 'grade')?.map(g => g.toUpperCase());
  const unknownGrade = grade?.filter(
    g => !(QUALITY_GRADES as readonly string[]).includes(g),
  );
  if (unknownGrade?.length) {
    throw new InputError(
      `Unknown grade ${unknownGrade.join(', ')}: use ${QUALITY_GRADES.join(
        ', ',
      )}`,
    );
  }
  const sort = single(req, 'sort');
  if (sort && !(DATASET_SORTS as readonly string[]).includes(sort)) {
    throw new InputError(
      `Unknown sort "${sort}": use ${DATASET_SORTS.join(', ')}`,
    );
  }
  const order = single(req, 'order');
  if (order && order !== 'asc' && order !== 'desc') {
    throw new InputError(
      `Query parameter order must be asc or desc, got "${order}"`,
    );
  }
  const cursor = single(req, 'cursor');
  try {
    decodeCursor(cursor);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  const include = list(req, 'include');
  if (include?.some(i => i !== 'columns')) {
    throw new InputError(`Unknown include "${include.join(',')}": use columns`);
  }
  const q = single(req, 'q');
  if (q && q.length > 200)
    throw new InputError('Query parameter q is longer than 200 characters');
  return {
    q,
    domain: list(req, 'domain'),
    owner: list(req, 'owner'),
    classification,
    tag: list(req, 'tag'),
    layer: list(req, 'layer'),
    grade,
    sort: sort as DatasetSort | undefined,
    order: order as 'asc' | 'desc' | undefined,
    limit: integer(req, 'limit', 1, 100),
    cursor,
    includeRemoved: single(req, 'includeRemoved') === 'true',
    include: include as Array<'columns'> | undefined,
  };
}

function datasetId(req: express.Request): string {
  const id = req.params.id;
  try {
    const ref = parseAssetId(id);
    if (ref.kind !== 'dataset')
      throw new TypeError(`"${id}" is a ${ref.kind}, not a dataset`);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  return id;
}

/** HTTP only: parse, call the service, answer. */
export function createDatasetsRouter(deps: {
  service: DatasetService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { service, httpAuth } = deps;
  const router = Router();

  router.get('/datasets', async (req, res) => {
    const query = parseListQuery(req);
    res.json(await service.list(query, await httpAuth.credentials(req)));
  });

  router.get('/datasets/:id', async (req, res) => {
    res.json(
      await service.get(datasetId(req), await httpAuth.credentials(req)),
    );
  });

  router.get('/datasets/:id/access', async (req, res) => {
    res.json(
      await service.myAccess(datasetId(req), await httpAuth.credentials(req)),
    );
  });

  router.get('/datasets/:id/preview', async (req, res) => {
    const limit = integer(req, 'limit', 1, 100) ?? 20;
    res.json(
      await service.preview(
        datasetId(req),
        limit,
        await httpAuth.credentials(req),
      ),
    );
  });

  return router;
}
