export interface Config {
  lakeport?: {
    projects?: {
      /**
       * Bare git repositories of projects published with
       * `lakehouse:publish:local` (embedded default); their
       * catalog-info.yaml (Component and API entities only) is registered.
       */
      gitDirectory?: string;
      /**
       * Where templates publish generated projects: `local` (the directory
       * above) or `github` (publish:github into `github.owner`, then
       * catalog:register). Default: local when gitDirectory is set.
       */
      publisher?: 'local' | 'github';
      github?: {
        /** GitHub organisation or user new repositories are created in. */
        owner?: string;
      };
      /** Where ML training projects register their features. */
      feast?: {
        /**
         * The Feast registry the portal reads (lakeport.feast.registries
         * serves it): a file path (relative to the backend's folder), an
         * object-store path, or a SQL registry URI.
         */
        registry?: string;
        /** Feast project of new feature views when no feature service is reused. Default `default`. */
        project?: string;
      };
      /** Where ML training projects register their models. */
      mlflow?: {
        /** Name of one of lakeport.mlflow.servers. Default: the first. */
        server?: string;
        /** Tracking URI for training scripts, when not the server's baseUrl. */
        trackingUri?: string;
      };
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
