"""Inputs to articles: files, directories (recursive), URLs, ``-`` for stdin."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from redline.ingest.fetch import is_url
from redline.ingest.sources import ReadOptions, Rejected, Source, source_for, source_named
from redline.ingest.web import read_url
from redline.model import Article


def expand(paths: Iterable[str]) -> Iterator[tuple[str, Source] | Rejected]:
    """Each input file with the source that reads it; directories are walked (hidden
    files and files no source reads are passed over)."""
    for raw in paths:
        if raw == "-" or is_url(raw):
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(p.startswith(".") for p in child.relative_to(path).parts)
                if child.is_file() and not hidden:
                    source = source_for(child.name)
                    if source is not None:
                        yield str(child), source
        elif path.is_file():
            yield str(path), source_for(path.name) or source_named("text")
        elif path.exists():
            yield Rejected(raw, "not a regular file")
        else:
            yield Rejected(raw, "no such file or directory")


def count_articles(paths: list[str], forced: str | None = None) -> int | None:
    """How many articles the inputs hold, where that is quick to count (a file a text or
    HTML page, a line a JSONL record or CSV row); None when some input cannot be counted
    (feeds, archives, stdin, URLs)."""
    total = 0
    for item in expand(p for p in paths if p != "-"):
        if isinstance(item, Rejected):
            continue
        name, source = item
        kind = forced or source.name
        if kind in ("text", "html"):
            total += 1
        elif kind in ("jsonl", "csv"):
            with open(name, "rb") as fh:
                lines = sum(1 for line in fh if line.strip())
            total += lines - (kind == "csv")
        else:
            return None
    return None if any(p == "-" or is_url(p) for p in paths) else total


def read_inputs(paths: Iterable[str], options: ReadOptions, *, forced: str | None = None
                ) -> Iterator[Article | Rejected]:
    """Articles (and rejects) from every input, in order; ``-`` reads stdin.
    ``forced`` names the source to read every file with, whatever its suffix."""
    for raw in paths:
        if raw == "-":
            source = source_named(forced or "text")
            yield from source.read("<stdin>", sys.stdin.buffer, options)
            continue
        if is_url(raw):
            yield from read_url(raw, options)
            continue
        for item in expand([raw]):
            if isinstance(item, Rejected):
                yield item
                continue
            name, source = item
            if forced:
                source = source_named(forced)
            try:
                with open(name, "rb") as stream:
                    yield from source.read(name, stream, options)
            except OSError as exc:
                yield Rejected(name, f"cannot read: {exc.strerror or exc}")
