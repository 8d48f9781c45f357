"""Scans a lakehouse table with Soda Core (SodaCL v3), as a pipeline would.

The table's Parquet files become a DuckDB view named after the table's last
name part (orders for commerce.curated.orders); the SodaCL checks run
against it and the scan result JSON (what `soda scan -srf` writes) is saved
for Lakeport to import (POST /api/lakehouse/quality/results, format soda).

Usage: python scan_with_soda.py --lakehouse-root DIR --table commerce.curated.orders
           --scan-name orders_daily --checks checks.yml --out result.json
"""

import argparse
import json

import duckdb
from soda.scan import Scan


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lakehouse-root", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--scan-name", required=True)
    parser.add_argument("--checks", required=True, help="SodaCL YAML file")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    view = args.table.split(".")[-1]
    folder = "/".join(args.table.split("."))
    connection = duckdb.connect()
    connection.execute(
        f"CREATE VIEW {view} AS SELECT * FROM read_parquet('{args.lakehouse_root}/{folder}/**/*.parquet', hive_partitioning = true)"
    )
    scan = Scan()
    scan.set_scan_definition_name(args.scan_name)
    scan.add_duckdb_connection(connection, data_source_name="lakeport")
    scan.set_data_source_name("lakeport")
    scan.add_sodacl_yaml_file(args.checks)
    scan.execute()
    with open(args.out, "w") as out:
        json.dump(scan.get_scan_results(), out, default=str)


if __name__ == "__main__":
    main()
