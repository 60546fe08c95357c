"""Imports of other coders' event data (PLOVER JSON Lines, GDELT 2.0 event TSV)
into tables of their own, to compare with ours: upserts keyed by dataset and
id (importing a file twice changes nothing), bad lines rejected with their
line number, each file in one transaction."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyarrow as pa

from redline.errors import InputError
from redline.exchange import gdelt, plover
from redline.ingest.sources import Rejected
from redline.store import Store
from redline.store.schema import GDELT_COLUMNS

FORMATS = ("plover", "gdelt")
TABLES = {"plover": "plover_events", "gdelt": "gdelt_events"}
KEYS = {"plover_events": ("dataset", "id"), "gdelt_events": ("dataset", "GLOBALEVENTID")}
BATCH = 5000


@dataclass(slots=True)
class ImportReport:
    """What an import stored, and what it rejected."""

    rows: int = 0
    rejects: list[Rejected] = field(default_factory=list)


def _lines(path: Path) -> Iterator[tuple[str, IO[str]]]:
    """The text streams of a file (each member of a .zip, a .gz unpacked)."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if not member.endswith("/"):
                    with archive.open(member) as raw:
                        yield f"{path}!{member}", io.TextIOWrapper(raw, encoding="utf-8",
                                                                   errors="replace")
        return
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as stream:
        yield str(path), stream


def _parser(fmt: str, dataset: str) -> Callable[[str], dict]:
    if fmt == "gdelt":
        return lambda line: gdelt.imported_row(line, dataset)

    def parse(line: str) -> dict:
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise ValueError(f"not JSON: {exc}") from exc
        return plover.imported_row(record, dataset)
    return parse


def import_files(store: Store, fmt: str, paths: list[Path], dataset: str) -> ImportReport:
    """Store the events of ``paths`` (format ``fmt``) as dataset ``dataset``."""
    if fmt not in FORMATS:
        raise InputError("--format", f"{fmt!r}: one of {', '.join(FORMATS)}")
    if not dataset or len(dataset) > 100:
        raise InputError("--dataset", "a name of 1 to 100 characters")
    parse, report = _parser(fmt, dataset), ImportReport()
    for path in paths:
        if not path.is_file():
            report.rejects.append(Rejected(str(path), "no such file"))
            continue
        for name, stream in _lines(path):
            report.rows += _store_file(store, TABLES[fmt], _parsed(stream, name, parse,
                                                                    report.rejects), name)
    return report


def _parsed(stream: IO[str], name: str, parse: Callable[[str], dict],
            rejects: list[Rejected]) -> Iterator[dict]:
    for number, line in enumerate(stream, 1):
        if line.strip():
            try:
                yield parse(line)
            except ValueError as exc:
                rejects.append(Rejected(name, str(exc), number))


def _store_file(store: Store, table: str, rows: Iterator[dict], name: str) -> int:
    """Insert or replace a file's rows in one transaction, a chunk at a time."""
    schema, key = _schema(table), KEYS[table]
    chunks = (pa.Table.from_pylist(list({tuple(r[k] for k in key): r for r in chunk}.values()),
                                   schema)  # a record given twice: the last one counts
              for chunk in iter(lambda: list(itertools.islice(rows, BATCH)), []))
    return store.import_rows(table, chunks, name)


def _schema(table: str) -> pa.Schema:
    kinds = {"INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
             "VARCHAR": pa.string()}
    if table == "gdelt_events":
        return pa.schema([("dataset", pa.string()),
                          *((name, kinds[kind]) for name, kind in GDELT_COLUMNS)])
    words = pa.list_(pa.string())
    return pa.schema([("dataset", pa.string()), ("id", pa.string()), ("date", pa.date32()),
                      ("actor", words), ("recipient", words), ("event", words),
                      ("mode", words), ("context", words), ("quad_code", pa.int32()),
                      ("event_scale", pa.float64()), ("record", pa.string())])
