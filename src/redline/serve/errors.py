"""One error hierarchy for the server, turned into JSON (API) or a page
(dashboard) in one place: bad input is a clear 4xx, never a 500."""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from redline.errors import RedlineError, StoreError

log = logging.getLogger("redline.serve")


class ApiError(RedlineError):
    """An error with the HTTP status it answers with."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> bytes:
        return json.dumps({"error": self.message, "status": self.status}).encode()


class BadRequest(ApiError):
    status = 400


class Unauthorised(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class TooLarge(ApiError):
    status = 413

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"the request body is over the server's limit of "
                         f"{max_bytes / 1024 / 1024:g} MB")


def _answer(request: Request, status: int, message: str) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get(
            "accept", ""):
        return JSONResponse({"error": message, "status": status}, status, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html",
                                      {"status": status, "message": message},
                                      status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path"))
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(problems) or "invalid request"


def install(app: FastAPI) -> None:
    """Map every error the server can meet to its answer."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return _answer(request, exc.status, exc.message)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        log.error("store error on %s: %s", request.url.path, exc)
        return _answer(request, 503, "the database could not answer; see the server log")

    @app.exception_handler(RedlineError)
    async def redline_error(request: Request, exc: RedlineError) -> Response:
        return _answer(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _answer(request, 400, _validation_message(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return _answer(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _answer(request, 500, "internal error; see the server log")

