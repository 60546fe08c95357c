"""The store stage: articles, events and quotes in one DuckDB file."""

from redline.store.duckdb_store import Store, table_records

__all__ = ["Store", "table_records"]
