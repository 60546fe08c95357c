"""Web archives (WARC, gzipped or not, as news crawls are kept): one article
per archived HTML page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import BinaryIO

from redline.errors import InputError
from redline.ingest.html import html_article
from redline.ingest.published import parse_published
from redline.ingest.sources import Item, ReadOptions, Rejected, Source, read_capped, rejected


def read_warc(name: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Item]:
    """Each successful HTML response of a WARC file, read as the archive streams by;
    other records (requests, metadata, images, redirects) are passed over."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            number += 1
            item = _response(f"{name}#{number}", record, options)
            if item is not None:
                yield item
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield Rejected(name, f"unreadable WARC after {number} responses: {exc}")


def _response(where: str, record, options: ReadOptions) -> Item | None:
    """The article of one archived response (None: not an HTML page), or why not."""
    status = record.http_headers.get_statuscode()
    kind = (record.http_headers.get_header("Content-Type") or "").lower()
    if status != "200" or "html" not in kind:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        article = html_article(where, read_capped(where, record.content_stream(), options),
                               options, url=url)
    except InputError as exc:
        return rejected(exc)
    except (OSError, EOFError, ValueError) as exc:  # a damaged record, not the archive
        return Rejected(where, f"damaged WARC record: {exc}")
    if article.published is None:  # the crawl date, failing any other
        try:
            crawled = parse_published((record.rec_headers.get_header("WARC-Date") or "")[:10]
                                      or None, where)
        except InputError:
            crawled = None
        article = replace(article, published=crawled)
    return article


WARC = Source("warc", (".warc", ".warc.gz", ".arc", ".arc.gz"), read_warc)
