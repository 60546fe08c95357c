"""Record files: JSON Lines and CSV, one article a line or row. Columns map to
article fields by name (``text``, ``id``, ``url``, ``title``, ``published``,
``source``) unless ``ReadOptions.columns`` says otherwise."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from redline.errors import InputError
from redline.ingest.published import parse_published
from redline.ingest.sources import (
    RECORD_FIELDS,
    Item,
    ReadOptions,
    Rejected,
    Source,
    decode,
    rejected,
)
from redline.model import Article


def record_article(name: str, line: int, record: Mapping, options: ReadOptions) -> Article:
    """An article from one record (a JSON object or CSV row), or InputError."""
    values = {f: record.get(options.column(f)) for f in RECORD_FIELDS}
    text = values["text"]
    if not isinstance(text, str) or not text.strip():
        raise InputError(name, f"no {options.column('text')!r} field with text in it", line)
    if len(text.encode("utf-8")) > options.max_bytes:
        raise InputError(name, f"too large: over the {options.max_mb:g} MB limit for one "
                         "article (--max-mb)", line)
    for key in ("id", "url", "title", "source"):
        if values[key] is not None and not isinstance(values[key], str):
            raise InputError(name, f"field {options.column(key)!r} must be a string", line)
        if values[key] == "":
            values[key] = None
    published = parse_published(values["published"], name, line) or options.published
    url = values["url"] or (values["id"] if "://" in str(values["id"] or "") else None)
    return Article.create(text, url=url, title=values["title"], published=published,
                          source=values["source"], origin=f"{name}:{line}")


def _lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) of a byte stream; a line longer than ``limit`` is skipped
    unread and given as None."""
    number = 0
    while True:
        raw = stream.readline(limit + 2)
        if not raw:
            return
        number += 1
        if len(raw) > limit + 1 and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                raw = stream.readline(1 << 20)
            yield number, None
        else:
            yield number, raw


def read_jsonl(name: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Item]:
    """JSON Lines: one object a line, read as the file streams by."""
    for number, raw in _lines(stream, options.max_bytes):
        if raw is None:
            yield Rejected(name, f"too large: over the {options.max_mb:g} MB limit for one "
                           "article (--max-mb)", number)
            continue
        if not raw.strip():
            continue
        try:
            obj = json.loads(decode(name, raw, options, number))
            if not isinstance(obj, dict):
                raise InputError(name, "each line must be a JSON object", number)
            yield record_article(name, number, obj, options)
        except json.JSONDecodeError as exc:
            yield rejected(InputError(
                name, f"malformed JSON: {exc.msg} (column {exc.colno})", number))
        except (ValueError, RecursionError) as exc:  # huge numbers, deep nesting
            yield Rejected(name, f"unreadable JSON: {exc}", number)
        except InputError as exc:
            yield rejected(exc)


def read_csv(name: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Item]:
    """CSV (or TSV, by suffix) with a header row; rows are numbered by their file line."""
    csv.field_size_limit(min(sys.maxsize, options.max_bytes * 2))
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    dialect = "excel-tab" if name.lower().endswith((".tsv", ".tab")) else "excel"
    rows = csv.DictReader(text, dialect=dialect)
    try:
        header = rows.fieldnames
    except (UnicodeDecodeError, csv.Error) as exc:
        yield Rejected(name, f"unreadable header: {exc}", 1)
        return
    if not header or options.column("text") not in header:
        yield Rejected(name, f"no {options.column('text')!r} column (columns: "
                        f"{', '.join(header or [])}; map one with --column text=NAME)", 1)
        return
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            yield Rejected(name, f"invalid UTF-8 ({exc.reason}); the rest of the file is "
                            "unreadable", rows.line_num + 1)
            return
        except csv.Error as exc:
            yield Rejected(name, f"malformed CSV: {exc}", rows.line_num)
            continue
        try:
            yield record_article(name, rows.line_num, row, options)
        except InputError as exc:
            yield rejected(exc)


JSONL = Source("jsonl", (".jsonl", ".ndjson"), read_jsonl)
CSV = Source("csv", (".csv", ".tsv"), read_csv)
