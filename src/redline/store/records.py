"""What every backend stores and returns alike: the entries written, the Arrow
shapes of event and quote records, and records from query results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pyarrow as pa

from redline.model import Article, Event, Quote
from redline.store.schema import EVENT_RECORD_COLUMNS, QUOTE_RECORD_COLUMNS

# counts a run records: report name -> column of the runs table
RUN_COUNTS = {"added": "articles_added", "skipped": "articles_skipped", "events": "events",
              "quotes": "quotes", "rejects": "rejects", "copies": "copies",
              "foreign": "foreign_language", "tokens": "tokens", "seconds": "seconds"}


_ACTOR = pa.struct([(f, pa.string()) for f in ("text", "code", "sector", "name", "kb_id")])
_PLACE = pa.struct([("text", pa.string()), ("name", pa.string()), ("geonameid", pa.int64()),
                    ("country", pa.string()), ("admin1", pa.string()), ("lat", pa.float64()),
                    ("lon", pa.float64())])
# the events and quotes tables as Arrow schemas (column for column), for bulk inserts
EVENT_ARROW = pa.schema([
    ("id", pa.string()), ("article_id", pa.string()), ("sentence_index", pa.int32()),
    ("text", pa.string()), ("event_text", pa.string()), ("event", pa.string()),
    ("mode", pa.list_(pa.string())), ("context", pa.list_(pa.string())),
    ("quad_code", pa.int32()), ("event_scale", pa.float64()), ("cameo", pa.string()),
    ("actor", pa.list_(_ACTOR)), ("recipient", pa.list_(_ACTOR)), ("date", pa.string()),
    ("date_text", pa.string()), ("date_precision", pa.string()), ("event_loc", _PLACE),
    ("status", pa.string()), ("claimed_by", _ACTOR),
    ("magnitude", pa.map_(pa.string(), pa.float64())), ("confidence", pa.float64()),
    ("coder", pa.string()), ("date_start", pa.date32()), ("trigger_start", pa.int32()),
])
ARTICLE_ARROW = pa.schema([
    ("id", pa.string()), ("url", pa.string()), ("title", pa.string()),
    ("published", pa.date32()), ("source", pa.string()), ("origin", pa.string()),
    ("text", pa.string()), ("n_events", pa.int32()), ("n_quotes", pa.int32()),
    ("ingested_at", pa.timestamp("us")), ("contexts", pa.list_(pa.string())),
    ("content_hash", pa.string()), ("cluster_id", pa.string()), ("signature", pa.binary()),
])
_WORDS = pa.list_(pa.string())
# query results whose shape both backends give alike (column for column)
ARTICLE_LIST = pa.schema([
    ("id", pa.string()), ("url", pa.string()), ("title", pa.string()),
    ("published", pa.date32()), ("source", pa.string()), ("origin", pa.string()),
    ("n_events", pa.int32()), ("n_quotes", pa.int32()), ("contexts", _WORDS)])
ARTICLE_PAGE = pa.schema([*ARTICLE_LIST, ("cluster_id", pa.string())])
ACTOR_LIST = pa.schema([("code", pa.string()), ("as_actor", pa.int64()),
                        ("as_recipient", pa.int64()), ("sectors", _WORDS), ("names", _WORDS)])
RUN_LIST = pa.schema([
    ("id", pa.string()), ("started", pa.timestamp("us")), ("finished", pa.timestamp("us")),
    ("inputs", _WORDS), ("articles_added", pa.int32()), ("articles_skipped", pa.int32()),
    ("events", pa.int32()), ("quotes", pa.int32()), ("rejects", pa.int32()),
    ("engine", pa.string()), ("workers", pa.int32()), ("copies", pa.int32()),
    ("foreign_language", pa.int32()), ("tokens", pa.int64()), ("seconds", pa.float64())])
REJECT_LIST = pa.schema([("run_id", pa.string()), ("source", pa.string()),
                         ("line", pa.int32()), ("problem", pa.string())])
# what an export batch holds beyond the record: (column, type), both backends alike
EXPORT_EXTRA = (("date_start", pa.date32()), ("num_articles", pa.int64()),
                ("num_sources", pa.int64()), ("source_url", pa.string()),
                ("source_title", pa.string()), ("source_name", pa.string()),
                ("published", pa.date32()), ("ingested_at", pa.timestamp("us")))
EXPORT_COLUMNS = (*EVENT_RECORD_COLUMNS, *(name for name, _ in EXPORT_EXTRA))
QUOTE_ARROW = pa.schema([
    ("id", pa.string()), ("article_id", pa.string()), ("sentence_index", pa.int32()),
    ("speaker", _ACTOR), ("cue", pa.string()), ("text", pa.string()),
    ("direct", pa.bool_()), ("anonymous", pa.bool_()),
])


@dataclass(slots=True)
class Entry:
    """One article to store: a story with its records, or (``cluster_id`` set) a
    further report of a stored story."""

    article: Article
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    content_hash: str | None = None
    signature: bytes | None = None
    cluster_id: str | None = None


@dataclass(slots=True)
class AddResult:
    added: bool
    events: int = 0
    quotes: int = 0


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def event_row(event: Event) -> dict:
    r = event.to_record()
    row = {c: r[c] for c in EVENT_RECORD_COLUMNS}
    row["magnitude"] = [(k, float(v)) for k, v in r["magnitude"].items()]
    row["date_start"] = date_start(r["date"])
    row["trigger_start"] = event.trigger_start
    return row


def date_start(value: str | None) -> date | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def quote_row(quote: Quote) -> dict:
    r = quote.to_record()
    return {c: r[c] for c in QUOTE_RECORD_COLUMNS}


def table_records(table: pa.Table) -> list[dict]:
    """Rows of a query result as records in the extract schema (maps become dicts)."""
    records = table.to_pylist()
    for record in records:
        if isinstance(record.get("magnitude"), list):
            record["magnitude"] = {k: int(v) if float(v).is_integer() else v
                                   for k, v in record["magnitude"]}
    return records
