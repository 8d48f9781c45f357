import type { RootHttpRouterConfigureContext } from '@backstage/backend-defaults/rootHttpRouter';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { metrics } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';

const exporter = () =>
  (globalThis as any)[Symbol.for('lakeport.prometheusExporter')] as
    | PrometheusExporter
    | undefined;

/** `/api/<plugin>/…`: the plugin; anything else (the app, health) is `-`. */
function pluginOf(path: string) {
  return /^\/api\/([^/]+)/.exec(path)?.[1] ?? '-';
}

/**
 * Request duration by plugin, route template, method and status, recorded
 * when the response is sent. The route is Express's matched template
 * (`/api/lakehouse/datasets/:id`), never the raw URL, so the label set is
 * bounded by the code; requests that matched no route count as `unmatched`.
 */
function httpMetrics() {
  const duration = metrics
    .getMeter('lakeport-http')
    .createHistogram('lakeport.http.server.request_duration_seconds', {
      description: 'Duration of HTTP requests the backend answered',
      advice: {
        explicitBucketBoundaries: [
          0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
        ],
      },
    });
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const path = req.path;
    res.once('finish', () => {
      const route = req.route?.path;
      duration.record(Number(process.hrtime.bigint() - started) / 1e9, {
        plugin: pluginOf(path),
        route:
          typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched',
        method: req.method,
        status: String(res.statusCode),
      });
    });
    next();
  };
}

/**
 * `/metrics` in Prometheus text: everything recorded through OpenTelemetry
 * (src/instrumentation.js). A scraper sends `lakeport.metrics.token` as a
 * bearer token; without a token configured the endpoint refuses, unless
 * `lakeport.metrics.allowAnonymous` (development config only) says otherwise.
 */
export function configureMetrics(ctx: RootHttpRouterConfigureContext) {
  const { app, config, applyDefaults } = ctx;
  const token = config.getOptionalString('lakeport.metrics.token');
  const anonymous =
    config.getOptionalBoolean('lakeport.metrics.allowAnonymous') ?? false;
  app.use(httpMetrics());
  app.get('/metrics', (req, res) => {
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const allowed = token
      ? given !== undefined &&
        given.length === token.length &&
        timingSafeEqual(Buffer.from(given), Buffer.from(token))
      : anonymous;
    if (!allowed) {
      res
        .status(token ? 401 : 403)
        .type('text/plain')
        .send(
          token
            ? 'Send the metrics token as a bearer token (lakeport.metrics.token)'
            : 'Metrics need lakeport.metrics.token (or allowAnonymous in development)',
        );
      return;
    }
    const prometheus = exporter();
    if (!prometheus) {
      res
        .status(503)
        .type('text/plain')
        .send(
          'Metrics are off: start the backend with --require ./src/instrumentation.js',
        );
      return;
    }
    prometheus.getMetricsRequestHandler(req, res);
  });
  applyDefaults();
}
