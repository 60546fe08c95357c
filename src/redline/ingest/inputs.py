"""Inputs to articles: files, directories (recursive), URLs, ``-`` for stdin."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from redline.ingest.fetch import is_url
from redline.ingest.sources import ReadOptions, Rejected, Source, source_for, source_named
from redline.ingest.web import read_url
from redline.model import Article


def expand(paths: Iterable[str], forced: str | None = None
           ) -> Iterator[tuple[str, Source] | Rejected]:
    """Each input file with the source that reads it. Directories are walked: hidden
    files are passed over, and so are files no source reads unless ``forced`` names
    the source to read them all with."""
    for raw in paths:
        if raw == "-" or is_url(raw):
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(p.startswith(".") for p in child.relative_to(path).parts)
                if child.is_file() and not hidden:
                    source = source_named(forced) if forced else source_for(child.name)
                    if source is not None:
                        yield str(child), source
        elif path.is_file():
            yield str(path), source_named(forced) if forced else (
                source_for(path.name) or source_named("text"))
        elif path.exists():
            yield Rejected(raw, "not a regular file")
        else:
            yield Rejected(raw, "no such file or directory")


def count_articles(paths: list[str], forced: str | None = None) -> int | None:
    """How many articles the inputs hold, where that is quick to count (a file a text or
    HTML page, a line a JSONL record or CSV row); None when some input cannot be counted
    (feeds, archives, stdin, URLs)."""
    if any(p == "-" or is_url(p) for p in paths):
        return None
    total = 0
    for item in expand(paths, forced):
        if isinstance(item, Rejected):
            continue
        name, source = item
        if source.name in ("text", "html"):
            total += 1
        elif source.name in ("jsonl", "csv"):
            try:
                with open(name, "rb") as fh:
                    lines = sum(1 for line in fh if line.strip())
            except OSError:
                continue  # reported when it is read
            total += max(0, lines - (source.name == "csv"))
        else:
            return None
    return total


def _read(name: str, source: Source, stream: BinaryIO, options: ReadOptions
          ) -> Iterator[Article | Rejected]:
    """A source's items; a reader that fails (a bug, or a plug-in's) costs its input,
    never the run."""
    try:
        yield from source.read(name, stream, options)
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes a reject
        yield Rejected(name, f"the {source.name} reader failed: {type(exc).__name__}: {exc}")


def read_inputs(paths: Iterable[str], options: ReadOptions, *, forced: str | None = None
                ) -> Iterator[Article | Rejected]:
    """Articles (and rejects) from every input, in order; ``-`` reads stdin.
    ``forced`` names the source to read every file with, whatever its suffix."""
    for raw in paths:
        if raw == "-":
            yield from _read("<stdin>", source_named(forced or "text"), sys.stdin.buffer,
                             options)
            continue
        if is_url(raw):
            yield from read_url(raw, options)
            continue
        for item in expand([raw], forced):
            if isinstance(item, Rejected):
                yield item
                continue
            name, source = item
            try:
                stream = open(name, "rb")  # noqa: SIM115 - closed below, after reading
            except OSError as exc:
                yield Rejected(name, f"cannot read: {exc.strerror or exc}")
                continue
            with stream:
                yield from _read(name, source, stream, options)
