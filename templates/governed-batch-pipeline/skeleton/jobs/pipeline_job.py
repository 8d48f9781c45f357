"""Reads the inputs from the lakehouse, runs jobs/transform.py and writes the
output table where the lakehouse sync finds it:
<lakehouse root>/<domain>/<layer>/<table>/ as Parquet.

    spark-submit jobs/pipeline_job.py --lakehouse-root /path/to/lakehouse

The DAG runs it with the stock OpenLineage Spark listener, so the portal
sees the inputs, the output and the column lineage.
"""

import argparse
import json
import os
import sys

from pyspark.sql import SparkSession

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from transform import transform  # noqa: E402


def table_path(root: str, table: str) -> str:
    return os.path.join(root, *table.split("."))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lakehouse-root", required=True)
    parser.add_argument(
        "--config", default=os.path.join(HERE, "..", "pipeline.json")
    )
    args = parser.parse_args()
    with open(args.config) as f:
        config = json.load(f)

    spark = SparkSession.builder.appName(config["sparkApplication"]).getOrCreate()
    inputs = {
        table: spark.read.parquet(table_path(args.lakehouse_root, table))
        for table in config["inputs"]
    }
    output = transform(inputs)
    output.write.mode("overwrite").parquet(
        table_path(args.lakehouse_root, config["output"])
    )
    spark.stop()


if __name__ == "__main__":
    main()
