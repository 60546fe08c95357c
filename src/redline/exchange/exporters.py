"""Exporters of stored events, registered like sources (entry points, group
``redline.exporters``; the built-in ones too): each writes event records, with
their articles' fields and report counts, to a file or a folder."""

from __future__ import annotations

import io
import itertools
import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from redline import __version__
from redline.errors import InputError
from redline.exchange.gdelt import write_gdelt
from redline.exchange.plover import write_plover
from redline.store import EventFilter, Store, table_records
from redline.store.formats import write_csv
from redline.store.records import EXPORT_COLUMNS

CODER = f"redline {__version__}"
Writer = Callable[[Iterator[pa.RecordBatch], Path], int]


@dataclass(frozen=True, slots=True)
class Exporter:
    """A format events can be exported in: ``write(batches, out)`` -> rows."""

    name: str
    help: str
    write: Writer
    folder: bool = False  # writes a folder of files, not one file


@dataclass(slots=True)
class ExportReport:
    """What an export wrote: rows, deleted ids (sync), the cursor to ask from next."""

    path: Path
    rows: int = 0
    deleted: int = 0
    cursor: int = 0
    seconds: float = 0.0
    deleted_path: Path | None = None


def _records(batches: Iterator[pa.RecordBatch]) -> Iterator[dict]:
    for batch in batches:
        yield from table_records(pa.Table.from_batches([batch]))


def _text_file(write: Callable[[Iterator[dict], io.TextIOBase], int]) -> Writer:
    def run(batches: Iterator[pa.RecordBatch], path: Path) -> int:
        with path.open("w", encoding="utf-8", newline="") as stream:
            return write(_records(batches), stream)
    return run


def write_csv_file(batches: Iterator[pa.RecordBatch], path: Path) -> int:
    """Records as CSV with a header (nested values flattened as `redline events`)."""
    count, first = 0, True
    with path.open("w", encoding="utf-8", newline="") as stream:
        for batch in batches:
            records = table_records(pa.Table.from_batches([batch]))
            write_csv(records, stream, batch.schema.names, header=first)
            first, count = False, count + len(records)
        if first:
            write_csv([], stream, list(EXPORT_COLUMNS))
    return count


def write_parquet_months(batches: Iterator[pa.RecordBatch], path: Path) -> int:
    """Records as Parquet files in a folder of month partitions (``month=2022-02``,
    ``month=undated``), nested columns kept."""
    first = next(batches, None)
    path.mkdir(parents=True, exist_ok=True)
    if first is None:
        return 0
    count = 0

    def with_month(batch: pa.RecordBatch) -> pa.RecordBatch:
        nonlocal count
        count += batch.num_rows
        months = pa.array([d.strftime("%Y-%m") if d else "undated"
                           for d in batch.column("date_start").to_pylist()], pa.string())
        return pa.RecordBatch.from_arrays([*batch.columns, months],
                                          names=[*batch.schema.names, "month"])

    schema = first.schema.append(pa.field("month", pa.string()))
    every = (with_month(b) for b in itertools.chain([first], batches))
    ds.write_dataset(every, path, schema=schema, format="parquet", partitioning=["month"],
                     partitioning_flavor="hive", existing_data_behavior="overwrite_or_ignore",
                     basename_template="part-{i}.parquet")
    return count


def write_geojson(batches: Iterator[pa.RecordBatch], path: Path) -> int:
    """Located events as a GeoJSON FeatureCollection of points (unlocated ones are
    left out); the number of features."""
    count = 0
    with path.open("w", encoding="utf-8") as stream:
        stream.write('{"type": "FeatureCollection", "features": [\n')
        for row in _records(batches):
            place = row.get("event_loc") or {}
            if place.get("lat") is None or place.get("lon") is None:
                continue
            feature = {"type": "Feature",
                       "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
                       "properties": {
                           "id": row["id"], "date": row.get("date"), "event": row["event"],
                           "quad_code": row.get("quad_code"), "status": row.get("status"),
                           "actor": [a.get("code") for a in row.get("actor") or []],
                           "recipient": [r.get("code") for r in row.get("recipient") or []],
                           "place": place.get("name"), "country": place.get("country"),
                           "text": row.get("text"), "url": row.get("source_url")}}
            stream.write((",\n" if count else "") + json.dumps(feature, ensure_ascii=False,
                                                               default=str))
            count += 1
        stream.write("\n]}\n")
    return count


PARQUET = Exporter("parquet", "Parquet, a folder of month partitions", write_parquet_months,
                   folder=True)
CSV = Exporter("csv", "CSV with a header", write_csv_file)
PLOVER = Exporter("plover", "PLOVER JSON Lines (the manual's field names)",
                  _text_file(lambda records, stream: write_plover(records, stream, CODER)))
GDELT = Exporter("gdelt", "GDELT 2.0 event TSV (61 columns, no header)",
                 _text_file(write_gdelt))
GEOJSON = Exporter("geojson", "GeoJSON points of located events", write_geojson)
BUILT_IN = (PARQUET, CSV, PLOVER, GDELT, GEOJSON)


def exporters() -> dict[str, Exporter]:
    """Every exporter: the built-in ones, then plug-ins (entry points)."""
    found = {e.name: e for e in BUILT_IN}
    for point in entry_points(group="redline.exporters"):
        if point.name not in found:
            loaded = point.load()
            if isinstance(loaded, Exporter):
                found[point.name] = loaded
    return found


def export(store: Store, fmt: str, out: Path, filters: EventFilter | None = None, *,
           since_cursor: int | None = None, overwrite: bool = False) -> ExportReport:
    """Write the filtered events in ``fmt`` to ``out``; with ``since_cursor``, only
    those changed since (and the ids deleted since, one a line, beside ``out``)."""
    chosen = exporters().get(fmt)
    if chosen is None:
        raise InputError("--format", f"{fmt!r}: one of {', '.join(exporters())}")
    if out.exists() and not overwrite:
        raise InputError(str(out), "already exists (choose another path, or --overwrite)")
    started = time.perf_counter()
    filters = filters or EventFilter()
    report = ExportReport(out, cursor=store.change_cursor())
    if since_cursor is not None:
        if filters.limit:
            raise InputError("--limit", "a sync export (--since-cursor) writes every change "
                             "or none: a limit would skip some for good")
        if since_cursor < 0 or since_cursor > report.cursor:
            raise InputError("--since-cursor", f"{since_cursor}: not a cursor of this store "
                             f"(0 to {report.cursor})")
        upserts, deleted, report.cursor = store.changes_since(since_cursor)
        filters.ids = upserts if filters.ids is None else sorted(set(filters.ids) & set(upserts))
        report.deleted = len(deleted)
        report.deleted_path = (out / "deleted.txt") if chosen.folder else out.with_name(
            out.name + ".deleted")
    _clear(out, chosen.folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    report.rows = chosen.write(store.event_batches(filters), out)
    if report.deleted_path is not None:
        report.deleted_path.parent.mkdir(parents=True, exist_ok=True)
        report.deleted_path.write_text("".join(f"{i}\n" for i in deleted), encoding="utf-8")
    report.seconds = time.perf_counter() - started
    return report


def _clear(out: Path, folder: bool) -> None:
    if not out.exists():
        return
    if folder and out.is_dir():
        shutil.rmtree(out)
    elif not folder:
        out.unlink()
    else:
        raise InputError(str(out), "is a file; parquet writes a folder")
