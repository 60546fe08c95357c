"""One error hierarchy: the CLI (and later the REST API) map these in one place."""

from __future__ import annotations


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
    """A knowledge-base or lexicon file that does not validate."""

    def __init__(self, path: str, entry: int | str, field: str, problem: str) -> None:
        self.path = path
        self.entry = entry
        self.field = field
        self.problem = problem
        super().__init__(f"{path}: entry {entry}: field {field!r}: {problem}")


class StoreError(RedlineError):
    """A database that cannot be opened or queried as asked."""
