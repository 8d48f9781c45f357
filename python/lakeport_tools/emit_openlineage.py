"""Emits OpenLineage events with the official Python client, as a producer would.

A churn training-set job reads two feature tables (one named by a Parquet file
path, one by a symlink to its catalog name) and writes a training set with
schema, column lineage and ownership. Its COMPLETE event is sent before its
START, and a second run fails with an error message. Prints the run ids as
JSON.

Usage: python emit_openlineage.py --url http://localhost:7007/api/lakehouse/lineage
           --api-key TOKEN --lakehouse-root /abs/path/data/lakehouse
"""

import argparse
import json
import os
import uuid
from datetime import datetime, timedelta, timezone

from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import (
    DatasetEvent,
    InputDataset,
    Job,
    JobEvent,
    OutputDataset,
    Run,
    RunEvent,
    RunState,
    StaticDataset,
)
from openlineage.client.facet_v2 import (
    column_lineage_dataset as cl,
    documentation_dataset,
    error_message_run,
    ownership_dataset,
    schema_dataset,
    sql_job,
    symlinks_dataset,
)
from openlineage.client.transport.http import (
    ApiKeyTokenProvider,
    HttpConfig,
    HttpTransport,
)

PRODUCER = "https://lakeport.dev/tests/emit_openlineage"
JOB = "ml.build_churn_training_set"
TRAINING_SET = "ml.churn_training_set"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--lakehouse-root", required=True)
    args = parser.parse_args()

    client = OpenLineageClient(
        transport=HttpTransport(
            HttpConfig(
                url=args.url,
                endpoint="api/v1/lineage",
                auth=ApiKeyTokenProvider({"apiKey": args.api_key}),
            )
        )
    )

    profile_file = os.path.join(
        args.lakehouse_root, "customers", "feature", "customer_profile_features", "data_0.parquet"
    )
    inputs = [
        # A Spark job reports the file it read: matched to the table by location.
        InputDataset(namespace="file", name=profile_file),
        # A job on another engine names the table there, with a symlink to ours.
        InputDataset(
            namespace="trino://warehouse:8080",
            name="hive.commerce.customer_order_features",
            facets={
                "symlinks": symlinks_dataset.SymlinksDatasetFacet(
                    identifiers=[
                        symlinks_dataset.Identifier(
                            namespace="lakeport",
                            name="commerce.feature.customer_order_features",
                            type="TABLE",
                        )
                    ]
                )
            },
        ),
    ]

    def field(name: str, column: str, subtype: str = "IDENTITY") -> cl.InputField:
        table = {
            "profile": ("file", profile_file),
            "orders": ("trino://warehouse:8080", "hive.commerce.customer_order_features"),
        }[name]
        return cl.InputField(
            namespace=table[0],
            name=table[1],
            field=column,
            transformations=[cl.Transformation(type="DIRECT", subtype=subtype)],
        )

    output = OutputDataset(
        namespace="lakeport",
        name=TRAINING_SET,
        facets={
            "schema": schema_dataset.SchemaDatasetFacet(
                fields=[
                    schema_dataset.SchemaDatasetFacetFields(name="customer_id", type="BIGINT"),
                    schema_dataset.SchemaDatasetFacetFields(name="email_sha256", type="VARCHAR"),
                    schema_dataset.SchemaDatasetFacetFields(name="age_band", type="VARCHAR"),
                    schema_dataset.SchemaDatasetFacetFields(name="revenue_90d", type="DOUBLE"),
                ]
            ),
            "columnLineage": cl.ColumnLineageDatasetFacet(
                fields={
                    "customer_id": cl.Fields(inputFields=[field("profile", "customer_id")]),
                    "email_sha256": cl.Fields(inputFields=[field("profile", "email_sha256")]),
                    "age_band": cl.Fields(inputFields=[field("profile", "age_band")]),
                    "revenue_90d": cl.Fields(inputFields=[field("orders", "revenue_90d")]),
                }
            ),
            "ownership": ownership_dataset.OwnershipDatasetFacet(
                owners=[ownership_dataset.Owner(name="group:default/data-science", type="MAINTAINER")]
            ),
            "documentation": documentation_dataset.DocumentationDatasetFacet(
                description="Training set of the churn model."
            ),
        },
    )
    job = Job(
        namespace="lakeport",
        name=JOB,
        facets={
            "sql": sql_job.SQLJobFacet(
                query="SELECT p.customer_id, p.email_sha256, p.age_band, o.revenue_90d FROM profile p JOIN orders o USING (customer_id)"
            )
        },
    )

    now = datetime.now(timezone.utc)
    ok_run = str(uuid.uuid4())
    # Out of order: COMPLETE arrives before START.
    client.emit(
        RunEvent(
            eventType=RunState.COMPLETE,
            eventTime=(now + timedelta(minutes=2)).isoformat(),
            run=Run(runId=ok_run),
            job=job,
            producer=PRODUCER,
            inputs=inputs,
            outputs=[output],
        )
    )
    client.emit(
        RunEvent(
            eventType=RunState.START,
            eventTime=now.isoformat(),
            run=Run(runId=ok_run),
            job=job,
            producer=PRODUCER,
            inputs=inputs,
            outputs=[output],
        )
    )

    failed_run = str(uuid.uuid4())
    client.emit(
        RunEvent(
            eventType=RunState.FAIL,
            eventTime=(now + timedelta(minutes=5)).isoformat(),
            run=Run(
                runId=failed_run,
                facets={
                    "errorMessage": error_message_run.ErrorMessageRunFacet(
                        message="Table not found: hive.commerce.customer_order_features",
                        programmingLanguage="PYTHON",
                    )
                },
            ),
            job=job,
            producer=PRODUCER,
        )
    )

    client.emit(
        DatasetEvent(
            eventTime=now.isoformat(),
            producer=PRODUCER,
            dataset=StaticDataset(
                namespace="lakeport",
                name="ml.churn_scores",
                facets={
                    "documentation": documentation_dataset.DocumentationDatasetFacet(
                        description="Churn scores written by the batch scorer."
                    )
                },
            ),
        )
    )
    client.emit(
        JobEvent(
            eventTime=now.isoformat(),
            producer=PRODUCER,
            job=Job(namespace="lakeport", name="ml.score_churn"),
            inputs=[InputDataset(namespace="lakeport", name=TRAINING_SET)],
            outputs=[OutputDataset(namespace="lakeport", name="ml.churn_scores")],
        )
    )
    print(json.dumps({"okRun": ok_run, "failedRun": failed_run}))


if __name__ == "__main__":
    main()
