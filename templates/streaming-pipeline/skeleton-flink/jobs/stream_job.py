"""PyFlink (Table API): reads the topic, parses each message with the
contract's schema, runs jobs/transform.py and appends the result to the
output table (<lakehouse root>/<domain>/<layer>/<table>/, Parquet) with
Flink's filesystem sink.

    python run_pipeline.py            # runs until stopped (streaming mode)
    python run_pipeline.py --once     # what is in the topic now, then stops

The position is the consumer group's committed offsets: `--once` reads from
them to the topic's end (batch mode), and commits the new ones after the
table is written; the streaming mode commits on each checkpoint.
"""

import argparse
import glob
import os
import sys
import threading

from pyflink.table import EnvironmentSettings, TableEnvironment

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

FLINK_TYPES = {
    "integer": "BIGINT",
    "int": "BIGINT",
    "bigint": "BIGINT",
    "long": "BIGINT",
    "number": "DOUBLE",
    "double": "DOUBLE",
    "float": "DOUBLE",
    "boolean": "BOOLEAN",
    "bool": "BOOLEAN",
    "timestamp": "TIMESTAMP(3)",
    "date": "DATE",
}


def column_sql(fields, sink=False):
    """Columns of the source (timestamps read as text, see select_sql) or of the sink."""

    def kind(f):
        t = FLINK_TYPES.get(f["type"], "STRING")
        return "STRING" if not sink and t.startswith("TIMESTAMP") else t

    return ", ".join(f"`{f['name']}` {kind(f)}" for f in fields)


def select_sql(fields):
    """Producers write ISO-8601 timestamps as `...Z` or `...+00:00`; Flink's
    JSON format takes only one form, so they are read as text and turned into
    TIMESTAMP(3) (UTC) here. A stamp with another offset becomes NULL rather
    than failing the job (the contract asks for UTC)."""
    return ", ".join(
        f"TRY_CAST(REPLACE(REGEXP_REPLACE(`{f['name']}`, '(Z|[+-]00:?00)$', ''), 'T', ' ') AS TIMESTAMP(3)) AS `{f['name']}`"
        if FLINK_TYPES.get(f["type"], "").startswith("TIMESTAMP")
        else f"`{f['name']}`"
        for f in fields
    )


def offsets_now(config):
    """The group's committed offsets (where to start) and the topic's end
    offsets (where to stop), per partition."""
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer(
        {
            "bootstrap.servers": config["bootstrapServers"],
            "group.id": config["consumerGroup"],
            "enable.auto.commit": False,
        }
    )
    try:
        meta = consumer.list_topics(config["topic"], timeout=30)
        partitions = sorted(meta.topics[config["topic"]].partitions)
        committed = consumer.committed(
            [TopicPartition(config["topic"], p) for p in partitions], timeout=30
        )
        start, end = {}, {}
        for tp in committed:
            low, high = consumer.get_watermark_offsets(tp, timeout=30)
            start[tp.partition] = tp.offset if tp.offset >= 0 else low
            end[tp.partition] = high
        return start, end
    finally:
        consumer.close()


def name_parquet_files(output):
    """Flink's filesystem sink cannot give part files a suffix (FLINK-33987);
    lakehouse engines read `*.parquet`. Committed part files (never written
    again by the sink; in-progress ones are hidden) get it here."""
    for path in glob.glob(os.path.join(output, "**", "part-*"), recursive=True):
        if not path.endswith(".parquet") and os.path.isfile(path):
            os.rename(path, path + ".parquet")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lakehouse-root", required=True)
    parser.add_argument("--jars", required=True, help="folder of the connector jars")
    parser.add_argument("--once", action="store_true")
    args = parser.parse_args()

    config = load_config()
    fields = contract_fields(config)
    output = table_path(args.lakehouse_root, config["output"])
    lineage = StreamLineage(config, output, [f["name"] for f in fields], [f["name"] for f in fields])

    settings = EnvironmentSettings.in_batch_mode() if args.once else EnvironmentSettings.in_streaming_mode()
    t_env = TableEnvironment.create(settings)
    conf = t_env.get_config()
    conf.set("pipeline.name", config["name"])
    conf.set("parallelism.default", "1")
    conf.set(
        "pipeline.jars",
        ";".join("file://" + j for j in sorted(glob.glob(os.path.join(args.jars, "*.jar")))),
    )
    source = {
        "connector": "kafka",
        "topic": config["topic"],
        "properties.bootstrap.servers": config["bootstrapServers"],
        "properties.group.id": config["consumerGroup"],
        "format": "json",
        "json.ignore-parse-errors": "false",
    }
    end = {}
    if args.once:
        start, end = offsets_now(config)
        if all(start[p] >= end[p] for p in end):
            print("nothing new in the topic")
            return
        source.update(
            {
                "scan.startup.mode": "specific-offsets",
                "scan.startup.specific-offsets": ";".join(f"partition:{p},offset:{o}" for p, o in sorted(start.items())),
                "scan.bounded.mode": "specific-offsets",
                "scan.bounded.specific-offsets": ";".join(f"partition:{p},offset:{o}" for p, o in sorted(end.items())),
            }
        )
    else:
        conf.set("execution.checkpointing.interval", "30 s")
        source.update({"scan.startup.mode": "group-offsets", "properties.auto.offset.reset": "earliest"})

    options = lambda o: ", ".join(f"'{k}' = '{v}'" for k, v in o.items())  # noqa: E731
    t_env.execute_sql(f"CREATE TABLE messages ({column_sql(fields)}) WITH ({options(source)})")
    t_env.execute_sql(
        f"CREATE TABLE output_table ({column_sql(fields, sink=True)}) WITH "
        f"({options({'connector': 'filesystem', 'path': 'file://' + output, 'format': 'parquet'})})"
    )
    parsed = t_env.sql_query(f"SELECT {select_sql(fields)} FROM messages")

    lineage.emit("START")
    stop = threading.Event()
    if not args.once:
        def rename_loop():
            while not stop.wait(30):
                name_parquet_files(output)

        threading.Thread(target=rename_loop, daemon=True).start()
    try:
        transform(parsed).execute_insert("output_table").wait()
    except BaseException as e:
        lineage.emit("FAIL", error=str(e))
        raise
    finally:
        stop.set()
        name_parquet_files(output)
    if args.once:
        commit_offsets(config, end)
    lineage.emit("COMPLETE")


if __name__ == "__main__":
    main()
