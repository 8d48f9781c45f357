"""Spark Structured Streaming: reads the topic, parses each message with the
contract's schema, runs jobs/transform.py and appends the result to the
output table (<lakehouse root>/<domain>/<layer>/<table>/, Parquet). Its
position is kept in the checkpoint, so a run reads only what the previous
one did not.

    python run_pipeline.py            # runs until stopped
    python run_pipeline.py --once     # what is in the topic now, then stops
"""

import argparse
import os
import sys

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from lakeport_stream import (  # noqa: E402
    StreamLineage,
    commit_offsets,
    contract_fields,
    load_config,
    table_path,
)
from transform import transform  # noqa: E402

SPARK_TYPES = {
    "integer": T.LongType(),
    "int": T.LongType(),
    "bigint": T.LongType(),
    "long": T.LongType(),
    "number": T.DoubleType(),
    "double": T.DoubleType(),
    "float": T.DoubleType(),
    "boolean": T.BooleanType(),
    "bool": T.BooleanType(),
    "timestamp": T.TimestampType(),
    "date": T.DateType(),
}


def message_schema(fields) -> T.StructType:
    return T.StructType(
        [T.StructField(f["name"], SPARK_TYPES.get(f["type"], T.StringType())) for f in fields]
    )


def parse(raw: DataFrame, schema: T.StructType) -> DataFrame:
    """Kafka records -> the contract's columns (and partition/offset, kept
    aside for the consumer group's offsets)."""
    return raw.select(
        F.from_json(F.col("value").cast("string"), schema).alias("m"),
        F.col("partition").alias("_partition"),
        F.col("offset").alias("_offset"),
    ).select("m.*", "_partition", "_offset")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lakehouse-root", required=True)
    parser.add_argument("--checkpoint-dir", required=True)
    parser.add_argument("--once", action="store_true")
    args = parser.parse_args()

    config = load_config()
    fields = contract_fields(config)
    output = table_path(args.lakehouse_root, config["output"])
    spark = SparkSession.builder.appName(config["name"]).getOrCreate()
    raw = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", config["bootstrapServers"])
        .option("subscribe", config["topic"])
        .option("startingOffsets", "earliest")
        .load()
    )
    parsed = parse(raw, message_schema(fields))
    lineage = StreamLineage(
        config, output, [f["name"] for f in fields], [f["name"] for f in fields]
    )

    def write_batch(batch: DataFrame, batch_id: int) -> None:
        batch.persist()
        try:
            positions = batch.groupBy("_partition").agg(F.max("_offset").alias("last")).collect()
            if not positions:
                return
            transform(batch.drop("_partition", "_offset")).write.mode("append").parquet(output)
            commit_offsets(config, {r["_partition"]: r["last"] + 1 for r in positions})
            lineage.emit("RUNNING")
        finally:
            batch.unpersist()

    lineage.emit("START")
    writer = parsed.writeStream.foreachBatch(write_batch).option(
        "checkpointLocation", args.checkpoint_dir
    )
    writer = writer.trigger(availableNow=True) if args.once else writer.trigger(processingTime="30 seconds")
    try:
        writer.start().awaitTermination()
    except BaseException as e:
        lineage.emit("FAIL", error=str(e))
        raise
    lineage.emit("COMPLETE")
    spark.stop()


if __name__ == "__main__":
    main()
