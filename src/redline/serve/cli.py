"""``redline serve``: the REST API and the dashboard over one store."""

from __future__ import annotations

from typing import Annotated

import typer

from redline.errors import InputError
from redline.settings import actor_files, setting
from redline.store.targets import redacted


def serve(
    db: Annotated[str | None, typer.Option("--db", help="The store: a DuckDB file (the server "
                                           "owns it while it runs) or a postgresql:// URL "
                                           "(env REDLINE_DB).")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine "
                                      "only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    read_access: Annotated[str | None, typer.Option(
        help="open, or token (reads need a token too); env REDLINE_READ_ACCESS.")] = None,
    tokens_file: Annotated[str | None, typer.Option(
        help="File of tokens (env REDLINE_TOKENS_FILE); REDLINE_TOKEN adds one.")] = None,
    cors_origin: Annotated[list[str] | None, typer.Option(
        help="Allow pages of this origin to call the API (repeat; default: none).")] = None,
    max_request_mb: Annotated[float | None, typer.Option(
        help="Largest request body in MB (env REDLINE_MAX_REQUEST_MB).")] = None,
    allowed_host: Annotated[list[str] | None, typer.Option(
        help="Host name the server answers to (repeat; env REDLINE_ALLOWED_HOSTS; default: "
        "loopback names on loopback).")] = None,
) -> None:
    """Serve the store: REST API at /api (OpenAPI at /api/openapi.json, docs at
    /api/docs) and the dashboard at /. Writes need a token (REDLINE_TOKEN)."""
    import uvicorn

    from redline.cli import errors, out
    from redline.serve.app import create_app, missing_assets
    from redline.serve.config import ServeConfig

    with errors():
        config = ServeConfig.from_settings(
            setting("db", db), host=host, tokens_file=tokens_file, read_access=read_access,
            cors_origins=",".join(cors_origin or []) or None, max_request_mb=max_request_mb,
            allowed_hosts=",".join(allowed_host or []) or None, actor_files=actor_files())
        missing = missing_assets()
        if missing:
            raise InputError("dashboard", f"vendored files missing ({', '.join(missing)}): "
                             "run `npm ci --prefix frontend` in redline's source folder")
        if not config.tokens:
            out.print("[yellow]no token set[/yellow]: writes are refused (set REDLINE_TOKEN)",
                      highlight=False)
        out.print(f"serving {redacted(config.db)} on http://{host}:{port}/ (API docs: "
                  "/api/docs)",
                  highlight=False)
        uvicorn.run(create_app(config), host=host, port=port, log_level="warning",
                    access_log=False)
