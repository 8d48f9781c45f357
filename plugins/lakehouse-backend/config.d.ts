export interface Config {
  lakeport?: {
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
  };
}
