"""Inputs given as URLs: an HTML page is one article; a feed gives one article
per entry, from the entry's own page (fetched) or, failing that, its text."""

from __future__ import annotations

from collections.abc import Iterator

from redline.errors import InputError
from redline.ingest.feeds import entry_article, feed_entries
from redline.ingest.fetch import Fetched, fetch
from redline.ingest.html import html_article
from redline.ingest.sources import Item, ReadOptions, rejected

FEED_TYPES = ("rss", "atom", "xml")


def _get(url: str, options: ReadOptions) -> Fetched:
    return fetch(url, max_bytes=options.max_bytes, allow_private=options.allow_private,
                 timeout=options.timeout)


def is_feed(page: Fetched) -> bool:
    kind = page.content_type.lower()
    head = page.body[:512].lstrip().lower()
    return any(t in kind for t in FEED_TYPES) or (
        "html" not in kind and head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head))


def read_url(url: str, options: ReadOptions) -> Iterator[Item]:
    """The articles of a page or feed on the web; what cannot be had is rejected."""
    try:
        page = _get(url, options)
        if not is_feed(page):
            yield html_article(url, page.body, options, url=page.url)
            return
        feed, entries = feed_entries(url, page.body)
    except InputError as exc:
        yield rejected(exc)
        return
    for number, entry in enumerate(entries, 1):
        name, text = f"{url}#{number}", None
        link = entry.get("link")
        if options.follow_links and link:
            try:
                text = html_article(link, _get(link, options).body, options, url=link).text
            except InputError:
                text = None  # the entry's own text stands in for its page
        yield entry_article(name, entry, feed.get("title"), options, text)
