import express from 'express';
import Router from 'express-promise-router';

/** Mounts the domain routers; each stays thin and HTTP-only. */
export function createRouter(routers: express.Router[]): express.Router {
  const router = Router();
  const json = express.json({ limit: '1mb' });
  // Lineage routes parse their own, larger bodies (events, dbt manifests).
  router.use((req, res, next) =>
    req.path.startsWith('/lineage/') || req.path === '/api/v1/lineage'
      ? next()
      : json(req, res, next),
  );
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  for (const domain of routers) router.use(domain);
  return router;
}
