"""redline: news in, PLOVER political events out."""

from __future__ import annotations

__version__ = "0.1.0"

from redline.api import extract, open  # noqa: E402,A004

__all__ = ["__version__", "extract", "open"]
