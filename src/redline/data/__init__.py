"""Data files shipped with redline (see README.md here for their formats)."""

from __future__ import annotations

import hashlib
import json
import os
from importlib.resources import files
from pathlib import Path

import yaml

from redline.errors import DataFileError

# libyaml's loader where PyYAML was built with it: the same safe subset, faster
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_path(*parts: str) -> Path:
    """Path of a file inside the package's data folder."""
    return Path(str(files("redline.data").joinpath(*parts)))


CACHE_FROM_BYTES = 100_000  # smaller files parse faster than a cache is checked


def load_yaml(path: Path) -> object:
    """Parse a YAML data file, turning syntax errors into DataFileError. Large files
    are kept parsed (as JSON, keyed by a hash of their content; dates become ISO
    strings, which the loaders read alike) in the cache folder, for a faster
    start-up."""
    cached = _cache_file(path)
    if cached is not None:
        try:
            return json.loads(cached.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    data = _parse_yaml(path)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(data, default=str), encoding="utf-8")
            partial.replace(cached)
        except OSError:
            pass  # a read-only home: parse every time
    return data


def _cache_file(path: Path) -> Path | None:
    from redline.settings import setting

    folder = setting("cache")
    try:
        stat = path.stat()
    except OSError:
        return None
    if folder == "off" or stat.st_size < CACHE_FROM_BYTES:
        return None
    key = hashlib.sha1(path.read_bytes())  # the content: a copy never outlives an edit
    return Path(folder).expanduser() / f"{path.stem}-{key.hexdigest()[:16]}.json"


def _parse_yaml(path: Path) -> object:
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
