"""Query results as files: CSV (nested values flattened), JSON Lines and Parquet
(nested values kept)."""

from __future__ import annotations

import csv
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq

from redline.store.duckdb_store import table_records


def flat_value(value: object) -> str:
    """One CSV cell: actors as CODE/SECTOR, places by name, lists joined by ';'."""
    if isinstance(value, list):
        return ";".join(flat_value(v) for v in value)
    if isinstance(value, dict):
        if "code" in value:
            return "/".join(str(value.get(k)) for k in ("code", "sector") if value.get(k)) \
                or str(value.get("text") or "")
        if "name" in value:
            return str(value.get("name") or value.get("text") or "")
        return ";".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else str(value)


def write_csv(records: list[dict], stream: io.TextIOBase, columns: list[str] | None = None
              ) -> None:
    """Records as CSV with a header (``columns``, else the first record's keys)."""
    fields = columns or (list(records[0]) if records else [])
    if not fields:
        return
    writer = csv.DictWriter(stream, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({k: flat_value(v) for k, v in record.items()})


def csv_bytes(table: pa.Table) -> bytes:
    """A query result as CSV."""
    out = io.StringIO()
    write_csv(table_records(table), out, table.column_names)
    return out.getvalue().encode("utf-8")


def jsonl_bytes(table: pa.Table) -> bytes:
    """A query result as JSON Lines, one record a line."""
    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n"
                   for r in table_records(table)).encode("utf-8")


def parquet_bytes(table: pa.Table) -> bytes:
    """A query result as one Parquet file (nested columns kept)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()
