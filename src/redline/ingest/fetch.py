"""Fetching pages and feeds over HTTP(S), politely and safely: a clear user
agent, timeouts (per read and for the whole fetch), a size cap, retries with
exponential back-off on failures that may pass (timeouts, 429, 5xx), and no
connection to a private, loopback or link-local address unless allowed. The
address is checked where the connection is made, for every redirect too, so a
name that resolves differently a second time cannot slip past the check."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from redline import __version__
from redline.errors import InputError
from redline.settings import setting

RETRIES = 3
BACKOFF = 0.5  # seconds before the first retry; doubled for each next one
MAX_RETRY_AFTER = 30.0  # longest Retry-After honoured, in seconds
PASSING = {429, 500, 502, 503, 504}  # statuses worth another try
CHUNK = 1 << 16


class FetchError(InputError):
    """A URL that could not be fetched; ``passing`` when trying later may work."""

    def __init__(self, url: str, problem: str, passing: bool = False) -> None:
        super().__init__(url, problem)
        self.passing = passing


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response body and where it came from (after redirects)."""

    url: str
    content_type: str
    body: bytes


def user_agent() -> str:
    """The User-Agent header sent with every fetch (setting ``user_agent``)."""
    return setting("user_agent") or f"redline/{__version__} (news event coder)"


def is_url(text: str) -> bool:
    """True for an http:// or https:// URL."""
    return text.lower().startswith(("http://", "https://"))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return ip.is_global and not ip.is_multicast


def check_address(url: str, allow_private: bool) -> None:
    """FetchError unless ``url`` is http(s) to a host on the public internet (any
    host with ``allow_private``)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(url, f"not a valid URL: {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "only http:// and https:// URLs can be fetched")
    if allow_private:
        return
    for address in _resolve(url, parts.hostname, port or 443):
        if not _public(address):
            raise FetchError(url, f"refused: {parts.hostname} is a private, loopback or "
                             f"link-local address ({address}); --allow-private permits it")


def _resolve(url: str, host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(url, f"cannot resolve {host}: {exc}", passing=True) from exc
    return [info[4][0] for info in infos]


def _guarded_connect(allow_private: bool):
    """socket.create_connection that connects only to the public addresses it checked."""

    def connect(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
        host, port = address
        problem: OSError = OSError(f"cannot connect to {host}")
        for ip in _resolve(f"{host}:{port}", host, port):
            if not allow_private and not _public(ip):
                raise FetchError(f"{host}:{port}", f"refused: {host} resolved to a private, "
                                 f"loopback or link-local address ({ip})")
            try:
                return socket.create_connection((ip, port), timeout, source_address)
            except OSError as exc:
                problem = exc
        raise problem

    return connect


def _guarded(kind: type[http.client.HTTPConnection], connect):
    """A connection factory for urllib whose connections go through ``connect``."""

    def connection(host: str, **kwargs) -> http.client.HTTPConnection:
        made = kind(host, **kwargs)
        made._create_connection = connect
        return made

    return connection


class _GuardedHTTP(urllib.request.HTTPHandler):
    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.connection = _guarded(http.client.HTTPConnection, _guarded_connect(allow_private))

    def http_open(self, req):
        return self.do_open(self.connection, req)


class _GuardedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self.connection = _guarded(http.client.HTTPSConnection, _guarded_connect(allow_private))

    def https_open(self, req):
        return self.do_open(self.connection, req, context=self._context)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        """Follow a redirect only to an address that may be fetched."""
        check_address(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def guarded_handlers(allow_private: bool) -> list[urllib.request.BaseHandler]:
    """urllib handlers that connect only to addresses that may be reached."""
    return [_GuardedHTTP(allow_private), _GuardedHTTPS(allow_private)]


def _read_body(response, url: str, max_bytes: int, deadline: float) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(url, f"too large: over {max_bytes / 1e6:g} MB (--max-mb)")
        if time.monotonic() > deadline:
            raise FetchError(url, "too slow: the answer did not arrive in time", passing=True)
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, *, max_bytes: int, allow_private: bool = False, timeout: float = 20.0,
          retries: int = RETRIES, backoff: float = BACKOFF) -> Fetched:
    """The body of ``url`` (at most ``max_bytes``, within a few ``timeout``s), or
    FetchError saying why not."""
    check_address(url, allow_private)
    opener = urllib.request.build_opener(*guarded_handlers(allow_private),
                                         _CheckedRedirects(allow_private))
    request = urllib.request.Request(url, headers={
        "User-Agent": user_agent(), "Accept": "text/html,application/xhtml+xml,"
        "application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"})
    problem, wait, passing = "", 0.0, True
    for attempt in range(retries + 1):
        time.sleep(wait)
        wait = backoff * 2 ** attempt
        try:
            with opener.open(request, timeout=timeout) as response:
                body = _read_body(response, url, max_bytes, time.monotonic() + 3 * timeout)
                return Fetched(response.geturl(), response.headers.get("Content-Type", ""),
                               body)
        except urllib.error.HTTPError as exc:
            with exc:
                problem = f"HTTP {exc.code} {exc.reason}"
                passing = exc.code in PASSING
                after = exc.headers.get("Retry-After", "")
            if not passing:
                break
            if after.isdigit():
                wait = max(wait, min(float(after), MAX_RETRY_AFTER))
        except FetchError as exc:
            if not exc.passing:
                raise
            problem = exc.problem
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            problem = f"cannot fetch: {getattr(exc, 'reason', exc)}"
    tries = f" after {attempt + 1} tries" if attempt else ""
    raise FetchError(url, problem + tries, passing=passing)
