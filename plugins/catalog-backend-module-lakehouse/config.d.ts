export interface Config {
  lakeport?: {
    projects?: {
      /**
       * Bare git repositories of projects published with
       * `lakehouse:publish:local` (embedded default); their
       * catalog-info.yaml (Component and API entities only) is registered.
       */
      gitDirectory?: string;
    };
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
