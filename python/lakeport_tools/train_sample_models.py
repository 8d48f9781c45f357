"""Trains the sample models on the sample lakehouse and registers them in MLflow.

  .venv-ml/bin/python python/lakeport_tools/train_sample_models.py \
      --tracking-uri http://127.0.0.1:5000 --lakehouse-root data/lakehouse \
      [--feast-repo data/feast/repo] [--portal-user lakeport]

churn-classifier (versions 1 and 2) is trained on Feast's churn_model_v1
features (retrieved with get_historical_features inside the run, when a
Feast repository is given; Feast's MLflow integration, enabled in the sample's
feature_store.yaml, then tags the run with the feature service and
references) plus the churn label from the customers
table; fraud-detector version 1 on the fraud features table, version 2 adds
per-customer aggregates of the transactions table, version 3 adds web
activity from the raw web events (a table whose quality checks fail: the
governed-promotion gates have something to say). `champion` points at
version 1 of each model. With --portal-user, that MLflow user (the portal's,
READ by default) gets EDIT on both models, so the portal can move their
governed aliases. Each run logs
params, metrics and its training data as MLflow dataset inputs whose source is
the Parquet path of the lakehouse table; each version carries an `owner` tag
(the catalog group that owns the model). MLflow's basic-auth credentials come
from MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD.
"""

import argparse
import os
from pathlib import Path

import mlflow
import pandas as pd
from mlflow import MlflowClient
from mlflow.models import infer_signature
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier


def table_path(root: Path, table: str) -> Path:
    return root.joinpath(*table.split("."), "data_0.parquet")


def read_table(root: Path, table: str) -> pd.DataFrame:
    # Partitioned tables are folders of hive partitions; pyarrow reads both.
    return pd.read_parquet(root.joinpath(*table.split(".")))


def log_folder(df: pd.DataFrame, root: Path, table: str, context: str) -> None:
    dataset = mlflow.data.from_pandas(
        df, source=str(root.joinpath(*table.split("."))), name=table
    )
    mlflow.log_input(dataset, context=context)


def log_table(df: pd.DataFrame, root: Path, table: str, context: str) -> None:
    dataset = mlflow.data.from_pandas(
        df, source=str(table_path(root, table)), name=table
    )
    mlflow.log_input(dataset, context=context)


def churn_training_set(root: Path, feast_repo: str | None):
    customers = pd.read_parquet(table_path(root, "customers.curated.customers"))
    labels = pd.DataFrame(
        {
            "customer_id": customers["customer_id"],
            "churned": (~customers["is_active"]).astype(int),
        }
    )
    if feast_repo:
        from feast import FeatureStore

        store = FeatureStore(repo_path=feast_repo)
        profile = pd.read_parquet(
            table_path(root, "customers.feature.customer_profile_features")
        )
        entity_df = labels.assign(
            event_timestamp=pd.Timestamp(profile["feature_ts"].max(), tz="UTC")
        )
        service = store.get_feature_service("churn_model_v1")
        # Feast's MLflow integration (feature_store.yaml `mlflow.enabled`)
        # tags this run with the feature service and references.
        features = store.get_historical_features(
            entity_df=entity_df, features=service
        ).to_df()
        frame = features.drop(columns=["event_timestamp"])
    else:
        profile = pd.read_parquet(
            table_path(root, "customers.feature.customer_profile_features")
        )
        orders = pd.read_parquet(
            table_path(root, "commerce.feature.customer_order_features")
        )
        frame = labels.merge(profile, on="customer_id").merge(
            orders, on="customer_id", how="left"
        )
    log_table(customers, root, "customers.curated.customers", "training")
    for table in (
        "customers.feature.customer_profile_features",
        "commerce.feature.customer_order_features",
    ):
        log_table(pd.read_parquet(table_path(root, table)), root, table, "training")
    numeric = frame.drop(columns=["customer_id", "churned"]).select_dtypes("number")
    return numeric.fillna(0), frame["churned"]


def fit(model, x, y):
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.25, random_state=42, stratify=y
    )
    model.fit(x_train, y_train)
    predicted = model.predict(x_test)
    scores = model.predict_proba(x_test)[:, 1]
    metrics = {
        "accuracy": accuracy_score(y_test, predicted),
        "f1": f1_score(y_test, predicted, zero_division=0),
        "roc_auc": roc_auc_score(y_test, scores) if y_test.nunique() > 1 else 0.5,
    }
    return model, metrics, x_train


