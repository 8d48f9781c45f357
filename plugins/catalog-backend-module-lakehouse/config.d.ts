export interface Config {
  lakeport?: {
    lakehouse?: {
      catalog?: {
        /** Owner of datasets whose contract names none. Default group:default/data-platform. */
        defaultOwner?: string;
        /** How often datasets are copied into the catalog, in minutes. Default 5. */
        refreshIntervalMinutes?: number;
      };
    };
  };
}
