"""Plain text and Markdown: one file, one article."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from redline.errors import InputError
from redline.ingest.sources import Item, ReadOptions, Source, decode, read_capped, rejected
from redline.model import Article


def read_text(name: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Item]:
    """A plain-text or Markdown file: one article, titled by its first short line."""
    try:
        text = decode(name, read_capped(name, stream, options), options)
    except InputError as exc:
        yield rejected(exc)
        return
    first = next(line.strip() for line in text.splitlines() if line.strip())
    title = first.lstrip("# ") if len(first) <= 200 else None
    yield Article.create(text, title=title, published=options.published, origin=name)


TEXT = Source("text", (".txt", ".text", ".md", ".markdown"), read_text)
