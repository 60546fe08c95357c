"""The dashboard: server-rendered pages (Jinja2, autoescaped) with htmx for
paging and filtering; filters live in the URL so that a view can be shared.
Charts and the map draw from the JSON API (``static/redline.js``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from redline.model import CATEGORIES, STATUSES
from redline.serve import analyses, params
from redline.serve.errors import NotFound
from redline.serve.kb_view import actor_profile
from redline.serve.security import COOKIE, check_read, known_token, session_value
from redline.store import EventFilter, table_records

router = APIRouter(include_in_schema=False)
guarded = [Depends(check_read)]
ROWS = 50  # events a table page shows
Filters = Annotated[EventFilter, Depends(params.event_filter)]


def _render(request: Request, name: str, **context: object) -> HTMLResponse:
    context.setdefault("query", dict(request.query_params))
    context.update(categories=CATEGORIES, statuses=STATUSES)
    return request.app.state.templates.TemplateResponse(request, name, context)


def safe_url(url: str | None) -> str | None:
    """A link target only if it is http(s): never ``javascript:`` or ``data:``."""
    if not url:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def highlight(sentence: str, record: dict) -> list[tuple[str, str | None]]:
    """The sentence in pieces, each marked ``trigger``, ``actor``, ``recipient``,
    ``place`` or not at all (overlaps: the first kind listed wins)."""
    spans: list[tuple[int, int, str]] = []
    start, trigger = record.get("trigger_start"), record.get("event_text") or ""
    if start is None or sentence[start:start + len(trigger)] != trigger:
        start = sentence.find(trigger) if trigger else -1
    if start is not None and start >= 0 and trigger:
        spans.append((start, start + len(trigger), "trigger"))
    marks = [(a.get("text"), "actor") for a in record.get("actor") or []]
    marks += [(r.get("text"), "recipient") for r in record.get("recipient") or []]
    marks += [((record.get("event_loc") or {}).get("text"), "place")]
    for text, kind in marks:
        at = sentence.find(text) if text else -1
        if at >= 0:
            spans.append((at, at + len(text), kind))
    chosen: list[tuple[int, int, str]] = []
    for span in spans:
        if all(span[1] <= s[0] or span[0] >= s[1] for s in chosen):
            chosen.append(span)
    pieces, at = [], 0
    for begin, end, kind in sorted(chosen):
        if begin > at:
            pieces.append((sentence[at:begin], None))
        pieces.append((sentence[begin:end], kind))
        at = end
    if at < len(sentence):
        pieces.append((sentence[at:], None))
    return pieces


def _events_page(request: Request, filters: EventFilter, cursor: str | None) -> dict:
    filters.after = params.decode_cursor(cursor, params.EVENT_CURSOR)
    with request.app.state.db.reading() as store:
        table, next_key = store.events_page(filters, ROWS, counts=True)
    query = params.filter_query(filters)
    more = None
    if next_key:
        more = "/partials/events?" + urlencode({**query,
                                                "cursor": params.encode_cursor(next_key)})
    return {"events": table_records(table), "more": more, "filter_query": urlencode(query)}


@router.get("/", dependencies=guarded)
def overview(request: Request, filters: Filters) -> HTMLResponse:
    """Events over time by quad class, top rising dyads, latest alerts."""
    db = request.app.state.db
    with db.reading() as store:
        summary = store.summary(top=0)
    top = db.analysis(("rising", "dyad", 50, 3, None),
                      lambda store: analyses.rising_rows(store, "dyad", 50, 3, None))
    fired = _alerts(db, filters)
    return _render(request, "overview.html", summary=summary,
                   rising=[p for p in top if _involves(p, filters)][:10],
                   alerts=list(reversed(fired[-10:])),
                   filter_query=urlencode(params.filter_query(filters)),
                   chart_query=_chart_query(db, filters))


def _involves(found: dict, filters: EventFilter) -> bool:
    """An alert or a rising dyad of the actor and recipient codes asked for."""
    return ((not filters.actor or found["actor"] == filters.actor.upper())
            and (not filters.recipient or found["recipient"] == filters.recipient.upper()))


def _chart_query(db, filters: EventFilter) -> str:
    """The filters of a chart over time: from the first stored report unless asked
    otherwise (older events the news recalls would stretch the axis over decades)."""
    query = params.filter_query(filters)
    span = db.analysis(("period",), lambda store: store.period())
    if "since" not in query and span:
        query["since"] = span[0].isoformat()
    return urlencode(query)


@router.get("/events", dependencies=guarded)
def events(request: Request, filters: Filters, cursor: str | None = None) -> HTMLResponse:
    """The events table with every filter."""
    return _render(request, "events.html", **_events_page(request, filters, cursor))


@router.get("/partials/events", dependencies=guarded)
def events_rows(request: Request, filters: Filters, cursor: str | None = None
                ) -> HTMLResponse:
    """The next rows of an events table (htmx)."""
    return _render(request, "_event_rows.html", **_events_page(request, filters, cursor))


@router.get("/dyad/{first}/{second}", dependencies=guarded)
def dyad(request: Request, first: str, second: str, filters: Filters,
         cursor: str | None = None) -> HTMLResponse:
    """A dyad: escalation against its threshold, categories over time, its events."""
    actor, recipient = params.dyad(f"{first}:{second}", "dyad")
    filters.actor, filters.recipient = actor, recipient
    window = urlencode({k: v for k, v in (("since", filters.since), ("until", filters.until))
                        if v})
    db = request.app.state.db
    return _render(request, "dyad.html", actor=actor, recipient=recipient, window=window,
                   series_query=_chart_query(db, EventFilter(since=filters.since,
                                                             until=filters.until)),
                   **_events_page(request, filters, cursor))


@router.get("/event/{event_id}", dependencies=guarded)
def event(request: Request, event_id: str) -> HTMLResponse:
    """One event: its sentence marked, status and claimant, source, quotes."""
    with request.app.state.db.reading() as store:
        record = store.event(event_id)
        if record is None:
            raise NotFound(f"no event {event_id!r}")
        article = store.article(record["article_id"])
        quotes = table_records(store.quotes_page(article_id=record["article_id"])[0])
    return _render(request, "event.html", event=record, article=article, quotes=quotes,
                   pieces=highlight(record["text"], record),
                   link=safe_url(article.get("url") if article else None))


@router.get("/article/{article_id}", dependencies=guarded)
def article(request: Request, article_id: str) -> HTMLResponse:
    """One article: its text, events and quotes."""
    with request.app.state.db.reading() as store:
        found = store.article(article_id)
        if found is None:
            raise NotFound(f"no article {article_id!r}")
        found_events = table_records(store.events(EventFilter(article_id=article_id)))
        quotes = table_records(store.quotes_page(article_id=article_id)[0])
    return _render(request, "article.html", article=found, events=found_events,
                   quotes=quotes, link=safe_url(found.get("url")))


@router.get("/actor/{code}", dependencies=guarded)
def actor(request: Request, code: str, filters: Filters) -> HTMLResponse:
    """An actor code: roles over time, counterparts, timeline (dates, category,
    status, country and text filter the counterparts and the timeline)."""
    code = params.actor_code(code, "code")
    db = request.app.state.db
    with db.reading() as store:
        profile = actor_profile(request.app.state.kb(), store, code, timeline=False,
                                filters=filters)
    chosen = replace(filters, actor=None, recipient=None)
    return _render(request, "actor.html", profile=profile,
                   as_actor=_chart_query(db, replace(chosen, actor=code)),
                   as_recipient=_chart_query(db, replace(chosen, recipient=code)))


@router.get("/map", dependencies=guarded)
def world_map(request: Request, filters: Filters) -> HTMLResponse:
    """Located events on the world's boundaries (no tile server)."""
    return _render(request, "map.html", filter_query=urlencode(params.filter_query(filters)))


