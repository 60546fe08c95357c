"""HTML pages: the main text, title, publication date, site name and canonical
URL, extracted with trafilatura (boilerplate, menus and comments left out)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from redline.errors import InputError
from redline.ingest.published import parse_published
from redline.ingest.sources import Item, ReadOptions, Source, read_capped, rejected
from redline.model import Article

MIN_TEXT = 20  # characters: less is a page without an article


def html_article(name: str, page: bytes | str, options: ReadOptions,
                 url: str | None = None) -> Article:
    """The article of one HTML page (``url``: where it was fetched), or InputError."""
    import trafilatura  # imported on first use: it takes a while to load

    try:
        found = trafilatura.bare_extraction(page, url=url, with_metadata=True,
                                            include_comments=False, include_tables=False)
    except Exception as exc:  # noqa: BLE001 - a page the extractor cannot take
        raise InputError(name, f"unreadable HTML: {type(exc).__name__}: {exc}") from exc
    text = (found.text or "").strip() if found is not None else ""
    if len(text) < MIN_TEXT:
        raise InputError(name, "no article text found in the page")
    try:
        published = parse_published(found.date, name)
    except InputError:
        published = None
    return Article.create(text, url=found.url or url, title=found.title,
                          published=published or options.published,
                          source=found.sitename or found.hostname, origin=name)


def read_html(name: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Item]:
    """An HTML file: one article."""
    try:
        data = read_capped(name, stream, options)
        if not data.strip():
            raise InputError(name, "empty: no text to read")
        yield html_article(name, data, options)
    except InputError as exc:
        yield rejected(exc)


HTML = Source("html", (".html", ".htm", ".xhtml"), read_html)
