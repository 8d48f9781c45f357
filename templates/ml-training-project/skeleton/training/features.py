"""This project's Feast definitions, built from project.json.

One feature view per picked dataset (its columns, minus the entity key, the
timestamp, the label and the columns masked for the person who created the
project), and the feature service the training retrieves: the picked
service itself when only one was picked, otherwise `<model>_training` with
these views and every view of the picked services. Everything is applied
*added* to the shared Feast project (FeatureStore.apply never deletes).
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pyarrow.types as pt
from feast import Entity, FeatureService, FeatureStore, FeatureView, Field, FileSource
from feast.types import Bool, Float64, Int64, String

PROJECT = Path(__file__).resolve().parent.parent
# Preferred event-time columns, in order; otherwise the first timestamp column.
TIMESTAMP_NAMES = ("feature_ts", "event_timestamp", "event_ts", "updated_at")


class ProjectError(Exception):
    """Something in project.json or the lakehouse that training cannot use."""


def load_config() -> dict:
    return json.loads((PROJECT / "project.json").read_text())


def lakehouse_root() -> Path:
    root = os.environ.get("LAKEPORT_LAKEHOUSE_ROOT")
    if not root:
        raise ProjectError("Set LAKEPORT_LAKEHOUSE_ROOT to the lakehouse folder (see README)")
    return Path(root).resolve()


def table_path(root: Path, table: str) -> Path:
    """The Parquet file of `<domain>.<layer>.<name>` (Feast file sources and
    the portal match datasets by this path)."""
    path = root.joinpath(*table.split("."), "data_0.parquet")
    if not path.exists():
        raise ProjectError(
            f"{table}: no {path} (partitioned tables cannot be Feast file sources yet)"
        )
    return path


def snake(name: str) -> str:
    return name.replace("-", "_")


def feast_type(arrow_type):
    if pt.is_boolean(arrow_type):
        return Bool
    if pt.is_integer(arrow_type):
        return Int64
    if pt.is_floating(arrow_type) or pt.is_decimal(arrow_type):
        return Float64
    if pt.is_string(arrow_type) or pt.is_large_string(arrow_type):
        return String
    return None  # dates, timestamps and nested values are not features here


def timestamp_column(table: str, schema) -> str:
    stamps = [f.name for f in schema if pt.is_timestamp(f.type)]
    for name in TIMESTAMP_NAMES:
        if name in stamps:
            return name
    if not stamps:
        raise ProjectError(f"{table} has no timestamp column: Feast needs the time of each row")
    return stamps[0]


def masked_columns(config: dict, table: str) -> set:
    """Columns of a table masked for the project's creator when it was made
    (project.json `maskedColumns`, from the template's access check)."""
    return {
        c
        for entry in config["maskedColumns"]
        if entry["datasetId"].rsplit(":", 1)[-1] == table
        for c in entry["columns"]
    }


def feature_view(config: dict, table: str, root: Path, entity: Entity) -> FeatureView:
    key = config["entityKey"]
    path = table_path(root, table)
    schema = pq.read_schema(path)
    if key not in schema.names:
        raise ProjectError(f"{table} has no column {key} (the entity key)")
    ts = timestamp_column(table, schema)
    masked = masked_columns(config, table)
    left_out = {key, ts, config["labels"]["column"]} | masked
    fields = [
        Field(name=f.name, dtype=feast_type(f.type))
        for f in schema
        if f.name not in left_out and feast_type(f.type) is not None
    ]
    if not fields:
        raise ProjectError(f"{table}: no column left to use as a feature")
    name = f"{snake(config['model'])}_{table.split('.')[-1]}"
    return FeatureView(
        name=name,
        entities=[entity],
        # No TTL: the training's as-of time is the latest feature time.
        ttl=timedelta(0),
        schema=fields,
        online=False,
        source=FileSource(
            name=f"{name}_source",
            path=str(path),
            timestamp_field=ts,
            description=table,
        ),
        description=f"{table} for {config['model']}"
        + (f" (masked for the project's creator, left out: {', '.join(sorted(masked))})" if masked else ""),
        owner=config["owner"],
        tags={"lakeport.project": config["name"], "dataset": table},
    )


def entity_for(store: FeatureStore, config: dict, root: Path) -> Entity:
    """The registered entity joined on the key, else a new one."""
    key = config["entityKey"]
    for entity in store.list_entities():
        if entity.join_key == key:
            return entity
    return Entity(name=key, join_keys=[key], description=f"Entity key of {config['model']}")


def build(store: FeatureStore, config: dict, root: Path):
    """(objects to apply, the service to retrieve with)."""
    picked = [store.get_feature_service(name) for name in config["featureServices"]]
    for service in picked:
        for projection in service.feature_view_projections:
            try:
                odfv = store.get_on_demand_feature_view(projection.name)
            except Exception:
                continue
            if odfv.source_request_sources:
                raise ProjectError(
                    f"feature service {service.name} needs request data ({projection.name}); "
                    "this project trains on stored features only"
                )
    if not config["datasets"]:
        if not picked:
            raise ProjectError("pick datasets or feature services to train on")
        if len(picked) == 1:
            return [], picked[0]
    entity = entity_for(store, config, root) if config["datasets"] else None
    views = [feature_view(config, t, root, entity) for t in config["datasets"]]
    service = FeatureService(
        name=f"{snake(config['model'])}_training",
        features=views,
        description=f"Training features of {config['model']} ({config['name']})",
        owner=config["owner"],
        tags={"lakeport.project": config["name"], "model": config["model"]},
    )
    for other in picked:
        service.feature_view_projections.extend(other.feature_view_projections)
    return [*([entity] if entity else []), *views, service], service


def apply(store: FeatureStore, config: dict, root: Path) -> FeatureService:
    objects, service = build(store, config, root)
    if objects:
        store.apply(objects)
    return service


def latest_feature_time(store: FeatureStore, service: FeatureService) -> pd.Timestamp:
    """The newest row time of the service's file sources: the as-of time of
    a training that wants the latest features."""
    latest = None
    for projection in service.feature_view_projections:
        try:
            view = store.get_feature_view(projection.name)
        except Exception:
            continue  # an on-demand view: no source of its own
        source = view.batch_source
        if not isinstance(source, FileSource):
            continue
        column = pq.read_table(source.path, columns=[source.timestamp_field]).column(0)
        newest = pd.Timestamp(column.to_pandas().max())
        latest = newest if latest is None or newest > latest else latest
    if latest is None:
        return pd.Timestamp.now(tz="UTC")
    return latest.tz_localize("UTC") if latest.tzinfo is None else latest
