export interface Config {
  lakeport?: {
    mlflow?: {
      /** MLflow tracking servers (model registries) read through REST API 2.0. */
      servers?: Array<{
        /** Short name used in asset ids (`model:<name>:<model>`). */
        name: string;
        /** Base URL of the tracking server, e.g. http://localhost:5000. */
        baseUrl: string;
        /** MLflow basic-auth user (READ on the models; EDIT where Lakeport governs aliases). */
        username?: string;
        /**
         * @visibility secret
         */
        password?: string;
        /**
         * Feast registry name (from lakeport.feast.registries) whose feature
         * services Feast's run tags name; default the first registry.
         */
        feastRegistry?: string;
        /**
         * Secret of the MLflow model-registry webhooks pointed at
         * /api/lakehouse/metadata-sources/mlflow:<name>/webhooks.
         * @visibility secret
         */
        webhookSecret?: string;
        /** Per-request timeout (default 30). */
        timeoutSeconds?: number;
      }>;
    };
  };
}
