"""Runs the pipeline's Spark job on its schedule (pipeline.json).

Lineage: the OpenLineage provider reports the DAG run and the task to the
portal (configure its transport, see README); the task passes its own run as
the parent of the Spark application (the provider's macros), and the stock
OpenLineage Spark listener reports the job's inputs, output and column
lineage. The portal shows DAG run -> task -> Spark application as one chain.

Environment:
  LAKEPORT_LAKEHOUSE_ROOT        the lakehouse folder the job reads and writes
  LAKEPORT_OPENLINEAGE_URL       e.g. http://localhost:7007/api/lakehouse/lineage
  LAKEPORT_OPENLINEAGE_API_KEY   the portal's token for lineage producers
  SPARK_SUBMIT                   spark-submit to use (default: next to python)
  SPARK_JARS_IVY                 Ivy cache for the listener jar (optional)
"""

import json
import os
import shlex
import sys
from datetime import datetime

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(PROJECT, "pipeline.json")) as f:
    CONFIG = json.load(f)

OPENLINEAGE_SPARK = "io.openlineage:openlineage-spark_2.13:1.53.0"
SPARK_SUBMIT = os.environ.get(
    "SPARK_SUBMIT", os.path.join(os.path.dirname(sys.executable), "spark-submit")
)
OL = "macros.OpenLineageProviderPlugin"


def spark_conf() -> dict:
    conf = {
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": "4",
        "spark.jars.packages": OPENLINEAGE_SPARK,
        "spark.extraListeners": "io.openlineage.spark.agent.OpenLineageSparkListener",
        "spark.openlineage.namespace": CONFIG["openLineageNamespace"],
        "spark.openlineage.transport.type": "http",
        "spark.openlineage.transport.url": os.environ.get(
            "LAKEPORT_OPENLINEAGE_URL", "http://localhost:7007/api/lakehouse/lineage"
        ),
        "spark.openlineage.transport.auth.type": "api_key",
        "spark.openlineage.transport.auth.apiKey": os.environ.get(
            "LAKEPORT_OPENLINEAGE_API_KEY", ""
        ),
        # The task's run is the Spark application's parent; the DAG run its root.
        "spark.openlineage.parentJobNamespace": "{{ %s.lineage_job_namespace() }}" % OL,
        "spark.openlineage.parentJobName": "{{ %s.lineage_job_name(task_instance) }}" % OL,
        "spark.openlineage.parentRunId": "{{ %s.lineage_run_id(task_instance) }}" % OL,
        "spark.openlineage.rootParentJobNamespace": "{{ %s.lineage_root_job_namespace(task_instance) }}" % OL,
        "spark.openlineage.rootParentJobName": "{{ %s.lineage_root_job_name(task_instance) }}" % OL,
        "spark.openlineage.rootParentRunId": "{{ %s.lineage_root_run_id(task_instance) }}" % OL,
    }
    if os.environ.get("SPARK_JARS_IVY"):
        conf["spark.jars.ivy"] = os.environ["SPARK_JARS_IVY"]
    return conf


def spark_submit_command() -> str:
    args = [SPARK_SUBMIT, "--master", "local[2]"]
    for key, value in spark_conf().items():
        args += ["--conf", f"{key}={value}"]
    args += [
        os.path.join(PROJECT, "jobs", "pipeline_job.py"),
        "--lakehouse-root",
        os.environ.get("LAKEPORT_LAKEHOUSE_ROOT", os.path.join(PROJECT, "lakehouse")),
    ]
    # Quoted for bash; Airflow renders the {{ macros }} first.
    return " ".join(shlex.quote(a) if "{{" not in a else f'"{a}"' for a in args)


with DAG(
    dag_id=CONFIG["name"],
    schedule=CONFIG["schedule"],
    start_date=datetime(2026, 1, 1),
    catchup=False,
    tags=["lakeport", "spark"],
) as dag:
    BashOperator(
        task_id="run_spark_job",
        bash_command=spark_submit_command(),
        env={"PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"},
        append_env=True,
    )
