"""A redline store in one DuckDB file (or in memory).

Each article is written with its events and quotes in one transaction, the
article row last: an article that is present is complete, so an interrupted
ingest resumes by skipping what is there. Re-adding changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from redline.errors import StoreError
from redline.ingest.sources import Rejected
from redline.model import article_contexts
from redline.store import browse
from redline.store.common import StoreCommon
from redline.store.filters import (
    DUCKDB,
    ORDER_KEY,
    PERIODS,
    EventFilter,
    EventKey,
    events_sql,
)
from redline.store.records import (
    ARTICLE_ARROW,
    EVENT_ARROW,
    QUOTE_ARROW,
    RUN_COUNTS,
    AddResult,
    Entry,
    event_row,
    now,
    quote_row,
)
from redline.store.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    TABLES,
)


def _story_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Content hash and signature of the articles stored before stories were kept,
    so that copies of them are known as copies."""
    from redline.ingest.dedup import content_hash, signature

    rows = con.execute("SELECT id, text FROM articles WHERE content_hash IS NULL").fetchall()
    if rows:
        con.executemany("UPDATE articles SET content_hash = ?, signature = ? WHERE id = ?",
                        [[content_hash(text), signature(text), i] for i, text in rows])


# steps in Python after a schema step's SQL (in its transaction): version -> step
BACKFILLS = {2: _story_keys}

