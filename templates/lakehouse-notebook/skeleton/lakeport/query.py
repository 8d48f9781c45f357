"""Reads lakehouse data through the portal's query API, as you.

    from lakeport.query import query
    df = query("SELECT * FROM customers.curated.customers", limit=1000)
    df.attrs["masked"]  # {dataset id: [columns you saw masked]}

Settings come from the environment, never from the notebook (a token in a
notebook ends up in its outputs and in git):

- LAKEPORT_URL: the portal, e.g. http://localhost:7007
- LAKEPORT_TOKEN: your Backstage token. In development:
  `scripts/dev-token user:default/<you>` in the portal's repository.

Columns you may not see come back masked exactly as in the portal's preview;
ask for access in the portal (the template already asked for the ones this
notebook reads). A query the portal refuses raises QueryError with its reason.
"""

import io
import json
import os

import pandas as pd
import pyarrow.ipc
import requests

ARROW = "application/vnd.apache.arrow.stream"


class QueryError(RuntimeError):
    pass


def query(sql: str, limit: int = 1000, timeout: float = 120) -> pd.DataFrame:
    url = os.environ.get("LAKEPORT_URL", "http://localhost:7007").rstrip("/")
    token = os.environ.get("LAKEPORT_TOKEN")
    if not token:
        raise QueryError("Set LAKEPORT_TOKEN to your portal token (see lakeport/query.py)")
    res = requests.post(
        f"{url}/api/lakehouse/query",
        json={"sql": sql, "limit": limit},
        headers={"Authorization": f"Bearer {token}", "Accept": ARROW},
        timeout=timeout,
    )
    if res.status_code != 200:
        try:
            message = res.json()["error"]["message"]
        except Exception:
            message = res.text[:500]
        raise QueryError(f"{res.status_code}: {message}")
    df = pyarrow.ipc.open_stream(io.BytesIO(res.content)).read_all().to_pandas()
    df.attrs["datasets"] = json.loads(res.headers.get("X-Lakeport-Datasets", "[]"))
    df.attrs["masked"] = {
        m["dataset"]: m["columns"]
        for m in json.loads(res.headers.get("X-Lakeport-Masked", "[]"))
    }
    df.attrs["truncated"] = res.headers.get("X-Lakeport-Truncated") == "true"
    return df
