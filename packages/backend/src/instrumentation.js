// Loaded before the backend (`node --require`, see package.json and the
// Dockerfile): the OpenTelemetry metrics SDK with a Prometheus exporter.
// Metrics must be set up before any plugin asks for a meter: the
// OpenTelemetry API has no stand-in that starts recording later. Plugins
// record through Backstage's MetricsService (the scheduler's task runs, the
// lakehouse's own metrics); the backend serves the exporter's text at
// /metrics on its own port (src/metricsEndpoint.ts), so replicas on one host
// need no second port each.
const { metrics } = require('@opentelemetry/api');
const { MeterProvider } = require('@opentelemetry/sdk-metrics');
const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const os = require('node:os');

const exporter = new PrometheusExporter({ preventServerStart: true });
metrics.setGlobalMeterProvider(
  new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': 'lakeport',
      'service.instance.id': `${os.hostname()}:${process.pid}`,
    }),
    readers: [exporter],
  }),
);
globalThis[Symbol.for('lakeport.prometheusExporter')] = exporter;
