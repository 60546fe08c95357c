"""The Python API: ``redline.extract`` and ``redline.open``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from redline.extract import extract_articles
from redline.ingest.published import parse_published
from redline.model import Article


def extract(
    text: str,
    published: date | str | None = None,
    *,
    url: str | None = None,
    title: str | None = None,
    what: str = "events",
) -> list[dict]:
    """Code one text: a list of event records (or quote records with ``what="quotes"``),
    in DESIGN.md's schema. Nothing is stored."""
    if what not in ("events", "quotes"):
        raise ValueError("what must be 'events' or 'quotes'")
    article = Article.create(
        text, url=url, title=title, published=parse_published(published, "published")
    )
    _, events, quotes = next(extract_articles([article]))
    return [r.to_record() for r in (events if what == "events" else quotes)]


def open(path: str | Path = ":memory:"):  # noqa: A001 - mirrors the builtin on purpose
    """Open (or create) a redline store — a DuckDB file, or a PostgreSQL database
    (``postgresql://…``); its queries return ``pyarrow.Table``."""
    from redline.store import open_store

    return open_store(str(path))
