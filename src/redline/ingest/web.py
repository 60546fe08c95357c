"""Inputs given as URLs: an HTML page is one article; a feed gives one article
per entry, from the entry's own page (fetched) or, failing that for good, its
text. Entries already stored (``ReadOptions.known``) are not fetched again."""

from __future__ import annotations

from collections.abc import Iterator

from redline.errors import InputError
from redline.ingest.feeds import entry_article, feed_entries
from redline.ingest.fetch import Fetched, FetchError, fetch
from redline.ingest.html import html_article
from redline.ingest.sources import Item, ReadOptions, Rejected, rejected
from redline.model import article_id

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/xml", "text/xml", "application/feed+json")


def _get(url: str, options: ReadOptions) -> Fetched:
    return fetch(url, max_bytes=options.max_bytes, allow_private=options.allow_private,
                 timeout=options.timeout)


def is_feed(page: Fetched) -> bool:
    """True when a response is an RSS or Atom feed rather than a page."""
    kind = page.content_type.split(";")[0].strip().lower()
    if "html" in kind:
        return False
    head = page.body[:1024].lstrip().lower()
    return kind in FEED_TYPES or b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


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
        yield _entry(f"{url}#{number}", entry, feed.get("title"), options)


def _entry(name: str, entry: dict, site: str | None, options: ReadOptions) -> Item:
    link = entry.get("link")
    if not (options.follow_links and isinstance(link, str) and link):
        return entry_article(name, entry, site, options)
    if options.known is not None and options.known(article_id(link, "")):
        return entry_article(name, entry, site, options)  # stored: skipped by its id
    try:
        text = html_article(link, _get(link, options).body, options, url=link).text
    except FetchError as exc:
        if exc.passing:  # try again next time rather than keep the summary for good
            return Rejected(name, f"{exc.source}: {exc.problem}")
        text = None
    except InputError:
        text = None  # a page without an article: the entry's own text stands in
    return entry_article(name, entry, site, options, text)
