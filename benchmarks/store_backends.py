"""Ingest into PostgreSQL against DuckDB on the same texts.

    REDLINE_TEST_POSTGRES=postgresql://… python benchmarks/store_backends.py [--copies 40]

1. A full ingest (reading, language, duplicates, coding, storing; serial engine)
   of the bundled sample corpus into a new DuckDB file and into a new PostgreSQL
   schema, alternating, best of two: articles/s and the ratio PostgreSQL/DuckDB.
2. Writing alone: the corpus coded once, its articles, events and quotes
   written ``--copies`` times under new ids (batches of 16, one transaction
   each, as ingest writes) into each backend: events/s and the ratio.

Skips PostgreSQL (and says so) when REDLINE_TEST_POSTGRES is not set.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

import psycopg

from redline.data import data_path
from redline.engines import code_batch
from redline.ingest.inputs import read_inputs
from redline.ingest.sources import ReadOptions
from redline.model import Article
from redline.runner import BATCH, ingest
from redline.store import Entry, open_store

CORPUS = data_path("corpus", "sample.jsonl")


def fresh_postgres(url: str, made: list[str]) -> str:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    made.append(schema)
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def drop_schemas(url: str, made: list[str]) -> None:
    with psycopg.connect(url, autocommit=True) as con:
        for name in made:
            con.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def full_ingest(target: str) -> float:
    with open_store(target) as store:
        started = time.perf_counter()
        report = ingest([str(CORPUS)], store, ReadOptions())
        return report.added / (time.perf_counter() - started)


def coded_entries() -> list[Entry]:
    articles = [a for a in read_inputs([str(CORPUS)], ReadOptions(), forced="jsonl")
                if isinstance(a, Article)]
    entries = []
    for start in range(0, len(articles), BATCH):
        batch = articles[start:start + BATCH]
        for article, result in zip(batch, code_batch(batch), strict=True):
            entries.append(Entry(article, result.events, result.quotes))
    return entries


def renamed(entry: Entry, copy: int) -> Entry:
    """The same records under new ids (so that every copy is written): record ids
    derive from their article's."""
    suffix = f"-{copy}"
    article = replace(entry.article, id=entry.article.id + suffix)
    return Entry(article, [replace(e, article_id=article.id) for e in entry.events],
                 [replace(q, article_id=article.id) for q in entry.quotes])


def write_only(target: str, entries: list[Entry], copies: int) -> tuple[int, float]:
    with open_store(target) as store:
        started, events = time.perf_counter(), 0
        for copy in range(copies):
            batch = [renamed(e, copy) for e in entries]
            for start in range(0, len(batch), BATCH):
                store.write(batch[start:start + BATCH])
            events += sum(len(e.events) for e in batch)
        return events, events / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=40)
    args = parser.parse_args()
    url = os.environ.get("REDLINE_TEST_POSTGRES")
    if not url:
        print("REDLINE_TEST_POSTGRES is not set: nothing to compare with")
        return
    made: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            best = {"duckdb": 0.0, "postgres": 0.0}
            for round_ in range(2):
                for name in ("duckdb", "postgres"):
                    target = (str(Path(folder) / f"full{round_}.duckdb") if name == "duckdb"
                              else fresh_postgres(url, made))
                    best[name] = max(best[name], full_ingest(target))
            print(f"full ingest, sample corpus, serial: DuckDB {best['duckdb']:.2f} "
                  f"articles/s, PostgreSQL {best['postgres']:.2f} articles/s, "
                  f"ratio {best['postgres'] / best['duckdb']:.3f}")
            entries = coded_entries()
            duck = write_only(str(Path(folder) / "write.duckdb"), entries, args.copies)
            pg = write_only(fresh_postgres(url, made), entries, args.copies)
            print(f"writing alone, {duck[0]:,} events in batches of {BATCH}: DuckDB "
                  f"{duck[1]:,.0f} events/s, PostgreSQL {pg[1]:,.0f} events/s, "
                  f"ratio {pg[1] / duck[1]:.3f}")
    finally:
        drop_schemas(url, made)


if __name__ == "__main__":
    main()
