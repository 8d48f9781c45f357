import { expect, test } from '@playwright/test';
import { startPrometheus } from '@lakeport/test-utils';
import fs from 'node:fs/promises';
import path from 'node:path';
import { call, cancelOpenRequests, revokeGrants } from './portalApi';

const repo = path.resolve(__dirname, '../../..');
const CUSTOMERS = 'dataset:lakeport:customers.curated.customers';
const WEB_EVENTS = 'dataset:lakeport:customers.raw.web_events';
const LINEAGE_URL =
  'http://localhost:7007/api/lakehouse/lineage/api/v1/lineage';
const LINEAGE_KEY = 'lakeport-dev-openlineage-token';
const enc = encodeURIComponent;

async function postLineage(body: object) {
  return fetch(LINEAGE_URL, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${LINEAGE_KEY}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

/** Every PromQL expression of the dashboard's panels. */
async function dashboardQueries(): Promise<
  Array<{ panel: string; expr: string }>
> {
  const dashboard = JSON.parse(
    await fs.readFile(
      path.join(repo, 'observability/grafana/dashboards/lakeport.json'),
      'utf8',
    ),
  );
  return dashboard.panels.flatMap((p: any) =>
    (p.targets ?? []).map((t: any) => ({ panel: p.title, expr: t.expr })),
  );
}

test.afterAll(async () => {
  await cancelOpenRequests('ana', CUSTOMERS);
});

/**
 * A real Prometheus (the Debian package) scrapes the portal the test
 * command started, with the repo's alerting rules; after some traffic
 * (lineage posts, a quality run, an access request) every query of the
 * Grafana dashboard returns data, every rule evaluates, and the data
 * health it holds is what the Datasets page says.
 */
test('Prometheus scrapes the portal: every dashboard query returns data, every alert rule evaluates, data health matches the portal', async () => {
  test.setTimeout(6 * 60_000);
  const prometheus = await startPrometheus({
    targets: ['localhost:7007'],
    intervalSeconds: 5,
  });
  try {
    // Traffic: a lineage event accepted, one refused.
    const runId = crypto.randomUUID();
    const event = {
      eventType: 'COMPLETE',
      eventTime: new Date().toISOString(),
      producer: 'https://lakeport.dev/tests/observability',
      schemaURL:
        'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId },
      job: { namespace: 'tests', name: 'observability_probe' },
      inputs: [{ namespace: 'lakeport', name: 'customers.curated.customers' }],
      outputs: [],
    };
    expect((await postLineage(event)).status).toBe(201);
    expect(
      (await postLineage({ ...event, eventType: 'FINISHED' })).status,
    ).toBe(400);
    // A quality run by the owners, and an access request that waits for them.
    await call('chloe', 'POST', '/lakehouse/quality/runs', {
      datasetId: CUSTOMERS,
    });
    await revokeGrants('chloe', CUSTOMERS, 'user:default/ana');
    await cancelOpenRequests('ana', CUSTOMERS);
    await call('ana', 'POST', '/lakehouse/access/requests', {
      datasetId: CUSTOMERS,
      columns: ['email'],
      purpose: 'Observability test',
      justification: 'Waiting in the backlog the dashboard shows',
      durationDays: 7,
    });

    // Prometheus has seen the refused event and the waiting request.
    await expect
      .poll(
        async () =>
          Number(
            (
              await prometheus.query(
                'sum(lakeport_lineage_events_total{outcome="rejected"})',
              )
            )[0]?.value[1] ?? 0,
          ),
        { timeout: 120_000, intervals: [2000] },
      )
      .toBeGreaterThan(0);
    await expect
      .poll(
        async () =>
          (
            await prometheus.query(
              'max without (instance, otel_scope_name) (lakeport_access_requests_waiting{reviewer="group:default/customers-data"})',
            )
          ).length,
        { timeout: 150_000, intervals: [2000] },
      )
      .toBe(1);

    // Every query of the dashboard returns data.
    const empty: string[] = [];
    for (const { panel, expr } of await dashboardQueries())
      if (!(await prometheus.query(expr)).length)
        empty.push(`${panel}: ${expr}`);
    expect(empty).toEqual([]);

    // Every alert rule has been evaluated without an error.
    await expect
      .poll(
        async () => {
          const res = await (
            await fetch(`${prometheus.url}/api/v1/rules`)
          ).json();
          const rules = res.data.groups.flatMap((g: any) => g.rules);
          return {
            count: rules.length,
            notOk: rules
              .filter(
                (r: any) =>
                  r.health !== 'ok' || r.lastEvaluation.startsWith('0001'),
              )
              .map((r: any) => `${r.name}: ${r.health} ${r.lastError ?? ''}`),
          };
        },
        { timeout: 60_000, intervals: [2000] },
      )
      .toEqual({ count: 11, notOk: [] });

    // The seeded stale table is stale in Prometheus and on its page.
    const stale = await prometheus.query(
      'max without (instance, otel_scope_name) (lakeport_dataset_stale{dataset="customers.raw.web_events"})',
    );
    expect(stale.map(s => s.value[1])).toEqual(['1']);
    const page = await call(
      'ana',
      'GET',
      `/lakehouse/datasets/${enc(WEB_EVENTS)}`,
    );
    expect(page.freshness.status).toBe('stale');
    // And the quality score is the scorecard's (once a read follows the run).
    await expect
      .poll(
        async () => {
          const scorecard = await call(
            'ana',
            'GET',
            `/lakehouse/quality/scorecards/${enc(CUSTOMERS)}`,
          );
          const [score] = await prometheus.query(
            'max without (instance, otel_scope_name) (lakeport_dataset_quality_score{dataset="customers.curated.customers"})',
          );
          return Math.abs(Number(score?.value[1]) - scorecard.score) < 1e-3;
        },
        { timeout: 150_000, intervals: [5000] },
      )
      .toBe(true);
  } finally {
    await prometheus.stop();
  }
});
