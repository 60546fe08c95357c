"""What a --db value names: a PostgreSQL URL or a DuckDB file."""

from __future__ import annotations

import re


def is_postgres(target: str) -> bool:
    """Whether a --db value names a PostgreSQL database."""
    return str(target).startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """A connection URL without its password (in the address or the query), for
    messages."""
    url = re.sub(r"(://[^:/@]+):[^/]*@", r"\1:***@", url)
    return re.sub(r"(?i)([?&]password=)[^&]*", r"\1***", url)
