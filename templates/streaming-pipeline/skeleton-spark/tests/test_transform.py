"""Runs the transformation on messages made from the contract (as the
topic's JSON would arrive) and checks the result against the output's
contract: every contract column is produced, and nothing else."""

import json
import os
import sys

import pytest
from pyspark.sql import SparkSession

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "jobs"))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from lakeport_stream import contract_fields, load_config  # noqa: E402
from produce import value  # noqa: E402
from stream_job import message_schema, parse  # noqa: E402
from transform import transform  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    session = (
        SparkSession.builder.master("local[1]")
        .appName("transform-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_transform_matches_the_contract(spark):
    import random

    config = load_config()
    fields = contract_fields(config)
    rnd = random.Random(1)
    records = [
        (json.dumps({f["name"]: value(f["type"], f["name"], i, rnd) for f in fields}), 0, i)
        for i in range(20)
    ]
    raw = spark.createDataFrame(records, "value string, partition int, offset long")
    parsed = parse(raw, message_schema(fields)).drop("_partition", "_offset")
    # Every field of the contract parses (no column is null everywhere).
    for f in fields:
        assert parsed.where(parsed[f["name"]].isNotNull()).count() > 0, f["name"]
    result = transform(parsed)
    assert result.count() > 0
    assert sorted(result.columns) == sorted(f["name"] for f in fields)
