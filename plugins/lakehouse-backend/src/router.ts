import express from 'express';
import Router from 'express-promise-router';

/**
 * Mounts the domain routers; each stays thin and HTTP-only, and parses the
 * request bodies it takes itself, with a size limit that fits them (after
 * checking the caller, see the lineage router).
 */
export function createRouter(routers: express.Router[]): express.Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  for (const domain of routers) router.use(domain);
  return router;
}
