"""One error hierarchy: the CLI (and later the REST API) map these in one place."""

from __future__ import annotations

from pathlib import Path


class RedlineError(Exception):
    """Base of every error redline raises on purpose."""


class InputError(RedlineError):
    """An input (file, line, field) that cannot be read; names where and why."""

    def __init__(self, source: str, problem: str, line: int | None = None) -> None:
        self.source = source
        self.problem = problem
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


class DataFileError(RedlineError):
    """A knowledge-base or lexicon file that does not validate: file, line, entry, field."""

    def __init__(self, path: str, entry: int | str, field: str, problem: str) -> None:
        self.path = path
        self.entry = entry
        self.field = field
        self.problem = problem
        self.line: int | None = None
        if isinstance(entry, int):
            from redline.data import entry_line  # data imports errors: resolve lazily

            self.line = entry_line(Path(path), entry)
        where = f"{path}:{self.line}" if self.line else path
        super().__init__(f"{where}: entry {entry}: field {field!r}: {problem}")


class StoreError(RedlineError):
    """A database that cannot be opened or queried as asked."""
