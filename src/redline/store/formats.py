"""Query results as files: CSV (nested values flattened), JSON Lines and Parquet
(nested values kept)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from redline.store.records import table_records


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


def write_csv(records: list[dict], stream: io.TextIOBase, columns: list[str] | None = None,
              *, header: bool = True, guard: bool = False) -> None:
    """Records as CSV (``columns``, else the first record's keys); ``guard`` keeps
    spreadsheets from reading text cells as formulas (a leading ' before =, +, -,
    @ and control characters)."""
    fields = columns or (list(records[0]) if records else [])
    if not fields:
        return
    writer = csv.DictWriter(stream, fieldnames=fields, extrasaction="ignore")
    if header:
        writer.writeheader()
    for record in records:
        writer.writerow({k: _guarded(v) if guard else flat_value(v) for k, v in record.items()})


def _guarded(value: object) -> str:
    cell = flat_value(value)
    if isinstance(value, str | list | dict) and cell[:1] in FORMULA_STARTS:
        return "'" + cell
    return cell


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000  # rows a piece of a streamed download holds


def csv_chunks(table: pa.Table) -> Iterator[bytes]:
    """A query result as CSV, a piece at a time (text cells guarded)."""
    out = io.StringIO()
    write_csv([], out, table.column_names)
    yield out.getvalue().encode("utf-8")
    for batch in table.to_batches(max_chunksize=CHUNK):
        out = io.StringIO()
        write_csv(table_records(pa.Table.from_batches([batch])), out, table.column_names,
                  header=False, guard=True)
        yield out.getvalue().encode("utf-8")


def jsonl_chunks(table: pa.Table) -> Iterator[bytes]:
    """A query result as JSON Lines, one record a line, a piece at a time."""
    for batch in table.to_batches(max_chunksize=CHUNK):
        yield "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n"
                      for r in table_records(pa.Table.from_batches([batch]))).encode("utf-8")


def parquet_bytes(table: pa.Table) -> bytes:
    """A query result as one Parquet file (nested columns kept)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()
