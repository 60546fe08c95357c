"""The REST API under ``/api``: reads of every stored view (JSON pages with a
cursor, or the whole filtered view as CSV, JSON Lines or Parquet), and writes
(ingest, alert rules) that need a token."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Annotated, Literal

import pyarrow as pa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response, StreamingResponse

from redline.analyse.alerts import ALERT_COLUMNS, Rule, active_rules, store_rules
from redline.analyse.series import series_schema
from redline.serve import analyses, params
from redline.serve.errors import BadRequest, NotFound
from redline.serve.ingesting import ingest_posted
from redline.serve.kb_view import actor_profile
from redline.serve.security import check_read, check_write
from redline.store import EventFilter, browse, table_records
from redline.store.formats import csv_chunks, jsonl_chunks, parquet_bytes
from redline.store.schema import SCHEMA_VERSION

Download = Literal["json", "csv", "jsonl", "parquet"]
FormatQuery = Annotated[Download, Query(
    description="json: a page (see cursor); csv, jsonl, parquet: the whole filtered view "
    "as a file.")]
Cursor = Annotated[str | None, Query(description="next_cursor of the page before.")]
Limit = Annotated[int | None, Query(ge=1, description="Rows a page (JSON; default 100, at "
                                    "most 1000) or in the file (downloads: all).")]

router = APIRouter(prefix="/api", dependencies=[Depends(check_read)])
writes = APIRouter(prefix="/api", dependencies=[Depends(check_write)])

MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
         "parquet": "application/vnd.apache.parquet"}


class Json(JSONResponse):
    """JSON with dates as ISO text."""

    def render(self, content: object) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=_plain).encode("utf-8")


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _db(request: Request):
    return request.app.state.db


def _page_size(request: Request, limit: int | None) -> int:
    config = request.app.state.config
    return min(limit or config.page_size, config.max_page_size)


def _file(table: pa.Table, fmt: str, name: str) -> Response:
    """A download: CSV and JSON Lines streamed a piece at a time, Parquet whole."""
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "parquet":
        return Response(parquet_bytes(table), media_type=MEDIA[fmt], headers=headers)
    chunks = csv_chunks(table) if fmt == "csv" else jsonl_chunks(table)
    return StreamingResponse(chunks, media_type=MEDIA[fmt], headers=headers)


def _listing(records: list[dict], fmt: str, name: str, columns: tuple[str, ...]) -> Response:
    """Records as a JSON list or a file (with its columns even when empty)."""
    if fmt == "json":
        return Json({"items": records, "count": len(records)})
    table = pa.Table.from_pylist(records) if records else pa.table(
        {c: pa.array([], pa.string()) for c in columns})
    return _file(table, fmt, name)


def _page(table: pa.Table, next_key: tuple | None) -> Json:
    items = table_records(table)
    return Json({"items": items, "count": len(items),
                 "next_cursor": params.encode_cursor(next_key) if next_key else None})


@router.get("/health")
def health(request: Request) -> Json:
    """The server is up: schema version and stored counts."""
    with _db(request).reading() as store:
        counts = store.counts()
    limit = int(request.app.state.config.max_request_mb * 1024 * 1024)
    return Json({"status": "ok", "schema": SCHEMA_VERSION, **counts,
                 "max_request_bytes": limit})


@router.get("/events")
def events(request: Request, filters: Annotated[EventFilter, Depends(params.event_filter)],
           counts: Annotated[bool, Query(description="Add num_articles and num_sources "
                                         "(the reports of each event's story).")] = False,
           cursor: Cursor = None, limit: Limit = None, format: FormatQuery = "json"
           ) -> Response:
    """Events in record order, filtered as ``redline events`` (and by country, place,
    quad class and words in the sentence)."""
    filters.after = params.decode_cursor(cursor, params.EVENT_CURSOR)
    with _db(request).reading() as store:
        if format != "json":
            filters.limit = limit
            return _file(store.events(filters, counts=counts), format, "events")
        table, next_key = store.events_page(filters, _page_size(request, limit), counts=counts)
    return _page(table, next_key)


@router.get("/events/{event_id}")
def event(request: Request, event_id: str) -> Json:
    """One event record, with the trigger's offset in its sentence."""
    with _db(request).reading() as store:
        found = store.event(event_id)
    if found is None:
        raise NotFound(f"no event {event_id!r}")
    return Json(found)


