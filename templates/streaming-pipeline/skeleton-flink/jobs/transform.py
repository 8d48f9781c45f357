"""The transformation: edit this function.

It receives the topic's messages as a Flink Table, parsed into the columns
of the output's contract (contracts/), and returns the Table appended to
the output table. Keep the output's columns in step with the contract: the
portal checks the table against it, and classifications (PII) follow the
columns you keep.
"""

from pyflink.table import Table


def transform(messages: Table) -> Table:
    # --- edit from here -------------------------------------------------
    return messages
    # --- to here --------------------------------------------------------
