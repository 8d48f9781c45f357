"""What both engines share: the output's contract (the message schema),
lineage to the portal with the stock OpenLineage Python client, and the
consumer group offsets that let the portal show the pipeline's lag.

Why lineage is sent from here: the stock Spark listener reports a streaming
query's Kafka input but not the table written in foreachBatch (and Flink's
Python jobs report nothing), so each run reports topic -> job -> table, column
by column, itself.
"""

import json
import os
import uuid
from datetime import datetime, timezone
from typing import Dict, List, Optional

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
PRODUCER = "https://lakeport.dev/templates/streaming-pipeline"


def load_config(path: Optional[str] = None) -> dict:
    with open(path or os.path.join(PROJECT, "pipeline.json")) as f:
        config = json.load(f)
    # The cluster can be overridden where the job runs (another listener).
    config["bootstrapServers"] = os.environ.get(
        "LAKEPORT_KAFKA_BOOTSTRAP", config["bootstrapServers"]
    )
    return config


def contract_fields(config: dict) -> List[Dict[str, str]]:
    """The output's columns with their types, from its ODCS contract."""
    with open(os.path.join(PROJECT, config["contract"])) as f:
        contract = yaml.safe_load(f)
    return [
        {"name": p["name"], "type": str(p.get("physicalType") or p.get("logicalType") or "string").lower()}
        for p in contract["schema"][0]["properties"]
    ]


def table_path(root: str, table: str) -> str:
    return os.path.join(os.path.abspath(root), *table.split("."))


class StreamLineage:
    """One run of the pipeline as OpenLineage events: START, RUNNING after
    each batch written, COMPLETE or FAIL. Sent only when
    LAKEPORT_OPENLINEAGE_URL is set."""

    def __init__(self, config: dict, output_path: str, columns: List[str], source_fields: List[str]):
        self.config = config
        self.output_path = output_path
        self.columns = columns
        self.source_fields = set(source_fields)
        self.run_id = str(uuid.uuid4())
        self.client = None
        url = os.environ.get("LAKEPORT_OPENLINEAGE_URL")
        if url:
            from openlineage.client import OpenLineageClient

            self.client = OpenLineageClient(
                config={
                    "transport": {
                        "type": "http",
                        # The portal takes events at <url>/api/v1/lineage.
                        "url": url,
                        "endpoint": "api/v1/lineage",
                        "auth": {
                            "type": "api_key",
                            "apiKey": os.environ.get("LAKEPORT_OPENLINEAGE_API_KEY", ""),
                        },
                    }
                }
            )

    def emit(self, state: str, error: Optional[str] = None) -> None:
        if not self.client:
            return
        from openlineage.client.event_v2 import (
            InputDataset,
            Job,
            OutputDataset,
            Run,
            RunEvent,
            RunState,
        )
        from openlineage.client.facet_v2 import (
            column_lineage_dataset as cl,
            error_message_run,
            job_type_job,
            schema_dataset,
        )

        topic_namespace = f"kafka://{self.config['bootstrapServers'].split(',')[0]}"
        topic = self.config["topic"]
        fields = {
            c: cl.Fields(
                inputFields=[cl.InputField(namespace=topic_namespace, name=topic, field=c)],
                transformationType="IDENTITY",
                transformationDescription="parsed from the message JSON",
            )
            for c in self.columns
            if c in self.source_fields
        }
        run_facets = {}
        if error:
            run_facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
                message=error[:2000], programmingLanguage="python"
            )
        self.client.emit(
            RunEvent(
                eventType=getattr(RunState, state),
                eventTime=datetime.now(timezone.utc).isoformat(),
                run=Run(runId=self.run_id, facets=run_facets),
                job=Job(
                    namespace=self.config["openLineageNamespace"],
                    name=self.config["name"],
                    facets={
                        "jobType": job_type_job.JobTypeJobFacet(
                            processingType="STREAMING",
                            integration=self.config["engine"].upper(),
                            jobType="JOB",
                        )
                    },
                ),
                inputs=[InputDataset(namespace=topic_namespace, name=topic)],
                outputs=[
                    OutputDataset(
                        namespace="file",
                        name=self.output_path,
                        facets={
                            "schema": schema_dataset.SchemaDatasetFacet(
                                fields=[schema_dataset.SchemaDatasetFacetFields(name=c) for c in self.columns]
                            ),
                            "columnLineage": cl.ColumnLineageDatasetFacet(fields=fields),
                        },
                    )
                ],
                producer=PRODUCER,
            )
        )


def commit_offsets(config: dict, next_offsets: Dict[int, int]) -> None:
    """Commits the offsets the pipeline has written up to under its consumer
    group, so the portal (and any Kafka tool) shows how far behind it is.
    The engines keep their own position in their checkpoints; this is for
    watching only."""
    if not next_offsets:
        return
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer(
        {
            "bootstrap.servers": config["bootstrapServers"],
            "group.id": config["consumerGroup"],
            "enable.auto.commit": False,
        }
    )
    try:
        consumer.commit(
            offsets=[TopicPartition(config["topic"], p, o) for p, o in sorted(next_offsets.items())],
            asynchronous=False,
        )
    finally:
        consumer.close()
