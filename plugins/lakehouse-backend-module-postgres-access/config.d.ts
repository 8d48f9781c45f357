export interface Config {
  lakeport?: {
    access?: {
      /** The PostgreSQL warehouse the `postgres` provisioner grants on. */
      postgres?: {
        /** @visibility secret */
        connection: string | object;
        /** Principal entity ref → PostgreSQL role. */
        roles?: { [principal: string]: string };
        /** Dataset name → schema.table (default `<domain>_<layer>.<table>`). */
        tables?: { [dataset: string]: string };
      };
    };
  };
}
