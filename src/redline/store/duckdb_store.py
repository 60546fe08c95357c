"""A redline store in one DuckDB file (or in memory).

Each article is written with its events and quotes in one transaction, the
article row last: an article that is present is complete, so an interrupted
ingest resumes by skipping what is there. Re-adding changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from redline.errors import StoreError
from redline.ingest.sources import Rejected
from redline.model import Article, Event, Quote, article_contexts
from redline.store.schema import (
    EVENT_RECORD_COLUMNS,
    MIGRATIONS,
    QUOTE_RECORD_COLUMNS,
    SCHEMA_VERSION,
    TABLES,
)

# reports and distinct sources (site name, else the URL's host) of each story
STORY_COUNTS = (
    "SELECT cluster_id, count(*) AS num_articles, greatest(1, count(DISTINCT coalesce("
    "source, nullif(regexp_extract(url, '^[a-z]+://([^/:]+)', 1), '')))) AS num_sources "
    "FROM articles WHERE cluster_id IS NOT NULL GROUP BY cluster_id")


@dataclass(slots=True)
class EventFilter:
    """Filters shared by event queries (CLI ``redline events`` and the API)."""

    actor: str | None = None
    recipient: str | None = None
    event: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int | None = None
    article_id: str | None = None

    def where(self) -> tuple[str, dict]:
        clauses, params = [], {}
        for name, column in (("actor", "actor"), ("recipient", "recipient")):
            value = getattr(self, name)
            if value:
                clauses.append(_actor_clause(column, name, value, params))
        if self.event:
            params["event"] = self.event.upper()
            clauses.append("e.event = $event")
        if self.status:
            params["status"] = self.status.lower()
            clauses.append("e.status = $status")
        if self.since:
            params["since"] = self.since
            clauses.append("e.date_start >= $since")
        if self.until:
            params["until"] = self.until
            clauses.append("e.date_start <= $until")
        if self.article_id:
            params["article_id"] = self.article_id
            clauses.append("e.article_id = $article_id")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _actor_clause(column: str, name: str, value: str, params: dict) -> str:
    """"RUS" matches a code, "RUS/MIL" code and sector, anything else a name."""
    if "/" in value:
        code, sector = value.upper().split("/", 1)
        params[f"{name}_code"], params[f"{name}_sector"] = code, sector
        test = f"a.code = ${name}_code AND a.sector = ${name}_sector"
    elif value.isupper() and 2 <= len(value) <= 5:
        params[f"{name}_code"] = value
        test = f"a.code = ${name}_code"
    else:
        params[f"{name}_text"] = f"%{value}%"
        test = f"(a.name ILIKE ${name}_text OR a.text ILIKE ${name}_text)"
    return f"len(list_filter(e.{column}, lambda a: {test})) > 0"


# counts a run records: report name -> column of the runs table
RUN_COUNTS = {"added": "articles_added", "skipped": "articles_skipped", "events": "events",
              "quotes": "quotes", "rejects": "rejects", "copies": "copies",
              "foreign": "foreign_language", "tokens": "tokens", "seconds": "seconds"}


@dataclass(slots=True)
class AddResult:
    added: bool
    events: int = 0
    quotes: int = 0


@dataclass(slots=True)
class Store:
    """Articles, events and quotes; queries return ``pyarrow.Table``."""

    path: str | Path = ":memory:"
    read_only: bool = False
    con: duckdb.DuckDBPyConnection = field(init=False)

    def __post_init__(self) -> None:
        target = str(self.path)
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(target, read_only=self.read_only)
        except duckdb.Error as exc:
            raise StoreError(f"{target}: cannot open the database: {exc}") from exc
        if not self.read_only:
            self._migrate()

    def _migrate(self) -> None:
        self.con.execute(TABLES)
        row = self._one("SELECT value FROM meta WHERE key = 'schema_version'")
        if row is None:
            self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
            return
        version = int(row[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: made by a newer redline (schema {version} > {SCHEMA_VERSION})"
            )
        while version < SCHEMA_VERSION:  # each step in one transaction
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(MIGRATIONS[version])
                self.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                                 [str(version + 1)])
                self.con.execute("COMMIT")
            except duckdb.Error as exc:
                self.con.execute("ROLLBACK")
                raise StoreError(f"{self.path}: upgrading schema {version} to {version + 1} "
                                 f"failed, nothing changed: {exc}") from exc
            version += 1

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------
    def _one(self, sql: str, params: list | None = None) -> tuple | None:
        """The first row of a query, with the result consumed (DuckDB wants every
        result finished before the next statement on a connection)."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0] if rows else None

    def has_article(self, article_id: str) -> bool:
        return self._one("SELECT 1 FROM articles WHERE id = ?", [article_id]) is not None

    def add(self, article: Article, events: list[Event], quotes: list[Quote], *,
            content_hash: str | None = None, signature: bytes | None = None) -> AddResult:
        """Store one article (a story of its own) with its events and quotes,
        atomically; skip if present."""
        if self.has_article(article.id):
            return AddResult(added=False)
        self.con.execute("BEGIN TRANSACTION")
        try:
            if events:
                self.con.executemany(
                    "INSERT INTO events VALUES (" + ", ".join(["?"] * 24) + ") "
                    "ON CONFLICT DO NOTHING",
                    [_event_row(e) for e in events],
                )
            if quotes:
                self.con.executemany(
                    "INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [_quote_row(q) for q in quotes],
                )
            self._insert_article(article, len(events), len(quotes), article_contexts(events),
                                 content_hash, article.id, signature)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return AddResult(True, len(events), len(quotes))

    def add_copy(self, article: Article, cluster_id: str, content_hash: str) -> bool:
        """Store an article as another report of a stored story (its events are the
        story's); False if it is already stored."""
        if self.has_article(article.id):
            return False
        self._insert_article(article, 0, 0, None, content_hash, cluster_id, None)
        return True

    def _insert_article(self, article: Article, n_events: int, n_quotes: int,
                        contexts: list[str] | None, content_hash: str | None,
                        cluster_id: str, signature: bytes | None) -> None:
        self.con.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [article.id, article.url, article.title, article.published, article.source,
             article.origin, article.text, n_events, n_quotes, _now(), contexts,
             content_hash, cluster_id, signature],
        )

    def stories(self) -> list[tuple[str, str, bytes | None]]:
        """(cluster id, content hash, signature) of every stored article with a hash:
        what near-duplicate detection compares new articles with."""
        return self.con.execute(
            "SELECT cluster_id, content_hash, signature FROM articles "
            "WHERE content_hash IS NOT NULL ORDER BY ingested_at, id").fetchall()

    def start_run(self, inputs: Iterable[str], engine: str = "serial", workers: int = 1) -> str:
        run_id = uuid.uuid4().hex
        self.con.execute(
            "INSERT INTO runs (id, started, inputs, engine, workers) VALUES (?, ?, ?, ?, ?)",
            [run_id, _now(), list(inputs), engine, workers],
        )
        return run_id

    def add_rejects(self, run_id: str, rejects: Iterable[Rejected]) -> None:
        rows = [[run_id, r.source, r.line, r.problem] for r in rejects]
        if rows:
            self.con.executemany("INSERT INTO rejects VALUES (?, ?, ?, ?)", rows)

    def finish_run(self, run_id: str, **counts: float) -> None:
        """Record a run's end and its counts (``RUN_COUNTS``)."""
        unknown = set(counts) - set(RUN_COUNTS)
        if unknown:
            raise StoreError(f"unknown run counts: {sorted(unknown)}")
        names = [RUN_COUNTS[k] for k in counts]
        self.con.execute(
            f"UPDATE runs SET finished = ?, {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
            [_now(), *counts.values(), run_id],
        )

    def runs(self) -> pa.Table:
        """Every ingest run, the latest first."""
        return self._query("SELECT * FROM runs ORDER BY started DESC")

    def rejects(self, run_id: str | None = None) -> pa.Table:
        """What runs rejected (of one run, or of all)."""
        if run_id:
            return self._query("SELECT * FROM rejects WHERE run_id = $run", {"run": run_id})
        return self._query("SELECT * FROM rejects")

    # -- reading --------------------------------------------------------
    def _query(self, sql: str, params: dict | None = None) -> pa.Table:
        try:
            return self.con.sql(sql, params=params or None).to_arrow_table()
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: query failed: {exc}") from exc

    def events(self, filters: EventFilter | None = None, *, counts: bool = False
               ) -> pa.Table:
        """Events in record order (publication, article, sentence, trigger); with
        ``counts``, each with the number of articles and of sources reporting its
        story (``num_articles``, ``num_sources``)."""
        filters = filters or EventFilter()
        where, params = filters.where()
        columns = ", ".join(f"e.{c}" for c in EVENT_RECORD_COLUMNS)
        joined = ""
        if counts:
            columns += (", coalesce(s.num_articles, 1) AS num_articles, "
                        "coalesce(s.num_sources, 1) AS num_sources")
            joined = f" LEFT JOIN ({STORY_COUNTS}) s ON s.cluster_id = e.article_id"
        sql = (f"SELECT {columns} FROM events e JOIN articles a ON a.id = e.article_id"
               f"{joined}{where} "
               "ORDER BY a.published NULLS LAST, e.article_id, e.sentence_index, e.trigger_start")
        if filters.limit:
            sql += f" LIMIT {int(filters.limit)}"
        return self._query(sql, params)

    def quotes(self, speaker: str | None = None, since: date | None = None,
               until: date | None = None, limit: int | None = None) -> pa.Table:
        """Quotes in text order, filtered by speaker and publication date."""
        clauses, params = [], {}
        if speaker:
            params["speaker"] = speaker
            params["speaker_text"] = f"%{speaker}%"
            clauses.append("(q.speaker.code = $speaker OR q.speaker.name ILIKE $speaker_text "
                           "OR q.speaker.text ILIKE $speaker_text)")
        if since:
            params["since"] = since
            clauses.append("a.published >= $since")
        if until:
            params["until"] = until
            clauses.append("a.published <= $until")
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        columns = ", ".join(f"q.{c}" for c in QUOTE_RECORD_COLUMNS)
        sql = (f"SELECT {columns} FROM quotes q JOIN articles a ON a.id = q.article_id{where} "
               "ORDER BY a.published NULLS LAST, q.article_id, q.sentence_index")
        if limit:
            sql += f" LIMIT {int(limit)}"
        return self._query(sql, params)

    def articles(self) -> pa.Table:
        return self._query("SELECT id, url, title, published, source, origin, n_events, "
                           "n_quotes, contexts FROM articles "
                           "ORDER BY published NULLS LAST, id")

    def summary(self, top: int = 10) -> dict:
        """Counts for a quick look: articles, events by category and status, top dyads."""
        one = self.con.execute
        dyads = one(
            "SELECT a.code, r.code, count(*) AS n FROM events, "
            "unnest(actor) AS t(a), unnest(recipient) AS u(r) "
            "WHERE a.code IS NOT NULL AND r.code IS NOT NULL AND a.code <> r.code "
            "AND status <> 'negated' GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT ?", [top]
        ).fetchall()
        return {
            "articles": self._one("SELECT count(*) FROM articles")[0],
            "events": self._one("SELECT count(*) FROM events")[0],
            "quotes": self._one("SELECT count(*) FROM quotes")[0],
            "by_event": dict(one("SELECT event, count(*) FROM events GROUP BY 1 "
                                 "ORDER BY 2 DESC, 1").fetchall()),
            "by_status": dict(one("SELECT status, count(*) FROM events GROUP BY 1 "
                                  "ORDER BY 2 DESC, 1").fetchall()),
            "top_dyads": [(a, r, n) for a, r, n in dyads],
        }


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _event_row(event: Event) -> list:
    r = event.to_record()
    return [
        r["id"], r["article_id"], r["sentence_index"], r["text"], r["event_text"], r["event"],
        r["mode"], r["context"], r["quad_code"], r["event_scale"], r["cameo"], r["actor"],
        r["recipient"], r["date"], r["date_text"], r["date_precision"], r["event_loc"],
        r["status"], r["claimed_by"], {k: float(v) for k, v in r["magnitude"].items()},
        r["confidence"], r["coder"], _date_start(r["date"]), event.trigger_start,
    ]


def _date_start(value: str | None) -> date | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def _quote_row(quote: Quote) -> list:
    r = quote.to_record()
    return [r["id"], r["article_id"], r["sentence_index"], r["speaker"], r["cue"], r["text"],
            r["direct"], r["anonymous"]]


def table_records(table: pa.Table) -> list[dict]:
    """Rows of a query result as records in the extract schema (maps become dicts)."""
    records = table.to_pylist()
    for record in records:
        if isinstance(record.get("magnitude"), list):
            record["magnitude"] = {k: int(v) if float(v).is_integer() else v
                                   for k, v in record["magnitude"]}
    return records
