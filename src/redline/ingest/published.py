"""Publication dates as inputs give them."""

from __future__ import annotations

import re
from datetime import date, datetime

from redline.errors import InputError


def parse_published(value: object, source: str, line: int | None = None) -> date | None:
    """A publication date from input (ISO date or datetime); InputError if unreadable."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$", text)
    if match:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            pass
    raise InputError(source, f"unknown date {text!r} (expected YYYY-MM-DD)", line)
