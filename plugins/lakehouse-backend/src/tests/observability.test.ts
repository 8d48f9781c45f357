import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { lakeportTestDatabaseIds } from '@lakeport/test-utils';
import { metrics } from '@opentelemetry/api';
import {
  PrometheusExporter,
  PrometheusSerializer,
} from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Knex } from 'knex';
import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { startLakehouseTestBackend } from '../__testUtils__/lakehouseTestBackend';
import {
  asUser,
  sampleLakehouseForTest,
  syncAndWaitFor,
  waitFor,
} from '../__testUtils__/lakehouseTests';
import { readDataHealth } from '../observability/dataHealth';

/**
 * The portal's metrics as Prometheus reads them: the OpenTelemetry SDK with
 * its Prometheus exporter set up before the backend starts (as
 * packages/backend/src/instrumentation.js does), the lakehouse plugin on
 * the sample lakehouse, real traffic, and the exporter's text parsed.
 */
const databases = TestDatabases.create({ ids: lakeportTestDatabaseIds() });
const contracts = path.resolve(__dirname, '../../../../catalog-info/contracts');
const OWNERSHIP: Record<string, string[]> = {
  'user:default/marcus': ['user:default/marcus', 'group:default/data-platform'],
  'user:default/olga': ['user:default/olga', 'group:default/customers-data'],
  'user:default/ana': ['user:default/ana', 'group:default/data-science'],
};
const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';
const WEB_EVENTS = 'dataset:lakeport:customers.raw.web_events';
const enc = encodeURIComponent;

let exporter: PrometheusExporter;

/**
 * A fresh SDK for each backend (before it starts, as instrumentation.js
 * is loaded before the portal), so one database's backend does not count
 * in the other's figures.
 */
function freshMetricsSdk() {
  metrics.disable();
  exporter = new PrometheusExporter({ preventServerStart: true });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** What a scrape would read now, parsed. */
async function scrape(): Promise<Sample[]> {
  const { resourceMetrics } = await exporter.collect();
  // The exporter's own serializer, as /metrics answers.
  const text = new PrometheusSerializer().serialize(resourceMetrics);
  return text
    .split('\n')
    .filter(l => l && !l.startsWith('#'))
    .map(line => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line)!;
      const labels: Record<string, string> = {};
      for (const [, k, v] of (m[2] ?? '').matchAll(
        /(\w+)="((?:[^"\\]|\\.)*)"/g,
      ))
        labels[k] = v;
      return { name: m[1], labels, value: Number(m[3]) };
    });
}

const find = (
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
) =>
  samples.filter(
    s =>
      s.name === name &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );

