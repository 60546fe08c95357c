"""Settings, declared once: name, default, help. A command-line option wins,
then the environment variable ``REDLINE_<NAME>``, then the default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_MB = 10.0


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return "REDLINE_" + self.name.upper()

    def value(self, given: object | None = None) -> str:
        if given not in (None, ""):
            return str(given)
        return os.environ.get(self.env) or self.default


def _cache_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "redline"


def _data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "redline"


SETTINGS = {
    s.name: s
    for s in (
        Setting("db", "redline.duckdb", "The store: a DuckDB file, or a PostgreSQL database "
                "(postgresql://user:password@host:port/name)."),
        Setting("demo_db", str(_data_home() / "demo.duckdb"),
                "DuckDB file `redline demo` writes the sample corpus to."),
        Setting("actors", "", "Extra actor knowledge-base files (YAML), separated by ':'."),
        Setting("max_mb", str(DEFAULT_MAX_MB), "Largest article accepted, in megabytes."),
        Setting("user_agent", "", "User-Agent header of fetches (default: redline/VERSION "
                "(news event coder)); name yourself and a contact address here."),
        Setting("token", "", "Token that allows writes to `redline serve` (and reads, with "
                "read_access token); `redline ingest --server` sends it."),
        Setting("tokens_file", "", "File of tokens for `redline serve`, one a line ('#' "
                "comments); each allows what REDLINE_TOKEN allows."),
        Setting("read_access", "open", "Reads of `redline serve`: 'open' to anyone who can "
                "reach it, or 'token' (a token as for writes)."),
        Setting("cors_origins", "", "Origins other sites' pages may call `redline serve` "
                "from, separated by ','; none by default (CORS off)."),
        Setting("max_request_mb", "10", "Largest request body `redline serve` accepts, in "
                "megabytes."),
        Setting("allowed_hosts", "", "Host names `redline serve` answers to, separated by "
                "','; default: loopback names when it listens on loopback, else any."),
        Setting("cache", str(_cache_home()),
                "Folder for parsed copies of the large data files (faster start-up); "
                "'off' to parse them every time."),
    )
}


def setting(name: str, given: object | None = None) -> str:
    """The value of a setting (command-line value, environment, default)."""
    return SETTINGS[name].value(given)


def actor_files(given: list[Path] | None = None) -> tuple[Path, ...]:
    """User actor files: from the command line, else from REDLINE_ACTORS."""
    if given:
        return tuple(Path(p) for p in given)
    raw = setting("actors")
    return tuple(Path(p) for p in raw.split(os.pathsep) if p)