@dataclass(slots=True)
class Store(StoreCommon):
    """Articles, events and quotes; queries return ``pyarrow.Table``."""

    path: str | Path = ":memory:"
    read_only: bool = False
    con: duckdb.DuckDBPyConnection | None = None  # given: share that connection's database

    def __post_init__(self) -> None:
        if self.con is not None:
            return
        target = str(self.path)
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        if self.read_only and self._schema_of(target) < SCHEMA_VERSION:
            with Store(target):  # an older store: upgraded once, then opened to read
                pass
        try:
            self.con = duckdb.connect(target, read_only=self.read_only)
        except duckdb.Error as exc:
            raise StoreError(f"{target}: cannot open the database: {exc}") from exc
        if not self.read_only:
            self._migrate()

    @staticmethod
    def _schema_of(target: str) -> int:
        """The schema version of a database file (the current one if it has none)."""
        try:
            with duckdb.connect(target, read_only=True) as con:
                row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                                  ).fetchall()
        except duckdb.Error:
            return SCHEMA_VERSION  # no meta table yet, or not readable: opening will say
        return int(row[0][0]) if row else SCHEMA_VERSION

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
            try:
                with self._transaction():
                    self.con.execute(MIGRATIONS[version])
                    if version in BACKFILLS:
                        BACKFILLS[version](self.con)
                    self.con.execute("UPDATE meta SET value = ? WHERE key = "
                                     "'schema_version'", [str(version + 1)])
            except duckdb.Error as exc:
                raise StoreError(f"{self.path}: upgrading schema {version} to {version + 1} "
                                 f"failed, nothing changed: {exc}") from exc
            version += 1

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One transaction: committed if the block ends, rolled back if it raises."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def cursor(self) -> Store:
        """The same database through a connection of its own, for another thread."""
        return Store(self.path, read_only=self.read_only, con=self.con.cursor())

    def meta(self, key: str) -> str | None:
        """A stored setting (``meta`` table), or None."""
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        """Store a setting (None removes it)."""
        with self._transaction():
            self.con.execute("DELETE FROM meta WHERE key = ?", [key])
            if value is not None:
                self.con.execute("INSERT INTO meta VALUES (?, ?)", [key, value])

    # -- writing --------------------------------------------------------
    def _one(self, sql: str, params: list | None = None) -> tuple | None:
        """The first row of a query, with the result consumed (DuckDB wants every
        result finished before the next statement on a connection)."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0] if rows else None

    def has_article(self, article_id: str) -> bool:
        """True if an article of this id is stored (as a story or a copy)."""
        return self._one("SELECT 1 FROM articles WHERE id = ?", [article_id]) is not None

    def write(self, entries: list[Entry]) -> list[AddResult]:
        """Store articles with their events and quotes in one transaction (articles
        already stored, or twice in ``entries``, are skipped): all of them or none."""
        results, rows, events, quotes, taken = [], [], [], [], set()
        copied: set[str] = set()  # stories with a new report: their counts change
        for entry in entries:
            article = entry.article
            if article.id in taken or self.has_article(article.id):
                results.append(AddResult(added=False))
                continue
            taken.add(article.id)
            rows.append([article.id, article.url, article.title, article.published,
                         article.source, article.origin, article.text, len(entry.events),
                         len(entry.quotes), now(),
                         article_contexts(entry.events) if entry.cluster_id is None else None,
                         entry.content_hash, entry.cluster_id or article.id, entry.signature])
            events.extend(event_row(e) for e in entry.events)
            quotes.extend(quote_row(q) for q in entry.quotes)
            if entry.cluster_id:
                copied.add(entry.cluster_id)
            results.append(AddResult(True, len(entry.events), len(entry.quotes)))
        if not rows:
            return results
        with self._transaction():
            if events:
                self._insert_arrow("events", pa.Table.from_pylist(events, EVENT_ARROW))
            if quotes:
                self._insert_arrow("quotes", pa.Table.from_pylist(quotes, QUOTE_ARROW))
            if events:  # the new events, from the rows (no scan of the events table)
                self._insert_arrow("changes", pa.table({
                    "event_id": [e["id"] for e in events], "op": ["upsert"] * len(events),
                    "changed_at": [now()] * len(events)}), columns="event_id, op, changed_at")
            if copied:
                self._log_changes("upsert", sorted(copied))
            self._insert_arrow(  # the articles last: an article present is complete
                "articles", pa.Table.from_pylist(
                    [dict(zip(ARTICLE_ARROW.names, row, strict=True)) for row in rows],
                    ARTICLE_ARROW))
        return results

    def _insert_arrow(self, table: str, rows: pa.Table, columns: str = "") -> None:
        self.con.register("redline_rows", rows)
        try:
            self.con.execute(f"INSERT INTO {table} {f'({columns})' if columns else ''} "
                             "SELECT * FROM redline_rows ON CONFLICT DO NOTHING")
        finally:
            self.con.unregister("redline_rows")

    def delete_articles(self, ids: Iterable[str]) -> int:
        """Remove articles with their events and quotes, in one transaction; a story
        goes with its copies. The events' deletions are logged for sync. The number
        of articles removed."""
        wanted = sorted(set(ids))
        with self._transaction():
            doomed = [r[0] for r in self.con.execute(
                "SELECT id FROM articles WHERE list_contains($ids, id) "
                "OR list_contains($ids, cluster_id)", {"ids": wanted}).fetchall()]
            stories = [r[0] for r in self.con.execute(  # copies gone: their stories changed
                "SELECT DISTINCT cluster_id FROM articles WHERE list_contains($ids, id) "
                "AND cluster_id <> id AND NOT list_contains($ids, cluster_id)",
                {"ids": wanted}).fetchall()]
            self._log_changes("delete", doomed)
            for table, column in (("events", "article_id"), ("quotes", "article_id"),
                                  ("articles", "id")):
                self.con.execute(f"DELETE FROM {table} WHERE list_contains($doomed, {column})",
                                 {"doomed": doomed})
            self._log_changes("upsert", stories)
        return len(doomed)

    def _log_changes(self, op: str, articles: list[str]) -> None:
        """Log a change of every event of these articles (inside a transaction)."""
        self.con.execute(
            "INSERT INTO changes (event_id, op, changed_at) SELECT id, $op, $at FROM events "
            "WHERE list_contains($articles, article_id) "
            "ORDER BY article_id, sentence_index, trigger_start, id",
            {"op": op, "at": now(), "articles": articles})

    def changes_since(self, cursor: int) -> tuple[list[str], list[str], int]:
        """Events changed after ``cursor``: (ids to upsert, ids deleted, new cursor).
        An event's last change decides which list it is in."""
        rows = self.con.execute(
            "SELECT event_id, arg_max(op, seq), max(seq) FROM changes WHERE seq > ? "
            "GROUP BY 1 ORDER BY 3", [cursor]).fetchall()
        upserts = [i for i, op, _ in rows if op == "upsert"]
        deleted = [i for i, op, _ in rows if op == "delete"]
        return upserts, deleted, max((r[2] for r in rows), default=cursor)

    def stories(self) -> list[tuple[str, str, bytes | None]]:
        """(cluster id, content hash, signature) of every stored article with a hash:
        what near-duplicate detection compares new articles with."""
        return self.con.execute(
            "SELECT cluster_id, content_hash, signature FROM articles "
            "WHERE content_hash IS NOT NULL ORDER BY ingested_at, id").fetchall()

    def start_run(self, inputs: Iterable[str], engine: str = "serial", workers: int = 1) -> str:
        """Record the start of an ingest run; its id."""
        run_id = uuid.uuid4().hex
        self.con.execute(
            "INSERT INTO runs (id, started, inputs, engine, workers) VALUES (?, ?, ?, ?, ?)",
            [run_id, now(), list(inputs), engine, workers],
        )
        return run_id

    def add_rejects(self, run_id: str, rejects: Iterable[Rejected]) -> None:
        """Record what a run rejected."""
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
            [now(), *counts.values(), run_id],
        )

    def mark_sent(self, keys: list[tuple[str, str, str | None, date]]) -> None:
        """Record alerts as sent."""
        if keys:
            self.con.executemany(
                "INSERT INTO alerts_sent VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [[rule, actor, recipient or "", end, now()]
                 for rule, actor, recipient, end in keys])

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
        sql, params = events_sql(filters or EventFilter(), DUCKDB, counts=counts)
        return self._query(sql, params)

    def event_batches(self, filters: EventFilter | None = None, size: int = 10_000
                      ) -> Iterator[pa.RecordBatch]:
        """Events in record order for export, a batch at a time: each record with its
        first day (``date_start``), its story's report counts and its article's URL,
        title, site, publication day and ingest time (``source_url``,
        ``source_title``, ``source_name``, ``published``, ``ingested_at``)."""
        sql, params = events_sql(filters or EventFilter(), DUCKDB, export=True)
        try:
            reader = self.con.sql(sql, params=params or None).to_arrow_reader(size)
            yield from reader
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: query failed: {exc}") from exc

    def events_page(self, filters: EventFilter, size: int, *, counts: bool = False
                    ) -> tuple[pa.Table, EventKey | None]:
        """Up to ``size`` events after ``filters.after``, and the key to ask for the
        next page with (None on the last page)."""
        page = replace(filters, limit=size + 1)
        found = self.events(page, counts=counts)
        if found.num_rows <= size:
            return found, None
        found = found.slice(0, size)
        last = found.column("id")[size - 1].as_py()
        key = self._one(f"SELECT {ORDER_KEY} FROM events e JOIN articles a "
                        "ON a.id = e.article_id WHERE e.id = ?", [last])
        return found, tuple(key)

    def quotes(self, speaker: str | None = None, since: date | None = None,
               until: date | None = None, limit: int | None = None) -> pa.Table:
        """Quotes in text order, filtered by speaker and publication date."""
        return self.quotes_page(speaker=speaker, since=since, until=until, limit=limit)[0]

    def articles(self) -> pa.Table:
        return self._query("SELECT id, url, title, published, source, origin, n_events, "
                           "n_quotes, contexts FROM articles "
                           "ORDER BY published NULLS LAST, id")

    # -- browsing (store/browse.py) ---------------------------------------
    def event(self, event_id: str) -> dict | None:
        return browse.event(self, event_id)

    def article(self, article_id: str) -> dict | None:
        return browse.article(self, article_id)

    def articles_page(self, **chosen: object) -> tuple[pa.Table, tuple | None]:
        return browse.articles_page(self, **chosen)

    def quotes_page(self, **chosen: object) -> tuple[pa.Table, tuple | None]:
        return browse.quotes_page(self, **chosen)

    def counts_over_time(self, filters: EventFilter, by: str = "week") -> list[dict]:
        return browse.counts_over_time(self, filters, by)

    def actors(self, filters: EventFilter, *, name: str | None = None,
               limit: int | None = None) -> pa.Table:
        return browse.actors(self, filters, name=name, limit=limit)

    def counterparts(self, code: str, filters: EventFilter | None = None,
                     limit: int = 20) -> list[dict]:
        return browse.counterparts(self, code, filters, limit)

    def places(self, filters: EventFilter) -> list[dict]:
        return browse.places(self, filters)

    # -- analysis and interchange -------------------------------------------
    def dyad_rows(self, since: date | None, until: date | None,
                  actors: Collection[str] | None) -> list[tuple]:
        """(event id, day, actor code, recipient code or None, category, quad, scale,
        status) of every dated, not negated event, a row for each pair of codes,
        oldest first; ``actors``: only rows whose actor is one of these codes."""
        return self.con.execute(
            """
            WITH acts AS (
                SELECT id, date_start, event, quad_code, event_scale, status,
                       unnest(actor) AS who
                FROM events
                WHERE status <> 'negated' AND date_start IS NOT NULL
                  AND ($since IS NULL OR date_start >= $since)
                  AND ($until IS NULL OR date_start <= $until)),
            chosen AS (SELECT * FROM acts WHERE who.code IS NOT NULL
                       AND ($actors IS NULL OR list_contains($actors, who.code))),
            targets AS (SELECT id AS target_of, unnest(recipient) AS whom FROM events
                        WHERE id IN (SELECT id FROM chosen))
            SELECT a.id, a.date_start, a.who.code, t.whom.code, a.event, a.quad_code,
                   a.event_scale, a.status
            FROM chosen a LEFT JOIN targets t ON t.target_of = a.id
            ORDER BY a.date_start, a.id, a.who.code, t.whom.code NULLS FIRST
            """, {"since": since, "until": until,
                  "actors": sorted(actors) if actors is not None else None}).fetchall()

    def daily_stories(self) -> dict[date, int]:
        """Stories (an article and its copies count once) published each day."""
        return dict(self.con.execute(
            "SELECT published, count(*) FROM articles WHERE published IS NOT NULL "
            "AND (cluster_id IS NULL OR cluster_id = id) GROUP BY 1").fetchall())

    def import_rows(self, table: str, chunks: Iterator[pa.Table], name: str) -> int:
        """Insert or replace imported rows (``gdelt_events``, ``plover_events``) in one
        transaction, a chunk at a time; how many."""
        count = 0
        try:
            with self._transaction():
                for chunk in chunks:
                    self.con.register("redline_import", chunk)
                    try:
                        self.con.execute(f"INSERT OR REPLACE INTO {table} "
                                         "SELECT * FROM redline_import")
                    finally:
                        self.con.unregister("redline_import")
                    count += chunk.num_rows
        except duckdb.Error as exc:
            raise StoreError(f"{name}: could not store the imported rows, nothing kept: "
                             f"{exc}") from exc
        return count

    def imported_counts(self, fmt: str, dataset: str | None, actor: str, recipient: str,
                        by: str, since: date | None, until: date | None
                        ) -> dict[date, tuple[int, float | None]]:
        """Events a period and their mean scale in an imported dataset (``gdelt``:
        Actor1/Actor2 country or known-group codes; ``plover``: actor and recipient
        codes)."""
        if fmt == "gdelt":
            day = "strptime(CAST(SQLDATE AS VARCHAR), '%Y%m%d')::DATE"
            scale, table = "GoldsteinScale", "gdelt_events"
            match = ("(Actor1CountryCode = $actor OR Actor1KnownGroupCode = $actor) AND "
                     "(Actor2CountryCode = $recipient OR Actor2KnownGroupCode = $recipient)")
        else:
            day, scale, table = "date", "event_scale", "plover_events"
            match = "list_contains(actor, $actor) AND list_contains(recipient, $recipient)"
        rows = self.con.execute(
            f"SELECT date_trunc('{PERIODS[PERIODS.index(by)]}', {day})::DATE AS period, "
            f"count(*), avg({scale}) "
            f"FROM {table} WHERE {match} AND ($dataset IS NULL OR dataset = $dataset) "
            f"AND ($since IS NULL OR {day} >= $since) AND ($until IS NULL OR {day} <= $until)"
            " GROUP BY 1 ORDER BY 1",
            {"actor": actor, "recipient": recipient, "dataset": dataset, "since": since,
             "until": until}).fetchall()
        return {period: (n, mean) for period, n, mean in rows}

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