describe.each(databases.eachSupportedId())('metrics on %s', databaseId => {
  let tmp: string;
  let knex: Knex;
  let server: any;
  const sent: NotificationSendOptions[] = [];
  const get = (url: string, user = 'ana') =>
    request(server).get(url).set(asUser(user));

  beforeAll(async () => {
    freshMetricsSdk();
    const sample = await sampleLakehouseForTest('lakeport-metrics-');
    tmp = sample.tmp;
    knex = await databases.init(databaseId);
    ({ server } = await startLakehouseTestBackend({
      knex,
      root: sample.root,
      contractsDirectory: contracts,
      ownership: OWNERSHIP,
      sent,
      lakeport: { metrics: { dataHealthIntervalSeconds: 1 } },
    }));
    await syncAndWaitFor(server, CUSTOMERS, 120_000);
  }, 180_000);

  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('counts lineage events by outcome with their ingest latency', async () => {
    const event = {
      eventType: 'COMPLETE',
      eventTime: '2026-11-20T10:00:00.000Z',
      producer: 'https://example.com/metrics-test',
      schemaURL:
        'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: '3b8f3c1e-5a1d-4c59-9a4e-3f1c2d4e5f61' },
      job: { namespace: 'tests', name: `metrics_${databaseId}` },
      inputs: [{ namespace: 'lakeport', name: 'customers.curated.customers' }],
      outputs: [],
    };
    const post = (body: object) =>
      request(server)
        .post('/api/lakehouse/lineage/api/v1/lineage')
        .set({ Authorization: mockCredentials.service.header() })
        .send(body);
    const before = await scrape();
    const count = (s: Sample[], outcome: string) =>
      find(s, 'lakeport_lineage_events_total', { outcome })[0]?.value ?? 0;
    expect((await post(event)).status).toBe(201);
    expect((await post(event)).status).toBe(200);
    expect((await post({ ...event, eventType: 'FINISHED' })).status).toBe(400);
    const after = await scrape();
    expect(count(after, 'accepted') - count(before, 'accepted')).toBe(1);
    expect(count(after, 'duplicate') - count(before, 'duplicate')).toBe(1);
    expect(count(after, 'rejected') - count(before, 'rejected')).toBe(1);
    expect(
      find(after, 'lakeport_lineage_ingest_duration_seconds_count', {
        outcome: 'accepted',
      })[0].value,
    ).toBeGreaterThanOrEqual(1);
    // The engine's sync is a source too.
    expect(
      find(after, 'lakeport_source_syncs_total', {
        kind: 'lakehouse',
        outcome: 'ok',
      })[0].value,
    ).toBeGreaterThanOrEqual(1);
  });

  it('exports each dataset’s freshness and quality as the Datasets page and My data health show them, and the access backlog', async () => {
    // A manual quality run of the customers table, by its owner.
    const started = await request(server)
      .post('/api/lakehouse/quality/runs')
      .set(asUser('olga'))
      .send({ datasetId: CUSTOMERS });
    expect(started.status).toBe(202);
    // (It may be a scheduled run already queued for the table.)
    const run = await waitFor(async () => {
      const res = await get(`/api/lakehouse/quality/runs/${started.body.id}`);
      return res.body.status === 'completed' ? res.body : undefined;
    }, 'the run');
    // Ana asks for the masked columns of customers: waiting for its owners.
    const asked = await request(server)
      .post('/api/lakehouse/access/requests')
      .set(asUser('ana'))
      .send({
        datasetId: CUSTOMERS,
        columns: ['email'],
        purpose: 'Churn features',
        justification: 'Email domains for the churn model',
        durationDays: 30,
      });
    expect(asked.status).toBe(201);

    // The figures are read every second: wait for one read after the above.
    const since = Date.now();
    let samples: Sample[] = [];
    await waitFor(async () => {
      samples = await scrape();
      const age = find(samples, 'lakeport_data_health_age_seconds')[0]?.value;
      return age !== undefined && age * 1000 < Date.now() - since
        ? true
        : undefined;
    }, 'a data-health read after the traffic');

    // Freshness: every dataset series agrees with its page.
    const stale = find(samples, 'lakeport_dataset_stale');
    expect(stale.length).toBeGreaterThan(3);
    for (const s of stale) {
      const id = `dataset:${s.labels.namespace}:${s.labels.dataset}`;
      const page = (await get(`/api/lakehouse/datasets/${enc(id)}`)).body;
      expect([id, s.value]).toEqual([
        id,
        page.freshness.status === 'stale' ? 1 : 0,
      ]);
      expect(s.labels.owner).toBe(page.owner ?? '(none)');
    }
    // The seeded stale table is stale in both.
    expect(
      find(samples, 'lakeport_dataset_stale', {
        dataset: 'customers.raw.web_events',
      })[0].value,
    ).toBe(1);
    const webPage = (await get(`/api/lakehouse/datasets/${enc(WEB_EVENTS)}`))
      .body;
    expect(webPage.freshness.status).toBe('stale');
    expect(
      find(samples, 'lakeport_dataset_freshness_age_seconds', {
        dataset: 'customers.raw.web_events',
      })[0].value / 3600,
    ).toBeCloseTo(webPage.freshness.ageHours, 0);

    // Quality: the score and failing error checks of My data health.
    const health = (await get('/api/lakehouse/quality/health', 'olga')).body
      .items;
    const mine = health.find((h: any) => h.datasetId === CUSTOMERS);
    expect(
      find(samples, 'lakeport_dataset_quality_score', {
        dataset: 'customers.curated.customers',
      })[0].value,
    ).toBeCloseTo(mine.score, 5);
    const failing = find(
      samples,
      'lakeport_dataset_quality_failing_error_checks',
      { dataset: 'customers.curated.customers' },
    )[0].value;
    expect(failing > 0).toBe(mine.health === 'failing');
    expect(
      find(samples, 'lakeport_quality_runs_total', {
        trigger: run.trigger,
        result: mine.health,
      })[0].value,
    ).toBeGreaterThanOrEqual(1);

    // Aggregates count every monitored dataset of a domain and owner.
    const customers = find(samples, 'lakeport_datasets_monitored', {
      domain: 'customers',
      owner: 'group:default/customers-data',
    })[0].value;
    expect(customers).toBe(
      find(samples, 'lakeport_dataset_stale', {
        domain: 'customers',
        owner: 'group:default/customers-data',
      }).length,
    );
    expect(
      find(samples, 'lakeport_data_health_datasets_omitted')[0].value,
    ).toBe(0);

    // Access: Ana's request waits for customers-data.
    expect(
      find(samples, 'lakeport_access_requests_waiting', {
        reviewer: 'group:default/customers-data',
      })[0].value,
    ).toBe(1);
    expect(
      find(samples, 'lakeport_access_requests', { status: 'requested' })[0]
        .value,
    ).toBe(1);
    expect(
      find(samples, 'lakeport_access_requests', { status: 'denied' })[0].value,
    ).toBe(0);

    // No series is labelled with a user or a raw URL.
    for (const s of samples)
      for (const v of Object.values(s.labels))
        expect(v).not.toMatch(/^user:|\?/);
  }, 120_000);

  it('keeps series for at most the cap, the least healthy first, and every dataset in the aggregates', async () => {
    const all = await readDataHealth(knex, {
      cap: 100_000,
      stewardGroups: [],
    });
    const capped = await readDataHealth(knex, { cap: 2, stewardGroups: [] });
    expect(capped.datasets).toHaveLength(2);
    expect(capped.omitted).toBe(all.datasets.length - 2);
    expect(capped.aggregates).toEqual(all.aggregates);
    expect(capped.datasets.map(d => d.dataset)).toContain(
      'customers.raw.web_events',
    );
  });
});
