"""Data files shipped with redline (see README.md here for their formats)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import yaml

from redline.errors import DataFileError

# libyaml's loader where PyYAML was built with it: the same safe subset, faster
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_path(*parts: str) -> Path:
    """Path of a file inside the package's data folder."""
    return Path(str(files("redline.data").joinpath(*parts)))


def load_yaml(path: Path) -> object:
    """Parse a YAML data file, turning syntax errors into DataFileError."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        raise DataFileError(str(path), where, "-", f"invalid YAML: {exc}") from exc
    except OSError as exc:
        raise DataFileError(str(path), "-", "-", f"cannot read: {exc.strerror}") from exc


def load_yaml_list(path: Path, what: str = "entries") -> list:
    """A YAML data file that must hold a list (of entries, triggers, places)."""
    data = load_yaml(path)
    if not isinstance(data, list):
        raise DataFileError(str(path), "-", "-", f"the file must hold a list of {what}")
    return data


def entry_line(path: Path, index: int) -> int | None:
    """The line where the ``index``-th (1-based) entry of a list-shaped YAML file
    starts, for error messages (composes the file again: only on the error path)."""
    try:
        with path.open(encoding="utf-8") as fh:
            node = yaml.compose(fh, Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return None
    items = getattr(node, "value", None)
    if isinstance(items, list) and 0 < index <= len(items):
        return items[index - 1].start_mark.line + 1
    return None
