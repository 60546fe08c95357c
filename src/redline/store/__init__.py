"""The store stage: articles, events and quotes in one DuckDB file (default) or
a PostgreSQL database (``postgresql://…``), behind one interface."""

from __future__ import annotations

from typing import TYPE_CHECKING

from redline.store.duckdb_store import Store
from redline.store.filters import EventFilter
from redline.store.records import Entry, table_records
from redline.store.targets import is_postgres

if TYPE_CHECKING:
    from redline.store.interface import EventStore


def open_store(target: str, read_only: bool = False) -> EventStore:
    """The store ``target`` names: a PostgreSQL URL (``postgresql://…``) or a DuckDB
    file (``:memory:`` for none)."""
    if is_postgres(str(target)):
        from redline.store.postgres_store import PostgresStore  # psycopg only when asked

        return PostgresStore(str(target), read_only)
    return Store(target, read_only=read_only)


__all__ = ["Entry", "EventFilter", "Store", "open_store", "table_records"]
