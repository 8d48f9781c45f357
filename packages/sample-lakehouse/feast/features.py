"""Feast feature repository over the sample lakehouse's feature layer.

Applied by scripts/feast-sample, which writes the lakehouse folder into
`lakehouse_root` beside this file (`LAKEPORT_LAKEHOUSE_ROOT` overrides it), so
a plain `feast apply` here works too. Sources are stored with absolute Parquet
paths so the portal can match them to its datasets (Feast stores relative
paths verbatim).
"""

import os
from datetime import timedelta
from pathlib import Path

import pandas as pd
from feast import (
    Entity,
    FeatureService,
    FeatureView,
    Field,
    FileSource,
    RequestSource,
    ValueType,
)
from feast.on_demand_feature_view import on_demand_feature_view
from feast.types import Float64, Int64, String, UnixTimestamp

ROOT = Path(
    os.environ.get("LAKEPORT_LAKEHOUSE_ROOT")
    or (Path(__file__).parent / "lakehouse_root").read_text().strip()
).resolve()


def parquet(table: str) -> str:
    """The Parquet file of a lakehouse table `<domain>.<layer>.<name>`."""
    return str(ROOT.joinpath(*table.split("."), "data_0.parquet"))


customer = Entity(
    name="customer",
    join_keys=["customer_id"],
    value_type=ValueType.INT64,
    description="A customer of the shop (CRM customer number).",
    owner="chloe.martin@lakeport.example",
    tags={"domain": "customers"},
)

merchant_category = Entity(
    name="merchant_category",
    join_keys=["merchant_category"],
    value_type=ValueType.STRING,
    description="A card-scheme merchant category.",
    owner="dev.patel@lakeport.example",
    tags={"domain": "risk"},
)

customer_profile_source = FileSource(
    name="customer_profile_features_source",
    path=parquet("customers.feature.customer_profile_features"),
    timestamp_field="feature_ts",
    description="customers.feature.customer_profile_features",
)

customer_orders_source = FileSource(
    name="customer_order_features_source",
    path=parquet("commerce.feature.customer_order_features"),
    timestamp_field="feature_ts",
    description="commerce.feature.customer_order_features",
)

fraud_source = FileSource(
    name="fraud_features_source",
    path=parquet("risk.feature.fraud_features"),
    timestamp_field="feature_ts",
    # Feast reads the source column `txn_count_7d` as feature `transactions_7d`.
    field_mapping={"txn_count_7d": "transactions_7d"},
    description="risk.feature.fraud_features",
)

merchant_category_source = FileSource(
    name="merchant_category_stats_source",
    path=parquet("risk.feature.merchant_category_features"),
    timestamp_field="feature_ts",
    description="risk.feature.merchant_category_features",
)

customer_profile = FeatureView(
    name="customer_profile",
    entities=[customer],
    ttl=timedelta(days=2),
    schema=[
        Field(name="age_band", dtype=String, description="Age band at the feature date (from the date of birth)."),
        Field(name="segment", dtype=String, description="Customer segment."),
        Field(name="country_code", dtype=String, description="Country of residence."),
        Field(name="tenure_days", dtype=Int64, description="Days since signup."),
        Field(name="sessions_30d", dtype=Int64, description="Web sessions in the last 30 days."),
        Field(name="page_views_30d", dtype=Int64, description="Page views in the last 30 days."),
    ],
    online=True,
    source=customer_profile_source,
    description="Profile and engagement of a customer: demographics band, segment, tenure and web activity.",
    owner="chloe.martin@lakeport.example",
    tags={"team": "customers-data", "use": "churn,personalisation"},
)

customer_orders = FeatureView(
    name="customer_orders",
    entities=[customer],
    ttl=timedelta(days=2),
    schema=[
        Field(name="orders_90d", dtype=Int64, description="Orders in the last 90 days."),
        Field(name="revenue_90d", dtype=Float64, description="Revenue in the last 90 days (EUR)."),
        Field(name="avg_order_value", dtype=Float64, description="Average order value (EUR)."),
        Field(name="days_since_last_order", dtype=Int64, description="Days since the last order."),
        Field(name="cancelled_orders_90d", dtype=Int64, description="Cancelled orders in the last 90 days."),
        Field(name="favourite_category", dtype=String, description="Most ordered product category."),
    ],
    online=True,
    source=customer_orders_source,
    description="Order history of a customer over the last 90 days.",
    owner="ben.okafor@lakeport.example",
    tags={"team": "commerce-data", "use": "churn,recommendation"},
)

customer_fraud = FeatureView(
    name="customer_fraud",
    entities=[customer],
    ttl=timedelta(days=1),
    schema=[
        Field(name="transactions_7d", dtype=Int64, description="Card transactions in the last 7 days."),
        Field(name="txn_amount_eur_7d", dtype=Float64, description="Transaction amount in the last 7 days (EUR)."),
        Field(name="distinct_merchants_30d", dtype=Int64, description="Distinct merchants in the last 30 days."),
        Field(name="avg_risk_score_30d", dtype=Float64, description="Average model risk score, last 30 days."),
        Field(name="fraud_rate_90d", dtype=Float64, description="Share of transactions labelled fraud, last 90 days."),
    ],
    online=True,
    source=fraud_source,
    description="Card activity and fraud history of a customer.",
    owner="dev.patel@lakeport.example",
    tags={"team": "risk-data", "use": "fraud-detection"},
)

merchant_category_stats = FeatureView(
    name="merchant_category_stats",
    entities=[merchant_category],
    ttl=timedelta(days=7),
    schema=[
        Field(name="category_txn_count_30d", dtype=Int64, description="Transactions in the category, last 30 days."),
        Field(name="category_fraud_rate_30d", dtype=Float64, description="Share of fraud in the category, last 30 days."),
    ],
    online=False,
    source=merchant_category_source,
    description="Fraud base rates per merchant category (offline only: used for training).",
    owner="dev.patel@lakeport.example",
    tags={"team": "risk-data", "use": "fraud-detection"},
)

order_request = RequestSource(
    name="order_request",
    schema=[Field(name="order_amount", dtype=Float64, description="Amount of the order being scored (EUR).")],
    description="The order being scored, sent with the request.",
)


@on_demand_feature_view(
    sources=[customer_orders, order_request],
    schema=[
        # No descriptions here: Feast checks these fields against the ones it
        # infers by running the transformation, descriptions included.
        Field(name="amount_vs_avg_order", dtype=Float64),
        Field(name="is_first_order", dtype=Int64),
    ],
    mode="pandas",
    description="Compares the order being scored with the customer's order history.",
    owner="ben.okafor@lakeport.example",
    tags={"team": "commerce-data", "use": "fraud-detection"},
)
def order_context(inputs: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame()
    avg = inputs["avg_order_value"].fillna(0.0)
    out["amount_vs_avg_order"] = (inputs["order_amount"] / avg.where(avg > 0, 1.0)).astype("float64")
    out["is_first_order"] = (inputs["orders_90d"].fillna(0) == 0).astype("int64")
    return out


churn_model_v1 = FeatureService(
    name="churn_model_v1",
    features=[customer_profile, customer_orders[["orders_90d", "revenue_90d", "days_since_last_order", "cancelled_orders_90d"]]],
    description="Features of the churn model.",
    owner="ana.souza@lakeport.example",
    tags={"model": "churn-classifier"},
)

fraud_scoring_v1 = FeatureService(
    name="fraud_scoring_v1",
    features=[customer_fraud, order_context],
    description="Online features of the fraud-scoring model.",
    owner="dev.patel@lakeport.example",
    tags={"model": "fraud-detection"},
)
