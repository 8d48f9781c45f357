"""Runs the PyFlink job as it runs in production, on a local mini cluster:
the Kafka SQL connector and the Parquet format from the jars folder,
lineage to the portal.

    python run_pipeline.py [--once]

Environment:
  LAKEPORT_LAKEHOUSE_ROOT        the lakehouse folder the table is written to
  LAKEPORT_OPENLINEAGE_URL       e.g. http://localhost:7007/api/lakehouse/lineage
  LAKEPORT_OPENLINEAGE_API_KEY   the portal's token for lineage producers
  LAKEPORT_KAFKA_BOOTSTRAP       overrides the cluster in pipeline.json
  LAKEPORT_FLINK_JARS            folder with flink-sql-connector-kafka 5.0.0-2.2,
                                 flink-sql-parquet 2.3.0, hadoop-client-api and
                                 -runtime 3.4.1 (see README; default jars/)
"""

import os
import subprocess
import sys

PROJECT = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    jars = os.environ.get("LAKEPORT_FLINK_JARS", os.path.join(PROJECT, "jars"))
    args = [
        sys.executable,
        os.path.join(PROJECT, "jobs", "stream_job.py"),
        "--lakehouse-root",
        os.environ.get("LAKEPORT_LAKEHOUSE_ROOT", os.path.join(PROJECT, "lakehouse")),
        "--jars",
        jars,
    ] + sys.argv[1:]
    sys.exit(subprocess.call(args))


if __name__ == "__main__":
    main()
