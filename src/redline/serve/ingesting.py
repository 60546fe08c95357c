"""Ingest of articles posted to the server: the body becomes a JSON Lines file
that ``redline.runner.ingest`` reads like any other, under the writer's lock."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from redline.ingest.sources import ReadOptions
from redline.runner import ingest
from redline.serve.config import ServeConfig
from redline.serve.database import Database
from redline.serve.errors import BadRequest

JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-lines")
NAME = "request.jsonl"  # what rejects name their input


def posted_lines(body: bytes, kind: str, fields: dict) -> bytes:
    """The posted articles as JSON Lines, or BadRequest naming the problem."""
    if not body.strip():
        raise BadRequest("the request body is empty: post articles")
    if kind in JSONL_TYPES:
        return body
    if kind == "application/json":
        try:
            found = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise BadRequest(f"the body is not JSON: {exc}") from exc
        items = found if isinstance(found, list) else [found]
        return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode()
    if kind in ("text/plain", "text/markdown", ""):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest("a text/plain article must be UTF-8") from exc
        record = {"text": text, **{k: v for k, v in fields.items()
                                   if v is not None and k != "published"}}
        if fields.get("published"):
            record["published"] = fields["published"].isoformat()
        return (json.dumps(record, ensure_ascii=False) + "\n").encode()
    raise BadRequest(f"content type {kind!r}: post application/x-ndjson, application/json "
                     "or text/plain")


def ingest_posted(db: Database, config: ServeConfig, body: bytes, kind: str,
                  fields: dict) -> dict:
    """Store posted articles; the run's report as JSON-ready data."""
    lines = posted_lines(body, kind, fields)
    options = ReadOptions(published=fields.get("published"), max_mb=config.max_request_mb)
    with tempfile.TemporaryDirectory(prefix="redline-post-") as folder:
        path = Path(folder) / NAME
        path.write_bytes(lines)
        with db.writing() as store:
            report = ingest([str(path)], store, options, forced="jsonl",
                            actor_files=config.actor_files)
    return {"run_id": report.run_id, "added": report.added, "copies": report.copies,
            "skipped": report.skipped, "foreign": report.foreign, "events": report.events,
            "quotes": report.quotes,
            "rejects": [{"source": NAME, "line": r.line, "problem": r.problem}
                        for r in report.rejects]}
