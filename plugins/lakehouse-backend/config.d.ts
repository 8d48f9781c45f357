export interface Config {
  lakeport?: {
    /** Prometheus metrics at /metrics (README, Observability). */
    metrics?: {
      /**
       * Bearer token Prometheus sends when scraping /metrics.
       * @visibility secret
       */
      token?: string;
      /** Scrapes without a token: development config only. Default false. */
      allowAnonymous?: boolean;
      /**
       * Most datasets with series of their own (freshness, quality); past
       * it, the least healthy are kept and every dataset still counts in
       * the per-domain and per-owner aggregates. Default 1000.
       */
      datasetSeriesCap?: number;
      /** How often the data-health figures are read from the database, in seconds. Default 60. */
      dataHealthIntervalSeconds?: number;
    };
    lakehouse?: {
      /**
       * Folder of ODCS data contracts (*.odcs.yaml, searched recursively).
       * Relative paths are from the backend's working directory.
       * Default: ../../catalog-info/contracts.
       */
      contractsDirectory?: string;
      /** How often the engine is synced, in minutes. Default 10. */
      syncIntervalMinutes?: number;
    };
    lineage?: {
      /**
       * JSON array of OpenLineage events loaded after the first sync (the
       * sample lakehouse's lineage). Loading is idempotent.
       */
      sampleEventsFile?: string;
    };
    quality?: {
      /**
       * Cron (UTC) for contracts whose quality rules name no schedule.
       * Default: 0 5 * * * (daily at 05:00).
       */
      defaultSchedule?: string;
      /** Each check query is cancelled after this many seconds. Default 600. */
      queryTimeoutSeconds?: number;
    };
    access?: {
      /**
       * Who turns approvals into privileges: `embedded` (default; Lakeport
       * enforces grants in its own previews and samples), or the id of a
       * provisioner a module adds (`postgres` from
       * lakehouse-backend-module-postgres-access).
       */
      provisioner?: string;
      /** Second reviewers of pii/confidential access. Default group:default/data-governance. */
      stewardGroups?: string[];
      /** Longest access per classification in scope, days. Default pii 90, confidential 180, others 365. */
      maxDays?: {
        pii?: number;
        confidential?: number;
        internal?: number;
        public?: number;
      };
    };
    query?: {
      /** Most rows one `POST /query` returns (its `limit` at most). Default 10000. */
      maxRows?: number;
      /** A query is cancelled after this many seconds. Default 60. */
      timeoutSeconds?: number;
    };
    models?: {
      /**
       * Aliases that move only through an approved promotion in Lakeport
       * (changed in the registry directly they show as ungoverned).
       * Default champion, production.
       */
      governedAliases?: string[];
      promotion?: {
        /** Metrics every promoted version must have. Default none. */
        requiredMetrics?: string[];
        /** Metrics compared with the alias's current holder. */
        metrics?: Array<{
          name: string;
          /** Default true; false for losses and errors. */
          higherIsBetter?: boolean;
          /** How much worse than the holder it may be (absolute). Default 0. */
          tolerance?: number;
        }>;
        /** Lowest quality grade of any training dataset. Default C. */
        minTrainingGrade?: string;
      };
    };
  };
}
