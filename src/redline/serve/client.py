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

BATCH_BYTES = 4 * 1024 * 1024  # a request's body, at most (unless one article is larger)
BATCH_ARTICLES = 200


class ServerError(RedlineError):
    """A server that refused a request or could not be reached."""


def article_line(article: Article) -> bytes:
    """One article as a JSON Lines record the server's reader takes."""
    record = {"text": article.text, "title": article.title, "url": article.url,
              "source": article.source,
              "published": article.published.isoformat() if article.published else None}
    return (json.dumps({k: v for k, v in record.items() if v is not None},
                       ensure_ascii=False) + "\n").encode("utf-8")


def batches(items: Iterable[Article | Rejected], rejects: list[Rejected]
            ) -> Iterator[list[bytes]]:
    """Articles as request bodies' lines; rejects of the reading go to ``rejects``."""
    batch, size = [], 0
    for item in items:
        if isinstance(item, Rejected):
            rejects.append(item)
            continue
        line = article_line(item)
        if batch and (size + len(line) > BATCH_BYTES or len(batch) >= BATCH_ARTICLES):
            yield batch
            batch, size = [], 0
        batch.append(line)
        size += len(line)
    if batch:
        yield batch


def post_ingest(server: str, token: str, lines: list[bytes], timeout: float = 600.0) -> dict:
    """Post one batch; the server's report, or ServerError with its message."""
    request = urllib.request.Request(
        server.rstrip("/") + "/api/ingest", data=b"".join(lines), method="POST",
        headers={"Content-Type": "application/x-ndjson", "Accept": "application/json",
                 **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read()).get("error", exc.reason)
        except ValueError:
            message = exc.reason
        raise ServerError(f"{server}: {exc.code} {message}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ServerError(f"{server}: cannot reach the server: "
                          f"{getattr(exc, 'reason', exc)}") from exc


def ingest_remote(server: str, token: str, items: Iterable[Article | Rejected],
                  on_batch: Callable[[IngestReport, int], None] | None = None) -> IngestReport:
    """Post every article read to ``server``; one report for the whole run (rejects
    of the reading and of the server)."""
    report = IngestReport(run_id="")
    rejects: list[Rejected] = []
    for batch in batches(items, rejects):
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