@router.get("/articles")
def articles(request: Request,
             since: Annotated[str | None, Query(description="Published on or after.")] = None,
             until: Annotated[str | None, Query(description="Published on or before.")] = None,
             source: Annotated[str | None, Query(description="Part of the site name.")] = None,
             q: Annotated[str | None, Query(description="Words in title or text.")] = None,
             cursor: Cursor = None, limit: Limit = None, format: FormatQuery = "json"
             ) -> Response:
    """Articles in publication order (without their text)."""
    after = params.decode_cursor(cursor, params.ARTICLE_CURSOR)
    chosen = {"since": params.day(since, "since"), "until": params.day(until, "until"),
              "source": source, "text": q, "after": after}
    with _db(request).reading() as store:
        if format != "json":
            return _file(store.articles_page(**chosen, limit=limit)[0], format,
                         "articles")
        table, next_key = store.articles_page(**chosen,
                                               limit=_page_size(request, limit))
    return _page(table, next_key)


@router.get("/articles/{article_id}")
def article(request: Request, article_id: str) -> Json:
    """One article with its text, events and quotes."""
    with _db(request).reading() as store:
        found = store.article(article_id)
        if found is None:
            raise NotFound(f"no article {article_id!r}")
        found["events"] = table_records(store.events(EventFilter(article_id=article_id)))
        found["quotes"] = table_records(store.quotes_page(article_id=article_id)[0])
    return Json(found)


@router.get("/quotes")
def quotes(request: Request,
           speaker: Annotated[str | None, Query(description="Speaker code or name.")] = None,
           since: Annotated[str | None, Query(description="Published on or after.")] = None,
           until: Annotated[str | None, Query(description="Published on or before.")] = None,
           article_id: Annotated[str | None, Query(description="Quotes of one article.")
                                 ] = None,
           cursor: Cursor = None, limit: Limit = None, format: FormatQuery = "json"
           ) -> Response:
    """Who said what, in text order."""
    chosen = {"speaker": params.code(speaker, "speaker"), "since": params.day(since, "since"),
              "until": params.day(until, "until"), "article_id": article_id,
              "after": params.decode_cursor(cursor, params.QUOTE_CURSOR)}
    with _db(request).reading() as store:
        if format != "json":
            return _file(store.quotes_page(**chosen, limit=limit)[0], format, "quotes")
        table, next_key = store.quotes_page(**chosen, limit=_page_size(request, limit))
    return _page(table, next_key)


@router.get("/actors")
def actors(request: Request, filters: Annotated[EventFilter, Depends(params.event_filter)],
           name: Annotated[str | None, Query(description="Code, or part of a name.")] = None,
           limit: Limit = None, format: FormatQuery = "json") -> Response:
    """Actor codes in the selected events, most active first."""
    with _db(request).reading() as store:
        table = store.actors(filters, name=params.code(name, "name"),
                              limit=limit if format != "json" else _page_size(request, limit))
    return _listing(table_records(table), format, "actors", tuple(table.column_names))


@router.get("/actors/{code}")
def actor(request: Request, code: str) -> Json:
    """One actor code: what the knowledge base knows (entries, people's dated roles),
    its counterparts and its events a month."""
    code = params.actor_code(code, "code")
    with _db(request).reading() as store:
        found = actor_profile(request.app.state.kb(), store, code)
    return Json(found)


@router.get("/places")
def places(request: Request, filters: Annotated[EventFilter, Depends(params.event_filter)],
           format: Annotated[Literal["json", "geojson", "csv", "jsonl", "parquet"], Query(
               description="json, geojson (points), csv, jsonl or parquet.")] = "json"
           ) -> Response:
    """Located events grouped by place, with coordinates and quad classes."""
    with _db(request).reading() as store:
        found = store.places(filters)
    if format == "geojson":
        return Json(browse.places_geojson(found), media_type="application/geo+json")
    return _listing(found, format, "places", browse.PLACE_COLUMNS)


@router.get("/counts")
def counts(request: Request, filters: Annotated[EventFilter, Depends(params.event_filter)],
           by: Annotated[str, Query(description="day, week or month.")] = "week",
           format: FormatQuery = "json") -> Response:
    """Selected events a period by quad class (negated left out)."""
    with _db(request).reading() as store:
        rows = store.counts_over_time(filters, params.period(by))
    if format == "json":
        return Json({"by": by, "items": rows})
    return _listing(rows, format, "counts", browse.COUNT_COLUMNS)


@router.get("/series")
def series(request: Request,
           dyad: Annotated[str | None, Query(description="ACTOR:RECIPIENT, e.g. RUS:UKR.")
                           ] = None,
           actor: Annotated[str | None, Query(description="Rows with this actor.")] = None,
           by: Annotated[str, Query(description="day, week or month.")] = "week",
           directed: bool = True, since: str | None = None, until: str | None = None,
           format: FormatQuery = "json") -> Response:
    """Dyad time series: counts by category, quad class and kind, scale, news volume."""
    pair = params.dyad(dyad) if dyad is not None else (
        None if actor is None else params.actor_code(actor, "actor"), None)
    key = ("series", params.period(by), directed, *pair, params.day(since, "since"),
           params.day(until, "until"))
    rows = _db(request).analysis(key, lambda store: analyses.series_rows(store, *key[1:]))
    return _listing(rows, format, "series", tuple(series_schema().names))


