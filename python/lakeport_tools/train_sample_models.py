"""Trains the sample models on the sample lakehouse and registers them in MLflow.

  .venv-ml/bin/python python/lakeport_tools/train_sample_models.py \
      --tracking-uri http://127.0.0.1:5000 --lakehouse-root data/lakehouse \
      [--feast-repo data/feast/repo]

churn-classifier (versions 1 and 2) is trained on Feast's churn_model_v1
features (retrieved with get_historical_features inside the run, when a
Feast repository is given; Feast's MLflow integration, enabled in the sample's
feature_store.yaml, then tags the run with the feature service and
references) plus the churn label from the customers
table; fraud-detector (version 1) on the fraud features table. Each run logs
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


def register(client, name, run_id, owner, description):
    try:
        client.create_registered_model(
            name, tags={"owner": owner}, description=description
        )
    except mlflow.exceptions.MlflowException:
        pass  # already there
    version = client.create_model_version(
        name, f"runs:/{run_id}/model", run_id=run_id, tags={"owner": owner}
    )
    return version.version


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--lakehouse-root", required=True)
    parser.add_argument("--feast-repo")
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
            mlflow.sklearn.log_model(
                model,
                name="model",
                signature=infer_signature(x_train, model.predict(x_train)),
            )
        register(
            client,
            "churn-classifier",
            run.info.run_id,
            "group:default/data-science",
            "Predicts which customers stop buying in the next 90 days.",
        )

    mlflow.set_experiment("fraud")
    with mlflow.start_run() as run:
        fraud = pd.read_parquet(table_path(root, "risk.feature.fraud_features"))
        log_table(fraud, root, "risk.feature.fraud_features", "training")
        y = (fraud["fraud_rate_90d"] > 0).astype(int)
        x = fraud.drop(columns=["customer_id", "fraud_rate_90d", "feature_ts"])
        params = {"max_depth": 4}
        model, metrics, x_train = fit(DecisionTreeClassifier(**params), x, y)
        mlflow.log_params({"algorithm": "decision_tree", **params})
        mlflow.log_metrics(metrics)
        mlflow.sklearn.log_model(
            model,
            name="model",
            signature=infer_signature(x_train, model.predict(x_train)),
            serialization_format="cloudpickle",
        )
    register(
        client,
        "fraud-detector",
        run.info.run_id,
        "group:default/risk-data",
        "Scores card transactions for fraud.",
    )
    print("registered churn-classifier v1, v2 and fraud-detector v1")


if __name__ == "__main__":
    main()
