"""The reader interface: each input format is a ``Source`` registered under the
``redline.sources`` entry-point group (the built-in ones too). A reader takes
a name and a binary stream and yields ``Article`` or ``Rejected`` items; it
never raises for bad content: a bad line, record or file is reported and the
rest goes on."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib.metadata import entry_points
from typing import BinaryIO

from redline.errors import InputError
from redline.model import Article
from redline.settings import DEFAULT_MAX_MB

# Article fields an input record can give, and the column each is read from by default.
RECORD_FIELDS = ("text", "id", "url", "title", "published", "source")


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
    # record field -> column of a CSV or key of a JSONL object, where not the field's name
    columns: dict[str, str] = field(default_factory=dict)
    allow_private: bool = False  # fetch from private, loopback and link-local addresses
    follow_links: bool = True  # fetch the page of each entry of a feed read from a URL
    timeout: float = 20.0  # seconds a fetch may wait for an answer
    # article id -> already stored? (feed entries that are, are not fetched again)
    known: Callable[[str], bool] | None = None

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


Reader = Callable[[str, BinaryIO, ReadOptions], Iterator[Item]]


@dataclass(frozen=True, slots=True)
class Source:
    """A registered reader: its name, the file suffixes it takes, and the reader."""

    name: str
    suffixes: tuple[str, ...]
    read: Reader


def read_capped(name: str, stream: BinaryIO, options: ReadOptions,
                line: int | None = None) -> bytes:
    """The whole stream, or InputError once it passes the size limit for one article."""
    data = stream.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        raise InputError(name, f"too large: over the {options.max_mb:g} MB limit for one "
                         "article (--max-mb)", line)
    return data


def decode(name: str, data: bytes, options: ReadOptions, line: int | None = None) -> str:
    """Bytes to text, or InputError naming what is wrong with them."""
    if len(data) > options.max_bytes:
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


def rejected(exc: InputError) -> Rejected:
    """The reject an InputError stands for."""
    return Rejected(exc.source, exc.problem, exc.line)


@lru_cache(maxsize=1)
def registered_sources() -> tuple[Source, ...]:
    """Every source registered under the ``redline.sources`` entry-point group,
    redline's own first (a plug-in cannot take over a built-in suffix); a plug-in
    that fails to load is left out with a warning."""
    found = []
    for ep in entry_points(group="redline.sources"):
        try:
            source = ep.load()
        except Exception as exc:  # noqa: BLE001 - a broken plug-in must not stop redline
            warnings.warn(f"reader {ep.name!r} ({ep.value}) failed to load: {exc}; if redline "
                          "was installed with -e, run pip install -e . again", stacklevel=2)
            continue
        if isinstance(source, Source):
            found.append((not ep.value.startswith("redline."), source))
    if not found:
        raise InputError("redline.sources", "no readers registered (is redline installed?)")
    return tuple(source for _, source in sorted(found, key=lambda pair: pair[0]))


def source_named(name: str) -> Source:
    """The registered source of this name, or InputError listing the known ones."""
    for source in registered_sources():
        if source.name == name:
            return source
    known = ", ".join(s.name for s in registered_sources())
    raise InputError(name, f"no such source type (known: {known})")


def source_for(name: str) -> Source | None:
    """The source that reads files with this name's suffix (None: not an input file);
    the longest matching suffix wins (``.warc.gz`` before ``.gz``)."""
    lowered = name.lower()
    best: tuple[int, Source] | None = None
    for source in registered_sources():
        for suffix in source.suffixes:
            if lowered.endswith(suffix) and (best is None or len(suffix) > best[0]):
                best = (len(suffix), source)
    return best[1] if best else None
