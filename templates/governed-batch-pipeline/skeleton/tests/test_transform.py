"""Runs the transformation on a sample of the real inputs (50 rows each) and
checks the result against the output's contract: every contract column is
produced, and nothing the contract does not know about."""

import glob
import json
import os
import sys

import pytest
import yaml
from pyspark.sql import SparkSession

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "jobs"))
from pipeline_job import table_path  # noqa: E402
from transform import transform  # noqa: E402

LAKEHOUSE = os.environ.get("LAKEPORT_LAKEHOUSE_ROOT", "")


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


def contract_columns():
    with open(os.path.join(ROOT, "pipeline.json")) as f:
        output = json.load(f)["output"]
    (path,) = glob.glob(os.path.join(ROOT, "contracts", f"{output}.odcs.yaml"))
    with open(path) as f:
        contract = yaml.safe_load(f)
    return [p["name"] for p in contract["schema"][0]["properties"]]


@pytest.mark.skipif(not LAKEHOUSE, reason="set LAKEPORT_LAKEHOUSE_ROOT to the lakehouse")
def test_transform_matches_the_contract(spark):
    with open(os.path.join(ROOT, "pipeline.json")) as f:
        config = json.load(f)
    inputs = {
        t: spark.read.parquet(table_path(LAKEHOUSE, t)).limit(50)
        for t in config["inputs"]
    }
    result = transform(inputs)
    assert result.count() > 0
    assert sorted(result.columns) == sorted(contract_columns())
