"""Who may do what, and what a request may be: token checks, a body-size limit,
and the headers every response carries (a content policy that allows nothing
from outside the server)."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redline.serve.errors import Forbidden, TooLarge, Unauthorised

COOKIE = "redline_token"

# nothing from elsewhere: scripts, styles, images, fonts and requests from this server
CONTENT_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                  "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
                  "object-src 'none'; base-uri 'none'; form-action 'self'; "
                  "frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CONTENT_POLICY.encode()),
           (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"),
           (b"x-frame-options", b"DENY")]


def known_token(tokens: frozenset[str], given: str) -> bool:
    """Compare in constant time against every token."""
    found = False
    for token in tokens:
        found |= hmac.compare_digest(token.encode(), given.encode())
    return found


def session_value(key: bytes, token: str) -> str:
    """What the login cookie holds for a token: derived with this server's own key,
    so the cookie is no token (and dies with the server)."""
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def bearer(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if any."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def check_write(request: Request) -> None:
    """Writes need a known token in the Authorization header (never a cookie, so that
    another site's page cannot write with a browser's credentials)."""
    tokens = request.app.state.config.tokens
    given = bearer(request)
    if given is None:
        raise Unauthorised("writing needs a token: send 'Authorization: Bearer TOKEN'")
    if not tokens or not known_token(tokens, given):
        raise Forbidden("this token may not write here")


def check_read(request: Request) -> None:
    """Reads are open unless the server guards them; then a known token (header, or
    the cookie the login page sets) is needed."""
    config = request.app.state.config
    if not config.guard_reads:
        return
    given, cookie = bearer(request), request.cookies.get(COOKIE)
    if given is None and cookie is None:
        raise Unauthorised("reading needs a token on this server")
    if given is not None and known_token(config.tokens, given):
        return
    key = request.app.state.cookie_key
    sessions = frozenset(session_value(key, t) for t in config.tokens)
    if given is None and known_token(sessions, cookie):
        return
    raise Forbidden("this token is not known here")


class LimitsAndHeaders:
    """ASGI middleware: refuse bodies over ``max_bytes`` (declared or streamed) with
    413, and add the security headers to every response."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(send, self.max_bytes)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise TooLarge(self.max_bytes)
            return message

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        await self.app(scope, counted, with_headers)


async def _refuse(send: Send, max_bytes: int) -> None:
    body = TooLarge(max_bytes).body()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
