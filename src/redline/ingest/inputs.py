"""Input paths to articles: files, directories (recursive), ``-`` for stdin."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from redline.ingest.sources import ReadOptions, Rejected, Source, source_for, source_named
from redline.model import Article


def expand(paths: Iterable[str]) -> Iterator[tuple[str, Source] | Rejected]:
    """Each input file with the source that reads it; directories are walked."""
    for raw in paths:
        if raw == "-":
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(p.startswith(".") for p in child.relative_to(path).parts)
                if child.is_file() and not hidden:
                    source = source_for(child)
                    if source is not None:
                        yield str(child), source
        elif path.is_file():
            yield str(path), source_for(path) or source_named("text")
        elif path.exists():
            yield Rejected(raw, "not a regular file")
        else:
            yield Rejected(raw, "no such file or directory")


def read_inputs(paths: Iterable[str], options: ReadOptions, *, jsonl: bool = False
                ) -> Iterator[Article | Rejected]:
    """Articles (and rejects) from every input, in order; ``-`` reads stdin."""
    for raw in paths:
        if raw == "-":
            source = source_named("jsonl" if jsonl else "text")
            yield from source.read("<stdin>", sys.stdin.buffer.read(), options)
            continue
        for item in expand([raw]):
            if isinstance(item, Rejected):
                yield item
                continue
            name, source = item
            if jsonl:
                source = source_named("jsonl")
            try:
                data = Path(name).read_bytes()
            except OSError as exc:
                yield Rejected(name, f"cannot read: {exc.strerror}")
                continue
            yield from source.read(name, data, options)
