import { ConfigReader } from '@backstage/config';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import express from 'express';
import { AddressInfo } from 'node:net';
import { configureMetrics } from './metricsEndpoint';

/** The backend's root router with the metrics configured, on a free port. */
async function serve(lakeport: object) {
  const app = express();
  configureMetrics({
    app,
    config: new ConfigReader({ lakeport }),
    applyDefaults: () => {
      app.get('/api/lakehouse/datasets/:id', (_req, res) => {
        res.json({});
      });
    },
  } as any);
  const server = app.listen(0);
  await new Promise(r => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => server.close() };
}

describe('/metrics', () => {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  beforeAll(() => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
    (globalThis as any)[Symbol.for('lakeport.prometheusExporter')] = exporter;
  });

  it('needs the configured bearer token, and is refused without one unless development allows it', async () => {
    const secured = await serve({ metrics: { token: 's3cret' } });
    try {
      expect((await fetch(`${secured.base}/metrics`)).status).toBe(401);
      expect(
        (
          await fetch(`${secured.base}/metrics`, {
            headers: { authorization: 'Bearer wrong!' },
          })
        ).status,
      ).toBe(401);
      const ok = await fetch(`${secured.base}/metrics`, {
        headers: { authorization: 'Bearer s3cret' },
      });
      expect(ok.status).toBe(200);
    } finally {
      secured.close();
    }
    const unset = await serve({});
    try {
      expect((await fetch(`${unset.base}/metrics`)).status).toBe(403);
    } finally {
      unset.close();
    }
  });

  it('times requests by plugin and route template, never the raw URL', async () => {
    const dev = await serve({ metrics: { allowAnonymous: true } });
    try {
      await fetch(
        `${dev.base}/api/lakehouse/datasets/dataset%3Alakeport%3Aa.b.c`,
      );
      await fetch(`${dev.base}/nowhere?user=ana`);
      const text = await (await fetch(`${dev.base}/metrics`)).text();
      expect(text).toContain(
        'lakeport_http_server_request_duration_seconds_count{plugin="lakehouse",route="/api/lakehouse/datasets/:id",method="GET",status="200"',
      );
      expect(text).toContain('route="unmatched",method="GET",status="404"');
      expect(text).not.toMatch(/a\.b\.c|user=ana/);
    } finally {
      dev.close();
    }
  });
});
