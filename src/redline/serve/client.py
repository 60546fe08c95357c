"""``redline ingest --server URL``: read inputs here, post them to a server
that owns the database, and add up its reports."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator

from redline.errors import RedlineError
from redline.ingest.sources import Rejected
from redline.model import Article
from redline.runner import IngestReport

BATCH_BYTES = 4 * 1024 * 1024  # a request's body, at most (less if the server says so)
BATCH_ARTICLES = 200


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A server that redirects is refused: the token goes to the URL given, only."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {newurl}; give "
                                     "that URL instead", headers, fp)


OPENER = urllib.request.build_opener(_NoRedirects)


class ServerError(RedlineError):
    """A server that refused a request or could not be reached."""


def article_line(article: Article) -> bytes:
    """One article as a JSON Lines record the server's reader takes."""
    record = {"text": article.text, "title": article.title, "url": article.url,
              "source": article.source,
              "published": article.published.isoformat() if article.published else None}
    return (json.dumps({k: v for k, v in record.items() if v is not None},
                       ensure_ascii=False) + "\n").encode("utf-8")


def batches(items: Iterable[Article | Rejected], rejects: list[Rejected],
            limit: int = BATCH_BYTES) -> Iterator[list[bytes]]:
    """Articles as request bodies' lines, each body at most ``limit`` bytes; rejects
    of the reading, and articles too large for one body, go to ``rejects``."""
    batch, size = [], 0
    for item in items:
        if isinstance(item, Rejected):
            rejects.append(item)
            continue
        line = article_line(item)
        if len(line) > limit:
            rejects.append(Rejected(item.origin or item.id, f"over the server's limit of "
                                    f"{limit / 1024 / 1024:g} MB for a request"))
            continue
        if batch and (size + len(line) > limit or len(batch) >= BATCH_ARTICLES):
            yield batch
            batch, size = [], 0
        batch.append(line)
        size += len(line)
    if batch:
        yield batch


def _request(server: str, path: str, token: str, body: bytes | None = None,
             timeout: float = 600.0) -> dict:
    """One request to the server; its JSON answer, or ServerError with its message."""
    request = urllib.request.Request(
        server.rstrip("/") + path, data=body, method="POST" if body is not None else "GET",
        headers={"Content-Type": "application/x-ndjson", "Accept": "application/json",
                 **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read()).get("error", exc.reason)
        except (ValueError, AttributeError):
            message = exc.reason
        raise ServerError(f"{server}: {exc.code} {message}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ServerError(f"{server}: cannot reach the server: "
                          f"{getattr(exc, 'reason', exc)}") from exc


def post_ingest(server: str, token: str, lines: list[bytes]) -> dict:
    """Post one batch; the server's report."""
    return _request(server, "/api/ingest", token, b"".join(lines))


def ingest_remote(server: str, token: str, items: Iterable[Article | Rejected],
                  on_batch: Callable[[IngestReport, int], None] | None = None) -> IngestReport:
    """Post every article read to ``server``; one report for the whole run (rejects
    of the reading and of the server)."""
    report = IngestReport(run_id="")
    rejects: list[Rejected] = []
    health = _request(server, "/api/health", token)
    limit = min(BATCH_BYTES, int(health.get("max_request_bytes", BATCH_BYTES)) - 1024)
    for batch in batches(items, rejects, limit):
        found = post_ingest(server, token, batch)
        for name in ("added", "copies", "skipped", "foreign", "events", "quotes"):
            setattr(report, name, getattr(report, name) + int(found.get(name, 0)))
        report.run_id = found.get("run_id", report.run_id)
        report.rejects.extend(Rejected(f"{server} ({r['source']})", r["problem"], r.get("line"))
                              for r in found.get("rejects", []))
        if on_batch:
            on_batch(report, len(batch))
    report.rejects[:0] = rejects
    return report
