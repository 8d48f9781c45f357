export interface Config {
  lakeport?: {
    lakehouse?: {
      duckdb?: {
        /**
         * Folder of the embedded lakehouse: `<domain>/<layer>/<table>/` folders
         * of Parquet files (Hive-partitioned or not). Relative paths are from
         * the backend's working directory. Default: ../../data/lakehouse.
         */
        root?: string;
      };
    };
  };
}
