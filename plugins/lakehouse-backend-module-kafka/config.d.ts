export interface Config {
  lakeport?: {
    kafka?: {
      /** Kafka clusters whose topics are datasets (namespace `kafka://<first bootstrap server>`). */
      clusters?: Array<{
        /** Short name used in the source id (`kafka:<name>`). */
        name: string;
        /** Bootstrap servers, `host:port`; the first names the OpenLineage namespace. */
        brokers: string[];
        /** Client id Lakeport connects as (default `lakeport`). */
        clientId?: string;
        /** SASL/PLAIN or SCRAM credentials, when the cluster needs them. */
        sasl?: {
          mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
          username: string;
          /** @visibility secret */
          password: string;
        };
        /** Connect over TLS (default false). */
        ssl?: boolean;
        /** Per-request timeout (default 30). */
        timeoutSeconds?: number;
      }>;
    };
  };
}