@router.get("/escalation")
def escalation_index(request: Request,
                     dyad: Annotated[str | None, Query(description="ACTOR:RECIPIENT.")] = None,
                     actor: Annotated[str | None, Query(description="One actor against "
                                                        "anyone.")] = None,
                     since: str | None = None, until: str | None = None,
                     format: FormatQuery = "json") -> Response:
    """The daily escalation index of a dyad (with its alert threshold and alerts) or
    of an actor: value, baseline, ratio, z and events in the window."""
    window = (params.day(since, "since"), params.day(until, "until"))
    if (dyad is None) == (actor is None):
        raise BadRequest("give dyad (RUS:UKR) or actor (RUS)")
    if dyad is not None:
        key = ("dyad escalation", *params.dyad(dyad), *window)
        compute = analyses.dyad_escalation
    else:
        key = ("actor escalation", params.actor_code(actor, "actor"), *window)
        compute = analyses.actor_escalation
    found = _db(request).analysis(key, lambda store: compute(store, *key[1:]))
    if format == "json":
        return Json(found)
    columns = ("day", "index", "threshold") if dyad is not None else analyses.POINT_COLUMNS
    return _listing(found["points"], format, "escalation", columns)


@router.get("/rising")
def rising_subjects(request: Request,
                    level: Annotated[Literal["dyad", "actor"], Query()] = "dyad",
                    top: Annotated[int, Query(ge=1, le=100)] = 10,
                    min_events: Annotated[int, Query(ge=1)] = 3,
                    day: str | None = None, format: FormatQuery = "json") -> Response:
    """Dyads (or actors) whose index stands highest against its baseline on a day
    (default, and at most: the last day of stored news)."""
    db, asked = _db(request), params.day(day, "day")
    last = db.last_day()
    asked = None if asked is None or last is None or asked >= last else asked
    key = ("rising", level, top, min_events, asked)
    found = db.analysis(key, lambda store: analyses.rising_rows(store, *key[1:]))
    return _listing(found, format, "rising", analyses.POINT_COLUMNS)


@router.get("/alerts")
def alerts(request: Request, since: str | None = None, until: str | None = None,
           format: FormatQuery = "json") -> Response:
    """Alerts the active rules give over the stored events (as ``redline alerts
    --json``), latest last."""
    key = ("alerts", params.day(since, "since"), params.day(until, "until"))
    found = _db(request).analysis(key, lambda store: analyses.alert_records(store, *key[1:]))
    return _listing(found, format, "alerts", ALERT_COLUMNS)


@router.get("/rules")
def rules(request: Request) -> Json:
    """The alert rules in force (the server's own, else redline's default set)."""
    with _db(request).reading() as store:
        found = active_rules(store)
        own = store.meta("alert_rules") is not None
    return Json({"source": "stored" if own else "default",
                 "rules": [_rule_record(r) for r in found]})


def _rule_record(rule: Rule) -> dict:
    """A rule as its YAML gives it (unset fields left out)."""
    return {k: v for k, v in asdict(rule).items() if v is not None and v != float("-inf")}


@writes.put("/rules")
async def replace_rules(request: Request) -> Json:
    """Replace the alert rules with a YAML or JSON list (validated first: a bad rule
    changes nothing)."""
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("the rules must be UTF-8 text") from exc

    def replace() -> list[Rule]:
        with _db(request).writing() as store:
            return store_rules(store, text, "request body")

    found = await run_in_threadpool(replace)  # waits for a writer without blocking reads
    return Json({"source": "stored", "rules": [_rule_record(r) for r in found]})


@writes.delete("/rules")
def reset_rules(request: Request) -> Json:
    """Back to redline's default rules."""
    with _db(request).writing() as store:
        found = store_rules(store, None)
    return Json({"source": "default", "rules": [_rule_record(r) for r in found]})


@writes.post("/ingest")
async def ingest(request: Request,
                 published: Annotated[str | None, Query(
                     description="Publication date of articles that have none.")] = None,
                 title: str | None = None, url: str | None = None,
                 source: str | None = None) -> Json:
    """Code and store posted articles: JSON Lines (``application/x-ndjson``, one
    article a line, fields as ``redline ingest`` reads them), a JSON object or list,
    or one plain-text article (``text/plain``; title, url, source and published from
    the query). Answers with the run's report, rejects included."""
    body = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    report = await run_in_threadpool(
        ingest_posted, request.app.state.db, request.app.state.config, body, kind,
        {"published": params.day(published, "published"), "title": title, "url": url,
         "source": source})
    return Json(report)
