"""How a server is set up: its database, tokens, read access, CORS and limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from redline.errors import InputError
from redline.settings import SETTINGS, setting

READ_ACCESS = ("open", "token")
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """Everything ``create_app`` needs; ``from_settings`` reads the environment."""

    db: str
    tokens: frozenset[str] = frozenset()
    read_access: str = SETTINGS["read_access"].default  # or "token"
    cors_origins: tuple[str, ...] = ()
    max_request_mb: float = float(SETTINGS["max_request_mb"].default)
    actor_files: tuple[Path, ...] = ()
    allowed_hosts: tuple[str, ...] = ("*",)  # Host headers answered (DNS rebinding)
    page_size: int = 100  # events, articles or quotes a JSON page holds by default
    max_page_size: int = 1000

    @property
    def guard_reads(self) -> bool:
        return self.read_access == "token"

    @classmethod
    def from_settings(cls, db: str, *, host: str = "127.0.0.1", token: str | None = None,
                      tokens_file: str | None = None, read_access: str | None = None,
                      cors_origins: str | None = None, max_request_mb: float | None = None,
                      allowed_hosts: str | None = None,
                      actor_files: tuple[Path, ...] = ()) -> ServeConfig:
        """A config from command-line values, else ``REDLINE_*`` settings. A server on
        loopback answers only requests addressed to loopback names (a page elsewhere
        cannot rebind its own name to it), unless ``allowed_hosts`` says more."""
        access = setting("read_access", read_access)
        if access not in READ_ACCESS:
            raise InputError("--read-access", f"{access!r}: open or token")
        tokens = load_tokens(setting("token", token), setting("tokens_file", tokens_file))
        if access == "token" and not tokens:
            raise InputError("--read-access", "token access needs a token (REDLINE_TOKEN "
                             "or a tokens file)")
        origins = tuple(o.strip() for o in setting("cors_origins", cors_origins).split(",")
                        if o.strip())
        try:
            limit = float(setting("max_request_mb", max_request_mb))
        except ValueError as exc:
            raise InputError("--max-request-mb", "a number of megabytes") from exc
        if limit <= 0:
            raise InputError("--max-request-mb", "must be above 0")
        hosts = tuple(h.strip() for h in setting("allowed_hosts", allowed_hosts).split(",")
                      if h.strip())
        if not hosts:
            hosts = (*LOOPBACK, host) if host in LOOPBACK else ("*",)
        return cls(db=db, tokens=tokens, read_access=access, cors_origins=origins,
                   max_request_mb=limit, actor_files=actor_files, allowed_hosts=hosts)


def load_tokens(token: str, tokens_file: str) -> frozenset[str]:
    """The tokens a server accepts: one given directly and those of a file (one a
    line; blank lines and '#' comments skipped). Short tokens are refused."""
    tokens = {token} if token else set()
    if tokens_file:
        try:
            lines = Path(tokens_file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InputError(tokens_file, f"cannot read the tokens file: {exc.strerror}") from exc
        for number, line in enumerate(lines, 1):
            line = line.strip()
            if line and not line.startswith("#"):
                if len(line) < 16:
                    raise InputError(tokens_file, "a token must be at least 16 characters",
                                     number)
                tokens.add(line)
    if token and len(token) < 16:
        raise InputError("REDLINE_TOKEN", "a token must be at least 16 characters")
    return frozenset(tokens)
