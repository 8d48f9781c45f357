"""Runs the streaming job with spark-submit as it runs in production: the
Kafka connector and the stock OpenLineage Spark listener from Maven Central,
lineage to the portal.

    python run_pipeline.py [--once]

Environment:
  LAKEPORT_LAKEHOUSE_ROOT        the lakehouse folder the table is written to
  LAKEPORT_OPENLINEAGE_URL       e.g. http://localhost:7007/api/lakehouse/lineage
  LAKEPORT_OPENLINEAGE_API_KEY   the portal's token for lineage producers
  LAKEPORT_KAFKA_BOOTSTRAP       overrides the cluster in pipeline.json
  LAKEPORT_CHECKPOINT_DIR        where the query keeps its position (default .checkpoints/)
  SPARK_JARS_IVY                 Ivy cache for the jars (optional)
"""

import os
import subprocess
import sys

PROJECT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(PROJECT, "jobs"))
from lakeport_stream import load_config  # noqa: E402

PACKAGES = [
    "org.apache.spark:spark-sql-kafka-0-10_2.13:4.2.0",
    "io.openlineage:openlineage-spark_2.13:1.53.0",
]


def main() -> None:
    config = load_config()
    url = os.environ.get("LAKEPORT_OPENLINEAGE_URL", "")
    conf = {
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": "4",
        "spark.jars.packages": ",".join(PACKAGES),
        "spark.app.name": config["name"],
    }
    if url:
        conf.update(
            {
                "spark.extraListeners": "io.openlineage.spark.agent.OpenLineageSparkListener",
                "spark.openlineage.namespace": config["openLineageNamespace"],
                "spark.openlineage.transport.type": "http",
                "spark.openlineage.transport.url": url,
                "spark.openlineage.transport.auth.type": "api_key",
                "spark.openlineage.transport.auth.apiKey": os.environ.get(
                    "LAKEPORT_OPENLINEAGE_API_KEY", ""
                ),
            }
        )
    if os.environ.get("SPARK_JARS_IVY"):
        conf["spark.jars.ivy"] = os.environ["SPARK_JARS_IVY"]
    submit = os.environ.get(
        "SPARK_SUBMIT", os.path.join(os.path.dirname(sys.executable), "spark-submit")
    )
    args = [submit, "--master", "local[2]"]
    for key, value in conf.items():
        args += ["--conf", f"{key}={value}"]
    args += [
        os.path.join(PROJECT, "jobs", "stream_job.py"),
        "--lakehouse-root",
        os.environ.get("LAKEPORT_LAKEHOUSE_ROOT", os.path.join(PROJECT, "lakehouse")),
        "--checkpoint-dir",
        os.environ.get("LAKEPORT_CHECKPOINT_DIR", os.path.join(PROJECT, ".checkpoints", config["name"])),
    ] + sys.argv[1:]
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    sys.exit(subprocess.call(args, env=env))


if __name__ == "__main__":
    main()
