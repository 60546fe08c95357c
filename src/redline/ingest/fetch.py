"""Fetching pages and feeds over HTTP(S), politely and safely: a clear user
agent, timeouts, a size cap, retries with exponential back-off on failures
that may pass (timeouts, 429, 5xx), and no requests to private, loopback or
link-local addresses (checked for every redirect too) unless allowed."""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response body and where it came from (after redirects)."""

    url: str
    content_type: str
    body: bytes


def user_agent() -> str:
    return setting("user_agent") or f"redline/{__version__} (news event coder)"


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def check_address(url: str, allow_private: bool) -> None:
    """InputError unless ``url`` is http(s) to a host on the public internet
    (any host with ``allow_private``)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(url, "only http:// and https:// URLs can be fetched")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise InputError(url, f"cannot resolve {parts.hostname}: {exc.strerror}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise InputError(url, f"refused: {parts.hostname} is a private, loopback or "
                             f"link-local address ({address}); --allow-private permits it")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_address(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, max_bytes: int, allow_private: bool = False, timeout: float = 20.0,
          retries: int = RETRIES, backoff: float = BACKOFF) -> Fetched:
    """The body of ``url`` (at most ``max_bytes``), or InputError saying why not."""
    check_address(url, allow_private)
    opener = urllib.request.build_opener(_CheckedRedirects(allow_private))
    request = urllib.request.Request(url, headers={
        "User-Agent": user_agent(), "Accept": "text/html,application/xhtml+xml,"
        "application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"})
    problem, wait = "", 0.0
    for attempt in range(retries + 1):
        time.sleep(wait)
        wait = backoff * 2 ** attempt
        try:
            with opener.open(request, timeout=timeout) as response:
                body = response.read(max_bytes + 1)
                if len(body) > max_bytes:
                    raise InputError(url, f"too large: over {max_bytes / 1e6:g} MB (--max-mb)")
                return Fetched(response.geturl(), response.headers.get("Content-Type", ""),
                               body)
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code} {exc.reason}"
            if exc.code not in PASSING:
                break
            after = exc.headers.get("Retry-After", "")
            if after.isdigit():
                wait = max(wait, min(float(after), MAX_RETRY_AFTER))
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            problem = f"cannot fetch: {getattr(exc, 'reason', exc)}"
    tries = f" after {attempt + 1} tries" if attempt else ""
    raise InputError(url, problem + tries)
