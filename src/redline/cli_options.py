"""Command-line options shared by the command modules."""

from __future__ import annotations

from typing import Annotated

import typer

DbOption = Annotated[str | None, typer.Option(
    "--db", help="The store: a DuckDB file or a postgresql:// URL (env REDLINE_DB).")]