def register(client, name, run_id, model_info, owner, description):
    try:
        client.create_registered_model(
            name, tags={"owner": owner}, description=description
        )
    except mlflow.exceptions.MlflowException:
        pass  # already there
    # models:/<id> with the logged model's id: MLflow 3 then links the
    # version to its logged model (and its signature).
    version = client.create_model_version(
        name,
        model_info.model_uri,
        run_id=run_id,
        tags={"owner": owner},
        model_id=model_info.model_id,
    )
    return version.version


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--lakehouse-root", required=True)
    parser.add_argument("--feast-repo")
    parser.add_argument("--portal-user")
    args = parser.parse_args()
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    # Feast's MLflow integration finds the server here.
    os.environ["MLFLOW_TRACKING_URI"] = args.tracking_uri
    mlflow.set_tracking_uri(args.tracking_uri)
    client = MlflowClient(args.tracking_uri)
    root = Path(args.lakehouse_root).resolve()

    mlflow.set_experiment("churn")
    for params in ({"C": 0.1, "max_iter": 200}, {"C": 1.0, "max_iter": 500}):
        with mlflow.start_run() as run:
            x, y = churn_training_set(root, args.feast_repo)
            model, metrics, x_train = fit(LogisticRegression(**params), x, y)
            mlflow.log_params({"algorithm": "logistic_regression", **params})
            mlflow.log_metrics(metrics)
            info = mlflow.sklearn.log_model(
                model,
                name="model",
                signature=infer_signature(x_train, model.predict(x_train)),
            )
        register(
            client,
            "churn-classifier",
            run.info.run_id,
            info,
            "group:default/data-science",
            "Predicts which customers stop buying in the next 90 days.",
        )

    mlflow.set_experiment("fraud")
    fraud = pd.read_parquet(table_path(root, "risk.feature.fraud_features"))
    label = (fraud["fraud_rate_90d"] > 0).astype(int)
    base = fraud.drop(columns=["fraud_rate_90d", "feature_ts"])
    transactions = read_table(root, "risk.curated.transactions")[
        ["txn_id", "customer_id", "amount_eur", "risk_score"]
    ]
    spend = (
        transactions.groupby("customer_id")
        .agg(
            txn_count=("txn_id", "count"),
            amount_mean=("amount_eur", "mean"),
            risk_max=("risk_score", "max"),
        )
        .reset_index()
    )
    web = read_table(root, "customers.raw.web_events")[
        ["event_id", "session_id", "customer_id"]
    ]
    activity = (
        web.groupby("customer_id")
        .agg(web_events=("event_id", "count"), web_sessions=("session_id", "nunique"))
        .reset_index()
    )
    versions = [
        ({"max_depth": 4}, base, [("risk.feature.fraud_features", fraud)]),
        (
            {"max_depth": 5},
            base.merge(spend, on="customer_id", how="left"),
            [
                ("risk.feature.fraud_features", fraud),
                ("risk.curated.transactions", transactions),
            ],
        ),
        (
            {"max_depth": 6},
            base.merge(spend, on="customer_id", how="left").merge(
                activity, on="customer_id", how="left"
            ),
            [
                ("risk.feature.fraud_features", fraud),
                ("risk.curated.transactions", transactions),
                ("customers.raw.web_events", web),
            ],
        ),
    ]
    for params, frame, inputs in versions:
        with mlflow.start_run() as run:
            for table, df in inputs:
                # What the run read of each table: the columns it selected.
                log_folder(df, root, table, "training")
            x = frame.drop(columns=["customer_id"]).fillna(0)
            model, metrics, x_train = fit(DecisionTreeClassifier(random_state=7, **params), x, label)
            mlflow.log_params({"algorithm": "decision_tree", **params})
            mlflow.log_metrics(metrics)
            # A training curve (MLflow keeps every step: metrics/get-history).
            for depth in range(1, params["max_depth"] + 1):
                _, curve, _ = fit(DecisionTreeClassifier(random_state=7, max_depth=depth), x, label)
                mlflow.log_metric("validation_roc_auc", curve["roc_auc"], step=depth)
            info = mlflow.sklearn.log_model(
                model,
                name="model",
                signature=infer_signature(x_train, model.predict(x_train)),
                serialization_format="cloudpickle",
            )
        register(
            client,
            "fraud-detector",
            run.info.run_id,
            info,
            "group:default/risk-data",
            "Scores card transactions for fraud.",
        )
    for name in ("churn-classifier", "fraud-detector"):
        client.set_registered_model_alias(name, "champion", "1")
    if args.portal_user:
        from mlflow.server import get_app_client

        auth = get_app_client("basic-auth", tracking_uri=args.tracking_uri)
        for name in ("churn-classifier", "fraud-detector"):
            auth.grant_user_permission(args.portal_user, "registered_model", name, "EDIT")
    print("registered churn-classifier v1-v2 and fraud-detector v1-v3; champion -> v1")


if __name__ == "__main__":
    main()
