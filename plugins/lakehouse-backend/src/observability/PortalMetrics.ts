import type { MetricsService } from '@backstage/backend-plugin-api/alpha';

/**
 * Seconds: from a few milliseconds to a long quality run or sync. Units are
 * in the names (`_seconds`), as Prometheus names them; the exporter does
 * not add them.
 */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
  600,
];

export type LineageOutcome = 'accepted' | 'duplicate' | 'rejected' | 'failed';

/**
 * What the portal does, as Prometheus series (through Backstage's metrics
 * service: OpenTelemetry, exported at /metrics). Every label takes values
 * from a small fixed set or from configuration (source ids), never from
 * users or URLs.
 */
export class PortalMetrics {
  private readonly lineageEvents;
  private readonly lineageLatency;
  private readonly qualityRuns;
  private readonly qualityDuration;
  private readonly provisioning;
  private readonly syncRuns;
  private readonly syncDuration;
  private readonly webhooks;

  constructor(metrics: MetricsService) {
    this.lineageEvents = metrics.createCounter('lakeport.lineage.events', {
      description:
        'OpenLineage events received, by outcome: accepted (new), duplicate (already applied), rejected (invalid, 4xx), failed (5xx)',
    });
    this.lineageLatency = metrics.createHistogram(
      'lakeport.lineage.ingest_duration_seconds',
      {
        description:
          'Time from receiving an OpenLineage event to it being durable (or refused)',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      },
    );
    this.qualityRuns = metrics.createCounter('lakeport.quality.runs', {
      description:
        'Quality runs finished, by trigger (schedule, manual, lineage, import) and result (passing, failing, error)',
    });
    this.qualityDuration = metrics.createHistogram(
      'lakeport.quality.run_duration_seconds',
      {
        description: 'Duration of quality runs, from start to results written',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      },
    );
    this.provisioning = metrics.createCounter(
      'lakeport.access.provisioning.attempts',
      {
        description:
          'Grant provisioning attempts by provisioner and outcome (succeeded, failed)',
      },
    );
    this.syncRuns = metrics.createCounter('lakeport.source.syncs', {
      description:
        'Syncs of metadata sources (lakehouse engine, Feast, MLflow, Kafka) by source and outcome (ok, error)',
    });
    this.syncDuration = metrics.createHistogram(
      'lakeport.source.sync_duration_seconds',
      {
        description: 'Duration of syncs of metadata sources',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      },
    );
    this.webhooks = metrics.createCounter('lakeport.webhook.deliveries', {
      description:
        'Webhook deliveries from sources by outcome (verified, refused)',
    });
  }

  /**
   * Every known label set starts at zero, so rates and alerts work from the
   * first scrape (a counter that was never added to has no series).
   */
  startAtZero(known: {
    sources: Array<{ id: string; kind: string }>;
    webhookSources: string[];
    provisioner: string;
  }) {
    for (const outcome of ['accepted', 'duplicate', 'rejected', 'failed'])
      this.lineageEvents.add(0, { outcome });
    for (const trigger of ['schedule', 'manual', 'lineage', 'import'])
      for (const result of ['passing', 'failing', 'error'])
        this.qualityRuns.add(0, { trigger, result });
    for (const outcome of ['succeeded', 'failed'])
      this.provisioning.add(0, { provisioner: known.provisioner, outcome });
    for (const source of known.sources)
      for (const outcome of ['ok', 'error'])
        this.syncRuns.add(0, { source: source.id, kind: source.kind, outcome });
    for (const source of known.webhookSources)
      for (const outcome of ['verified', 'refused'])
        this.webhooks.add(0, { source, outcome });
  }

  lineageEvent(outcome: LineageOutcome, seconds: number) {
    this.lineageEvents.add(1, { outcome });
    this.lineageLatency.record(seconds, { outcome });
  }

  qualityRun(
    trigger: string,
    result: 'passing' | 'failing' | 'error',
    seconds?: number,
  ) {
    this.qualityRuns.add(1, { trigger, result });
    if (seconds !== undefined)
      this.qualityDuration.record(seconds, { trigger, result });
  }

  provisioningAttempt(provisioner: string, outcome: 'succeeded' | 'failed') {
    this.provisioning.add(1, { provisioner, outcome });
  }

  sourceSync(
    source: { id: string; kind: string },
    ok: boolean,
    seconds?: number,
  ) {
    const labels = {
      source: source.id,
      kind: source.kind,
      outcome: ok ? 'ok' : 'error',
    };
    this.syncRuns.add(1, labels);
    if (seconds !== undefined) this.syncDuration.record(seconds, labels);
  }

  webhook(source: string, outcome: 'verified' | 'refused') {
    this.webhooks.add(1, { source, outcome });
  }
}
