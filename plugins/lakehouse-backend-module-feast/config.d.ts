export interface Config {
  lakeport?: {
    feast?: {
      /** Feast registries read through `feast serve_registry --rest-api`. */
      registries?: Array<{
        /** Short name used in asset ids (`featureview:<name>/<project>:<view>`). */
        name: string;
        /** Base URL of the REST registry server, e.g. http://localhost:6572. */
        baseUrl: string;
        /**
         * Bearer token, when the registry server checks one.
         * @visibility secret
         */
        token?: string;
        /** Only these projects (default: every project of the registry). */
        projects?: string[];
        /** Per-request timeout (default 30). */
        timeoutSeconds?: number;
      }>;
    };
  };
}
