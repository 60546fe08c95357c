"""A redline store in PostgreSQL (psycopg 3), for a team: the same interface as
the DuckDB store. Records go in with COPY into a staging table and an
``INSERT … ON CONFLICT DO NOTHING``, a batch a transaction, articles last, so
that several ingest processes can write at once and nothing is lost or
doubled; queries return the same ``pyarrow`` tables."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date

import psycopg
import pyarrow as pa
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from redline.errors import StoreError
from redline.ingest.sources import Rejected
from redline.model import article_contexts
from redline.store.common import StoreCommon
from redline.store.filters import ORDER_KEY, POSTGRES, EventFilter, events_sql
from redline.store.postgres_schema import FIRST_VERSION, MIGRATIONS, TABLES
from redline.store.postgres_views import PostgresViews
from redline.store.records import (
    ARTICLE_LIST,
    EVENT_ARROW,
    EXPORT_EXTRA,
    QUOTE_ARROW,
    REJECT_LIST,
    RUN_COUNTS,
    RUN_LIST,
    AddResult,
    Entry,
    event_row,
    now,
    quote_row,
)
from redline.store.schema import EVENT_RECORD_COLUMNS, SCHEMA_VERSION
from redline.store.targets import redacted

LOCK = 0x7265646C  # advisory lock taken while the schema is created or upgraded
CHANGES_LOCK = 0x72656464  # taken before logging changes: log order is commit order
POOL_SIZE = 8  # connections a server's threads share
JSON_COLUMNS = {"actor", "recipient", "event_loc", "claimed_by", "magnitude", "speaker"}
EVENT_COLUMNS = tuple(EVENT_ARROW.names)
QUOTE_COLUMNS = tuple(QUOTE_ARROW.names)
EVENT_READ = pa.schema([EVENT_ARROW.field(c) for c in EVENT_RECORD_COLUMNS])
COUNTED = pa.schema([*EVENT_READ, ("num_articles", pa.int64()), ("num_sources", pa.int64())])

def _plain(row: dict) -> dict:
    """A record read back: JSON magnitudes as Arrow map items."""
    if isinstance(row.get("magnitude"), dict):
        row["magnitude"] = list(row["magnitude"].items())
    return row


class PostgresStore(StoreCommon, PostgresViews):
    """Articles, events and quotes in a PostgreSQL database."""

    def __init__(self, url: str, read_only: bool = False, *,
                 con: psycopg.Connection | None = None,
                 pool: ConnectionPool | None = None) -> None:
        self.url = url
        self.path = redacted(url)
        self.read_only = read_only
        self._pool = pool  # connections handed to threads (``cursor``), made on first use
        self._lent = con is not None and pool is not None
        if con is not None:
            self.con = con
            return
        try:
            self.con = psycopg.connect(url, autocommit=True)
            if read_only:
                self.con.execute("SET default_transaction_read_only = on")
            self._migrate()
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database: {exc}") from exc

    def _version(self) -> int | None:
        exists = self._one("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE "
                           "schemaname = current_schema() AND tablename = 'meta')")[0]
        if not exists:
            return None
        row = self._one("SELECT value FROM meta WHERE key = 'schema_version'")
        return int(row[0]) if row else None

    def _migrate(self) -> None:
        """Create the schema, or upgrade an older one (under a lock: one process at a
        time); a current store is only read (no DDL, so read-only roles can open it)."""
        version = self._version()
        if version == SCHEMA_VERSION:
            return
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: made by a newer redline (schema {version} > "
                             f"{SCHEMA_VERSION})")
        if self.read_only:
            raise StoreError(f"{self.path}: schema {version or 'none'} needs upgrading to "
                             f"{SCHEMA_VERSION}: open it once with a role that may write")
        # a session lock, taken before the transaction begins: the transaction then
        # sees the catalog as whoever held the lock before left it
        self.con.execute("SELECT pg_advisory_lock(%s)", [LOCK])
        try:
            with self.con.transaction():
                version = self._version()  # another process may have done it meanwhile
                if version is None:
                    self.con.execute(TABLES)
                    self.con.execute("INSERT INTO meta VALUES ('schema_version', %s)",
                                     [str(SCHEMA_VERSION)])
                    return
                while max(version, FIRST_VERSION) < SCHEMA_VERSION:
                    self.con.execute(MIGRATIONS[version])
                    version += 1
                    self.con.execute("UPDATE meta SET value = %s WHERE key = "
                                     "'schema_version'", [str(version)])
        finally:
            self.con.execute("SELECT pg_advisory_unlock(%s)", [LOCK])

    def close(self) -> None:
        if self._lent:
            self._pool.putconn(self.con)
            return
        self.con.close()
        if self._pool is not None:
            self._pool.close()

    def cursor(self) -> PostgresStore:
        """The same database through a pooled connection of its own, for another
        thread; closing it gives the connection back."""
        if self._pool is None:
            self._pool = ConnectionPool(self.url, min_size=1, max_size=POOL_SIZE,
                                        kwargs={"autocommit": True}, open=True)
        try:
            con = self._pool.getconn(timeout=30)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: no connection to the database: {exc}") from exc
        if self.read_only:
            con.execute("SET default_transaction_read_only = on")
        return PostgresStore(self.url, self.read_only, con=con, pool=self._pool)

    # -- plumbing ------------------------------------------------------------
    def _one(self, sql: str, params: list | dict | None = None) -> tuple | None:
        return self.con.execute(sql, params or None).fetchone()

    def _rows(self, sql: str, params: list | dict | None = None) -> list[dict]:
        try:
            with self.con.cursor(row_factory=dict_row) as cur:
                return [_plain(r) for r in cur.execute(sql, params or None).fetchall()]
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: query failed: {exc}") from exc

    def _query(self, sql: str, params: list | dict | None = None,
               schema: pa.Schema | None = None) -> pa.Table:
        return pa.Table.from_pylist(self._rows(sql, params), schema=schema)

    def meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = %s", [key])
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self.con.transaction():
            self.con.execute("DELETE FROM meta WHERE key = %s", [key])
            if value is not None:
                self.con.execute("INSERT INTO meta VALUES (%s, %s)", [key, value])

    # -- writing -------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self._one("SELECT 1 FROM articles WHERE id = %s", [article_id]) is not None

    def write(self, entries: list[Entry]) -> list[AddResult]:
        """Store articles with their events and quotes in one transaction. Whoever
        else writes at the same moment: an article stored already is skipped (its
        records too), and an article whose text is a stored story's is kept as a
        further report of that story (exact copies; each text is locked while it is
        checked)."""
        results: dict[str, AddResult] = {}
        try:
            with self.con.transaction():
                chosen = self._stories_or_copies(entries)
                added = self._insert_articles(chosen)
                kept = [e for e in chosen if e.article.id in added]
                events = [event_row(ev) for e in kept for ev in e.events]
                self._copy_in("events", EVENT_COLUMNS, events)
                self._copy_in("quotes", QUOTE_COLUMNS,
                              [quote_row(q) for e in kept for q in e.quotes])
                self.con.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGES_LOCK])
                if events:  # change order is commit order: a sync never skips one
                    self.con.execute(
                        "INSERT INTO changes (event_id, op, changed_at) SELECT id, 'upsert', "
                        "%s FROM unnest(%s::TEXT[]) WITH ORDINALITY AS n(id, i) ORDER BY i",
                        [now(), [e["id"] for e in events]])
                copied = sorted({e.cluster_id for e in kept if e.cluster_id})
                if copied:
                    self._log_changes("upsert", copied)
                results = {e.article.id: AddResult(True, len(e.events), len(e.quotes))
                           for e in kept}
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: writing failed, nothing kept: {exc}") from exc
        return [results.get(e.article.id, AddResult(False)) for e in entries]

    def _stories_or_copies(self, entries: list[Entry]) -> list[Entry]:
        """The entries to write, once each, in id order (no deadlocks between
        writers); a story whose text is stored already becomes a copy of it."""
        unique = sorted({e.article.id: e for e in entries}.values(), key=lambda e: e.article.id)
        hashes = sorted({e.content_hash for e in unique
                         if e.cluster_id is None and e.content_hash})
        for digest in hashes:  # until commit, no one else checks or stores these texts
            self.con.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [digest])
        known = dict(self.con.execute(
            "SELECT content_hash, min(id) FROM articles WHERE content_hash = ANY(%s) "
            "AND cluster_id = id GROUP BY 1", [hashes]).fetchall()) if hashes else {}
        return [Entry(e.article, content_hash=e.content_hash, cluster_id=known[e.content_hash])
                if e.cluster_id is None and e.content_hash in known else e for e in unique]

    def _insert_articles(self, entries: list[Entry]) -> set[str]:
        """Insert the articles not stored yet; the ids this transaction added."""
        rows = [(e.article.id, e.article.url, e.article.title, e.article.published,
                 e.article.source, e.article.origin, e.article.text, len(e.events),
                 len(e.quotes), now(),
                 article_contexts(e.events) if e.cluster_id is None else None,
                 e.content_hash, e.cluster_id or e.article.id, e.signature) for e in entries]
        added: set[str] = set()
        if not rows:
            return added
        with self.con.cursor() as cur:
            cur.executemany("INSERT INTO articles VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, "
                            "%s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING RETURNING id",
                            rows, returning=True)
            while True:
                added.update(r[0] for r in cur.fetchall())
                if not cur.nextset():
                    break
        return added

    def _copy_in(self, table: str, columns: tuple[str, ...], rows: list[dict]) -> None:
        """Rows into ``table`` through a staging table (COPY), those already there kept."""
        if not rows:
            return
        names = ", ".join(columns)
        self.con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}_in (LIKE {table}) "
                         "ON COMMIT DELETE ROWS")
        with self.con.cursor() as cur:
            with cur.copy(f"COPY {table}_in ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([_json(c, row[c]) for c in columns])
            cur.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {table}_in "
                        "ORDER BY id ON CONFLICT (id) DO NOTHING")

    def _log_changes(self, op: str, articles: list[str]) -> None:
        self.con.execute(
            "INSERT INTO changes (event_id, op, changed_at) SELECT id, %s, %s FROM events "
            "WHERE article_id = ANY(%s) ORDER BY article_id, sentence_index, trigger_start, id",
            [op, now(), articles])

    def delete_articles(self, ids: Iterable[str]) -> int:
        wanted = sorted(set(ids))
        with self.con.transaction():
            self.con.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGES_LOCK])
            doomed = [r[0] for r in self.con.execute(
                "SELECT id FROM articles WHERE id = ANY(%s) OR cluster_id = ANY(%s)",
                [wanted, wanted]).fetchall()]
            stories = [r[0] for r in self.con.execute(
                "SELECT DISTINCT cluster_id FROM articles WHERE id = ANY(%s) "
                "AND cluster_id <> id AND NOT cluster_id = ANY(%s)", [wanted, wanted]).fetchall()]
            self._log_changes("delete", doomed)
            for table, column in (("events", "article_id"), ("quotes", "article_id"),
                                  ("articles", "id")):
                self.con.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", [doomed])
            self._log_changes("upsert", stories)
        return len(doomed)

    def changes_since(self, cursor: int) -> tuple[list[str], list[str], int]:
        rows = self.con.execute(
            "SELECT event_id, op, seq FROM (SELECT DISTINCT ON (event_id) event_id, op, seq "
            "FROM changes WHERE seq > %s ORDER BY event_id, seq DESC) last ORDER BY seq",
            [cursor]).fetchall()
        return ([i for i, op, _ in rows if op == "upsert"],
                [i for i, op, _ in rows if op == "delete"],
                max((r[2] for r in rows), default=cursor))

    def stories(self) -> list[tuple[str, str, bytes | None]]:
        return [(c, h, bytes(s) if s is not None else None) for c, h, s in self.con.execute(
            "SELECT cluster_id, content_hash, signature FROM articles "
            "WHERE content_hash IS NOT NULL ORDER BY ingested_at, id").fetchall()]

    def start_run(self, inputs: Iterable[str], engine: str = "serial", workers: int = 1) -> str:
        run_id = uuid.uuid4().hex
        self.con.execute("INSERT INTO runs (id, started, inputs, engine, workers) "
                         "VALUES (%s, %s, %s, %s, %s)",
                         [run_id, now(), list(inputs), engine, workers])
        return run_id

    def add_rejects(self, run_id: str, rejects: Iterable[Rejected]) -> None:
        rows = [(run_id, r.source, r.line, r.problem) for r in rejects]
        if rows:
            with self.con.cursor() as cur:
                cur.executemany("INSERT INTO rejects VALUES (%s, %s, %s, %s)", rows)

    def finish_run(self, run_id: str, **counts: float) -> None:
        unknown = set(counts) - set(RUN_COUNTS)
        if unknown:
            raise StoreError(f"unknown run counts: {sorted(unknown)}")
        names = [RUN_COUNTS[k] for k in counts]
        self.con.execute(
            f"UPDATE runs SET finished = %s, {', '.join(f'{n} = %s' for n in names)} "
            "WHERE id = %s", [now(), *counts.values(), run_id])

    def mark_sent(self, keys: list[tuple[str, str, str | None, date]]) -> None:
        if keys:
            with self.con.cursor() as cur:
                cur.executemany("INSERT INTO alerts_sent VALUES (%s, %s, %s, %s, %s) "
                                "ON CONFLICT DO NOTHING",
                                [(r, a, c or "", e, now()) for r, a, c, e in keys])

    def runs(self) -> pa.Table:
        return self._query("SELECT * FROM runs ORDER BY started DESC", schema=RUN_LIST)

    def rejects(self, run_id: str | None = None) -> pa.Table:
        if run_id:
            return self._query("SELECT * FROM rejects WHERE run_id = %s", [run_id],
                               REJECT_LIST)
        return self._query("SELECT * FROM rejects", schema=REJECT_LIST)

    # -- reading -------------------------------------------------------------
    def events(self, filters: EventFilter | None = None, *, counts: bool = False
               ) -> pa.Table:
        sql, params = events_sql(filters or EventFilter(), POSTGRES, counts=counts)
        return self._query(sql, params, COUNTED if counts else EVENT_READ)

    def event_batches(self, filters: EventFilter | None = None, size: int = 10_000
                      ) -> Iterator[pa.RecordBatch]:
        sql, params = events_sql(filters or EventFilter(), POSTGRES, export=True)
        schema = pa.schema([*EVENT_READ, *EXPORT_EXTRA])  # as the DuckDB store's
        with self.con.transaction(), self.con.cursor(
                name=f"export_{uuid.uuid4().hex}", row_factory=dict_row) as cur:
            cur.execute(sql, params)
            while rows := cur.fetchmany(size):
                yield pa.RecordBatch.from_pylist([_plain(r) for r in rows], schema=schema)

    def events_page(self, filters: EventFilter, size: int, *, counts: bool = False
                    ) -> tuple[pa.Table, tuple | None]:
        found = self.events(replace(filters, limit=size + 1), counts=counts)
        if found.num_rows <= size:
            return found, None
        found = found.slice(0, size)
        key = self._one(f"SELECT {ORDER_KEY} FROM events e JOIN articles a "
                        "ON a.id = e.article_id WHERE e.id = %s",
                        [found.column("id")[size - 1].as_py()])
        return found, tuple(key)

    def quotes(self, speaker: str | None = None, since: date | None = None,
               until: date | None = None, limit: int | None = None) -> pa.Table:
        return self.quotes_page(speaker=speaker, since=since, until=until,
                                limit=limit)[0]

    def articles(self) -> pa.Table:
        return self._query("SELECT id, url, title, published, source, origin, n_events, "
                           "n_quotes, contexts FROM articles ORDER BY published NULLS LAST, id",
                           schema=ARTICLE_LIST)

    def summary(self, top: int = 10) -> dict:
        dyads = self.con.execute(
            "SELECT * FROM (SELECT a->>'code' AS actor, r->>'code' AS recipient, count(*) AS n "
            "FROM events, jsonb_array_elements(actor) a, jsonb_array_elements(recipient) r "
            "WHERE a->>'code' IS NOT NULL AND r->>'code' IS NOT NULL "
            "AND a->>'code' <> r->>'code' AND status <> 'negated' GROUP BY 1, 2) d "
            'ORDER BY n DESC, actor COLLATE "C", recipient COLLATE "C" LIMIT %s',
            [top]).fetchall()
        grouped = 'SELECT {0}, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, {0} COLLATE "C"'
        return {**self.counts(),
                "by_event": dict(self.con.execute(grouped.format("event")).fetchall()),
                "by_status": dict(self.con.execute(grouped.format("status")).fetchall()),
                "top_dyads": [(a, r, n) for a, r, n in dyads]}


def _json(column: str, value: object) -> object:
    """A value as COPY takes it: JSON columns wrapped (magnitudes as objects)."""
    if column not in JSON_COLUMNS or value is None:
        return value
    if column == "magnitude" and isinstance(value, list):
        value = dict(value)
    return Jsonb(value)

