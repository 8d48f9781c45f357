"""Sends test messages to the pipeline's topic: JSON objects with the
contract's fields and made-up values (never real data).

    python scripts/produce.py --count 100
"""

import argparse
import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "jobs"))
from lakeport_stream import contract_fields, load_config  # noqa: E402


def value(kind: str, name: str, i: int, rnd: random.Random):
    if kind in ("integer", "int", "bigint", "long"):
        return rnd.randint(1, 100_000)
    if kind in ("number", "double", "float", "decimal"):
        return round(rnd.uniform(1, 500), 2)
    if kind in ("boolean", "bool"):
        return rnd.random() < 0.9
    if kind in ("timestamp", "datetime"):
        # ISO-8601 in UTC with a Z, as both engines parse it.
        stamp = datetime.now(timezone.utc) - timedelta(seconds=i)
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"
    if kind == "date":
        return (datetime.now(timezone.utc) - timedelta(days=i % 7)).date().isoformat()
    if "email" in name:
        return f"test{i}@example.com"
    return f"{name}-{i}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from confluent_kafka import Producer

    config = load_config()
    fields = contract_fields(config)
    rnd = random.Random(args.seed)
    # Idempotent: a send retried under load is not written twice.
    producer = Producer({"bootstrap.servers": config["bootstrapServers"], "enable.idempotence": True})
    for i in range(args.count):
        message = {f["name"]: value(f["type"], f["name"], i, rnd) for f in fields}
        producer.produce(config["topic"], json.dumps(message).encode())
    if producer.flush(60):
        sys.exit("some messages were not delivered")
    print(f"sent {args.count} messages to {config['topic']}")


if __name__ == "__main__":
    main()
