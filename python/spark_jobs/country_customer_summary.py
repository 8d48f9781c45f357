"""Orders per country of residence: joins two tables of the sample lakehouse
and writes a new one. A PySpark job as data teams write them; run it with the
stock OpenLineage Spark listener and its lineage reaches the portal.

    spark-submit python/spark_jobs/country_customer_summary.py \
        --lakehouse-root data/lakehouse \
        --output data/lakehouse/commerce/feature/country_customer_summary

`max(email)` is there on purpose: an aggregate that returns the raw value is
still PII (the lineage must say so).
"""

import argparse

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lakehouse-root", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()

    spark = SparkSession.builder.appName("country_customer_summary").getOrCreate()
    root = args.lakehouse_root.rstrip("/")
    customers = spark.read.parquet(f"{root}/customers/curated/customers")
    orders = spark.read.parquet(f"{root}/commerce/curated/orders")

    summary = (
        orders.join(customers, "customer_id")
        .groupBy("country_code")
        .agg(
            F.count("order_id").alias("order_count"),
            F.sum("total_amount").alias("revenue"),
            F.countDistinct("customer_id").alias("customer_count"),
            F.max("email").alias("max_email"),
            F.min("date_of_birth").alias("oldest_birth_date"),
            F.sha2(F.max("phone"), 256).alias("phone_sha256"),
        )
    )
    summary.write.mode("overwrite").parquet(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
