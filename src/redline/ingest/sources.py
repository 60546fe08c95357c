"""Readers that turn input files into articles, registered as ``redline.sources``
entry points (the built-in ones too). A reader yields ``Article`` or
``Rejected`` items and never raises for bad content: a bad line or file is
reported and the rest goes on."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path

from redline.errors import InputError
from redline.ingest.published import parse_published
from redline.model import Article
from redline.settings import DEFAULT_MAX_MB


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input (file, or line of a file) that could not be read, and why."""

    source: str
    problem: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.problem}"


Item = Article | Rejected


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How readers treat their input."""

    published: date | None = None  # publication date of plain text
    max_mb: float = DEFAULT_MAX_MB  # largest article accepted


@dataclass(frozen=True, slots=True)
class Source:
    """A registered reader: its name, the file suffixes it takes, and the reader."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[str, bytes, ReadOptions], Iterator[Item]]


def decode(name: str, data: bytes, options: ReadOptions, line: int | None = None) -> str:
    """Bytes to text, or InputError naming what is wrong with them."""
    limit = int(options.max_mb * 1024 * 1024)
    if len(data) > limit:
        raise InputError(
            name, f"too large: {len(data) / 1e6:.1f} MB, over the {options.max_mb:g} MB limit "
            "for one article (--max-mb)", line)
    if b"\x00" in data[:8192]:
        raise InputError(name, "binary data, not text", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        raise InputError(name, f"invalid UTF-8 at byte {exc.start}", line or bad_line) from exc
    if not text.strip():
        raise InputError(name, "empty: no text to read", line)
    return text


def read_text(name: str, data: bytes, options: ReadOptions) -> Iterator[Item]:
    """A plain-text or Markdown file: one article."""
    try:
        text = decode(name, data, options)
    except InputError as exc:
        yield Rejected(exc.source, exc.problem, exc.line)
        return
    first = next(line.strip() for line in text.splitlines() if line.strip())
    title = first.lstrip("# ") if len(first) <= 200 else None
    yield Article.create(text, title=title, published=options.published, origin=name)


def read_jsonl(name: str, data: bytes, options: ReadOptions) -> Iterator[Item]:
    """JSON Lines: one ``{"id", "url", "title", "published", "text"}`` object a line."""
    for number, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            yield _jsonl_article(name, number, raw, options)
        except InputError as exc:
            yield Rejected(exc.source, exc.problem, exc.line)


def _jsonl_article(name: str, number: int, raw: bytes, options: ReadOptions) -> Article:
    line = decode(name, raw, options, number)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"malformed JSON: {exc.msg} (column {exc.colno})", number) from exc
    if not isinstance(obj, dict):
        raise InputError(name, "each line must be a JSON object", number)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(name, "no 'text' field with text in it", number)
    for key in ("id", "url", "title", "source"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise InputError(name, f"field {key!r} must be a string", number)
    published = parse_published(obj.get("published"), name, number) or options.published
    url = obj.get("url") or (obj.get("id") if "://" in str(obj.get("id") or "") else None)
    return Article.create(
        text, url=url, title=obj.get("title"), published=published, source=obj.get("source"),
        origin=f"{name}:{number}",
    )


TEXT = Source("text", (".txt", ".text", ".md", ".markdown"), read_text)
JSONL = Source("jsonl", (".jsonl", ".ndjson"), read_jsonl)


@lru_cache(maxsize=1)
def registered_sources() -> tuple[Source, ...]:
    """Every source registered under the ``redline.sources`` entry-point group."""
    found = []
    for ep in entry_points(group="redline.sources"):
        source = ep.load()
        if isinstance(source, Source):
            found.append(source)
    return tuple(found) or (TEXT, JSONL)


def source_named(name: str) -> Source:
    for source in registered_sources():
        if source.name == name:
            return source
    known = ", ".join(s.name for s in registered_sources())
    raise InputError(name, f"no such source type (known: {known})")


def source_for(path: Path) -> Source | None:
    """The source that reads files with this suffix (None: not an input file)."""
    suffix = path.suffix.lower()
    for source in registered_sources():
        if suffix in source.suffixes:
            return source
    return None
