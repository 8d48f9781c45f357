"""Validates a lakehouse table with Great Expectations 1.x, as a pipeline would.

Reads the table's Parquet files (through DuckDB) into a pandas DataFrame,
runs an expectation suite and writes the suite validation result JSON that
Lakeport imports (POST /api/lakehouse/quality/results, format
great_expectations).

Usage: python validate_with_great_expectations.py --lakehouse-root DIR
           --table customers.curated.customers --suite customers_suite
           --expectations '[{"type": "expect_column_values_to_not_be_null",
                             "kwargs": {"column": "country_code"}}]'
           --out result.json
"""

import argparse
import json

import duckdb
import great_expectations as gx


def expectation(spec):
    # expect_column_values_to_not_be_null -> ExpectColumnValuesToNotBeNull
    name = "".join(part.capitalize() for part in spec["type"].split("_"))
    return getattr(gx.expectations, name)(**spec.get("kwargs", {}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lakehouse-root", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--suite", required=True)
    parser.add_argument("--expectations", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    folder = "/".join(args.table.split("."))
    frame = duckdb.sql(
        f"SELECT * FROM read_parquet('{args.lakehouse_root}/{folder}/**/*.parquet', hive_partitioning = true)"
    ).df()

    context = gx.get_context(mode="ephemeral")
    asset = context.data_sources.add_pandas("lakeport").add_dataframe_asset(args.table)
    batch = asset.add_batch_definition_whole_dataframe("whole table")
    suite = context.suites.add(gx.ExpectationSuite(name=args.suite))
    for spec in json.loads(args.expectations):
        suite.add_expectation(expectation(spec))
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{args.suite} on {args.table}", data=batch, suite=suite)
    )
    result = validation.run(batch_parameters={"dataframe": frame})
    with open(args.out, "w") as out:
        json.dump(result.to_json_dict(), out)


if __name__ == "__main__":
    main()