@router.get("/alerts", dependencies=guarded)
def alerts(request: Request, filters: Filters) -> HTMLResponse:
    """Every alert the active rules give, latest first, with the events behind it
    (dates, and actor and recipient codes, filter them)."""
    db = request.app.state.db
    fired = [a for a in _alerts(db, filters) if _involves(a, filters)]
    ids = sorted({i for a in fired for i in a["event_ids"]})
    with db.reading() as store:
        behind = {r["id"]: r for r in table_records(store.events(EventFilter(ids=ids)))}
    return _render(request, "alerts.html", alerts=list(reversed(fired)), behind=behind)


def _alerts(db, filters: EventFilter) -> list[dict]:
    key = ("alerts", filters.since, filters.until)
    return db.analysis(key, lambda store: analyses.alert_records(store, *key[1:]))


@router.get("/api/docs")
def docs(request: Request) -> HTMLResponse:
    """The OpenAPI description, browsable (Swagger UI from the package)."""
    return _render(request, "docs.html")


@router.get("/login")
def login_form(request: Request) -> HTMLResponse:
    return _render(request, "login.html", failed=False)


@router.post("/login")
def login(request: Request, token: Annotated[str, Form()]) -> Response:
    """Remember a reader in a cookie (for servers whose reads need a token); the
    cookie holds a value derived from the token, never the token."""
    if not known_token(request.app.state.config.tokens, token):
        response = _render(request, "login.html", failed=True)
        response.status_code = 403
        return response
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, session_value(request.app.state.cookie_key, token),
                        httponly=True, samesite="lax", secure=request.url.scheme == "https")
    return response


@router.post("/logout")
def logout() -> Response:
    """Forget the reader."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response
