"""What both backends do alike, on top of their own ``write`` and ``_one`` (a
query's first row): single writes, counts, the stored period, the sync cursor."""

from __future__ import annotations

from datetime import date
from typing import Self

from redline.model import Article, Event, Quote
from redline.store.records import AddResult, Entry


class StoreCommon:
    """Mixed into ``Store`` (DuckDB) and ``PostgresStore``."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, article: Article, events: list[Event], quotes: list[Quote], *,
            content_hash: str | None = None, signature: bytes | None = None) -> AddResult:
        """Store one article (a story of its own) with its events and quotes,
        atomically; skip if present."""
        [result] = self.write([Entry(article, events, quotes, content_hash, signature)])
        return result

    def add_copy(self, article: Article, cluster_id: str, content_hash: str) -> bool:
        """Store an article as another report of a stored story (its events are the
        story's); False if it is already stored."""
        [result] = self.write([Entry(article, content_hash=content_hash, cluster_id=cluster_id)])
        return result.added

    def counts(self) -> dict[str, int]:
        """Stored articles, events and quotes."""
        return {t: self._one(f"SELECT count(*) FROM {t}")[0]
                for t in ("articles", "events", "quotes")}

    def period(self) -> tuple[date, date] | None:
        """The first and last publication day of the stored articles, or None."""
        row = self._one("SELECT min(published), max(published) FROM articles")
        return (row[0], row[1]) if row and row[0] is not None else None

    def change_cursor(self) -> int:
        """The position of the latest change (0: none yet)."""
        return self._one("SELECT coalesce(max(seq), 0) FROM changes")[0]

    def data_version(self) -> tuple:
        """Changes when anyone stores, copies or deletes anything: the last change
        and the last ingest time."""
        return (self.change_cursor(), self._one("SELECT max(ingested_at) FROM articles")[0])

    def unsent(self, keys: list[tuple[str, str, str | None, date]]) -> list[bool]:
        """For each alert key (rule, actor, recipient, window end): not yet sent?"""
        sent = set(self.con.execute(
            "SELECT rule, actor, recipient, window_end FROM alerts_sent").fetchall())
        return [(rule, actor, recipient or "", end) not in sent
                for rule, actor, recipient, end in keys]
