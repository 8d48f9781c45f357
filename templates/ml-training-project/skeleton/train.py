"""Trains the model of project.json and registers a version in MLflow.

  LAKEPORT_LAKEHOUSE_ROOT=<lakehouse> MLFLOW_TRACKING_USERNAME=<you> \
  MLFLOW_TRACKING_PASSWORD=<password> python train.py [--as-of TIME] [--apply-only]

1. Adds this project's feature views and service to the shared Feast
   project (training/features.py; nothing else there is touched).
2. Inside one MLflow run: reads the labels table, retrieves the features
   with Feast at the as-of time (Feast tags the run with its feature service
   and references), logs the labels table as the run's training dataset
   input, fits and scores the model.
3. Registers a new version of the model with an `owner` tag (the owner
   group), which the portal shows linked to the feature service, its views
   and the datasets behind them. Promotion goes through the portal (README).

Prints the registered version as JSON on the last line.
"""

import argparse
import json
import os
import sys

import mlflow
import pandas as pd
from feast import FeatureStore
from mlflow import MlflowClient
from mlflow.models import infer_signature

from training import features
from training.model import fit, prepare


def log_labels(labels: pd.DataFrame, root, table: str) -> None:
    dataset = mlflow.data.from_pandas(
        labels, source=str(features.table_path(root, table)), name=table
    )
    mlflow.log_input(dataset, context="training")


def register(client: MlflowClient, config: dict, run_id: str, info) -> str:
    name, owner = config["model"], config["owner"]
    try:
        client.get_registered_model(name)
    except mlflow.exceptions.MlflowException:
        client.create_registered_model(
            name, tags={"owner": owner}, description=config["description"] or None
        )
    # models:/<id> of the logged model: MLflow 3 links the version to it.
    version = client.create_model_version(
        name, info.model_uri, run_id=run_id, tags={"owner": owner}, model_id=info.model_id
    )
    return version.version


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--as-of", help="feature time (ISO 8601; default: the newest feature row)")
    parser.add_argument("--apply-only", action="store_true", help="only add the Feast definitions")
    args = parser.parse_args()
    config = features.load_config()
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    # Feast's MLflow integration finds the server here too.
    os.environ.setdefault("MLFLOW_TRACKING_URI", config["mlflowTrackingUri"])
    try:
        root = features.lakehouse_root()
        store = FeatureStore(repo_path=str(features.PROJECT / "feature_repo"))
        service = features.apply(store, config, root)
        print(f"feature service {store.project}:{service.name}", file=sys.stderr)
        if args.apply_only:
            return 0
        key, label = config["entityKey"], config["labels"]["column"]
        labels = pd.read_parquet(
            features.table_path(root, config["labels"]["table"]), columns=[key, label]
        ).dropna()
        as_of = (
            pd.Timestamp(args.as_of, tz="UTC")
            if args.as_of
            else features.latest_feature_time(store, service)
        )
    except features.ProjectError as e:
        print(f"train: {e}", file=sys.stderr)
        return 2

    mlflow.set_experiment(config["model"])
    with mlflow.start_run(run_name=f"{config['name']} as of {as_of.isoformat()}") as run:
        mlflow.set_tags({"lakeport.project": config["name"], "owner": config["owner"]})
        log_labels(labels, root, config["labels"]["table"])
        retrieved = store.get_historical_features(
            entity_df=labels[[key]].assign(event_timestamp=as_of),
            features=service,
            # Views may share feature names: `<view>__<feature>` keeps them apart.
            full_feature_names=True,
        ).to_df()
        data = retrieved.drop(columns=["event_timestamp"]).merge(labels, on=key)
        x = prepare(data.drop(columns=[key, label]))
        model, metrics, task = fit(x, data[label])
        mlflow.log_params({"algorithm": type(model).__name__, "task": task, "as_of": as_of.isoformat(), "rows": len(x)})
        mlflow.log_metrics(metrics)
        info = mlflow.sklearn.log_model(
            model, name="model", signature=infer_signature(x, model.predict(x))
        )
    version = register(MlflowClient(), config, run.info.run_id, info)
    print(json.dumps({"model": config["model"], "version": version, "runId": run.info.run_id, "metrics": metrics}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
