"""RSS and Atom feeds (feedparser): one article per entry, from its full
content where the feed carries it, else its summary."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import BinaryIO

from redline.errors import InputError
from redline.ingest.sources import Item, ReadOptions, Rejected, Source, read_capped, rejected
from redline.model import Article

FEED_MAX_MB = 100.0  # a feed file holds many articles: it may be this large


def entry_text(entry: dict) -> str:
    """An entry's text: its longest content or its summary, markup removed."""
    import lxml.html

    bodies = [c.get("value") or "" for c in entry.get("content") or []]
    bodies.append(entry.get("summary") or "")
    body = max(bodies, key=len).strip()
    if "<" in body:
        body = lxml.html.fromstring(f"<div>{body}</div>").text_content()
    return "\n\n".join(p.strip() for p in body.splitlines() if p.strip())


def entry_date(entry: dict) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        stamp = entry.get(key)
        if stamp:
            return date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
    return None


def feed_entries(name: str, data: bytes) -> tuple[dict, list[dict]]:
    """(feed metadata, entries) of an RSS or Atom document, or InputError."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception") or "no entries"
        raise InputError(name, f"not an RSS or Atom feed with entries ({problem})")
    return parsed.feed, parsed.entries


def entry_article(name: str, entry: dict, site: str | None, options: ReadOptions,
                  text: str | None = None) -> Article | Rejected:
    """The article of one feed entry (``text``: its page's text, fetched), or why not."""
    text = text or entry_text(entry)
    if not text:
        return Rejected(name, "feed entry without text")
    title = (entry.get("title") or "").strip() or None
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return Article.create(text, url=entry.get("link"), title=title,
                          published=entry_date(entry) or options.published,
                          source=site, origin=name)


def read_feed(name: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Item]:
    """An RSS or Atom file: one article per entry with text."""
    try:
        whole = replace(options, max_mb=max(options.max_mb, FEED_MAX_MB))
        feed, entries = feed_entries(name, read_capped(name, stream, whole))
    except InputError as exc:
        yield rejected(exc)
        return
    for number, entry in enumerate(entries, 1):
        yield entry_article(f"{name}#{number}", entry, feed.get("title"), options)


FEED = Source("feed", (".rss", ".atom"), read_feed)
