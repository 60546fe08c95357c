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
            where = f"{name}#{number}"
            status = record.http_headers.get_statuscode()
            kind = (record.http_headers.get_header("Content-Type") or "").lower()
            if status != "200" or "html" not in kind:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            try:
                crawled = parse_published((record.rec_headers.get_header("WARC-Date")
                                           or "")[:10] or None, where)
                page = read_capped(where, record.content_stream(), options)
                article = html_article(where, page, options, url=url)
            except InputError as exc:
                yield rejected(exc)
                continue
            if article.published is None and crawled is not None:
                article = replace(article, published=crawled)  # crawl date, failing any other
            yield article
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield Rejected(name, f"unreadable WARC after {number} responses: {exc}")


WARC = Source("warc", (".warc", ".warc.gz", ".arc", ".arc.gz"), read_warc)
