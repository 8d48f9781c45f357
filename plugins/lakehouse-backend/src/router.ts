import express from 'express';
import Router from 'express-promise-router';

/** Mounts the domain routers; each stays thin and HTTP-only. */
export function createRouter(routers: express.Router[]): express.Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  for (const domain of routers) router.use(domain);
  return router;
}
