"""A redline server for tests: the app on a copy of a database, in this process
(TestClient) or listening on loopback in a thread (for the CLI and a browser)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import uvicorn

from redline.serve.app import create_app
from redline.serve.config import ServeConfig

TOKEN = "test-token-0123456789abcdef"


def config_for(db: Path, **changes: object) -> ServeConfig:
    """A server config with the test token."""
    return replace(ServeConfig(db=str(db), tokens=frozenset({TOKEN})), **changes)


def copy_db(source: Path, folder: Path) -> Path:
    target = folder / "served.duckdb"
    shutil.copy(source, target)
    return target


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def live_server(config: ServeConfig) -> Iterator[str]:
    """Serve ``config`` on loopback in a thread; yields the base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(config), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
