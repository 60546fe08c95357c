"""Compressed inputs: ``.gz`` files and ``.zip`` archives, each member read by
the source its own name calls for."""

from __future__ import annotations

import gzip
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from redline.ingest.sources import (
    Item,
    ReadOptions,
    Rejected,
    Source,
    source_for,
    source_named,
)

SPOOL_MB = 64  # a zip read from a stream is kept in memory up to this size, then on disk


def read_gzip(name: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Item]:
    """A gzipped file, read by the source of its inner name (plain text by default)."""
    inner = name[:-3] if name.lower().endswith(".gz") else name
    source = source_for(inner) or source_named("text")
    try:
        with gzip.GzipFile(fileobj=stream) as unzipped:
            yield from source.read(inner, unzipped, options)
    except (OSError, EOFError, zlib.error) as exc:
        yield Rejected(name, f"damaged gzip data: {exc}")


def read_zip(name: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Item]:
    """Every member of a zip archive that a source reads; other members are passed over."""
    if stream.seekable():
        yield from _members(name, stream, options)
        return
    # stdin, or a member of another archive: spooled (to disk past SPOOL_MB) to be seekable
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MB * 1024 * 1024) as spooled:
        shutil.copyfileobj(stream, spooled)
        spooled.seek(0)
        yield from _members(name, spooled, options)


def _members(name: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Item]:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        yield Rejected(name, f"not a readable zip archive: {exc}")
        return
    with archive:
        for member in archive.infolist():
            if member.is_dir() or member.filename.rsplit("/", 1)[-1].startswith("."):
                continue
            inner = f"{name}!{member.filename}"
            source = source_for(member.filename)
            if source is None:
                continue
            try:
                with archive.open(member) as handle:
                    yield from source.read(inner, handle, options)
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error,
                    NotImplementedError, RuntimeError) as exc:
                yield Rejected(inner, f"damaged or encrypted archive member: {exc}")


GZIP = Source("gzip", (".gz",), read_gzip)
ZIP = Source("zip", (".zip",), read_zip)
