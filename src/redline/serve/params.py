"""Query parameters shared by the API and the dashboard: event filters, dates,
dyads and cursors, each checked with a message naming the parameter."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Annotated

from fastapi import Query

from redline.analyse.series import PERIODS
from redline.errors import InputError
from redline.ingest.published import parse_published
from redline.model import CATEGORIES, STATUSES
from redline.serve.errors import BadRequest
from redline.store import EventFilter

# what a cursor holds: the sort key of the last row of a page, by list
EVENT_CURSOR = (date, str, int, int, str)  # published, article, sentence, trigger, id
ARTICLE_CURSOR = (date, str)  # published, id
QUOTE_CURSOR = (date, str, int, str)  # published, article, sentence, id


def day(value: str | None, name: str) -> date | None:
    """A YYYY-MM-DD parameter."""
    try:
        return parse_published(value, name)
    except InputError as exc:
        raise BadRequest(f"{name}: {exc.problem}") from exc


def actor_code(value: str | None, name: str) -> str:
    """One actor code (RUS, NATO), required."""
    if not value or not value.isalnum() or len(value) > 12:
        raise BadRequest(f"{name}: {value!r}: an actor code such as RUS")
    return value.upper()


def code(value: str | None, name: str) -> str | None:
    """An actor code (RUS), code/sector (RUS/MIL) or name; None if not given."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > 100:
        raise BadRequest(f"{name}: at most 100 characters")
    return value


def dyad(value: str, name: str = "dyad") -> tuple[str, str]:
    """ACTOR:RECIPIENT codes."""
    actor, sep, recipient = value.upper().partition(":")
    if not sep or not actor.isalnum() or not recipient.isalnum() or len(value) > 25:
        raise BadRequest(f"{name}: {value!r}: expected ACTOR:RECIPIENT codes, e.g. RUS:UKR")
    return actor, recipient


def period(value: str) -> str:
    if value not in PERIODS:
        raise BadRequest(f"by: {value!r}: one of {', '.join(PERIODS)}")
    return value


def encode_cursor(key: tuple) -> str:
    """An opaque cursor for the row after ``key``."""
    raw = json.dumps([v.isoformat() if isinstance(v, date) else v for v in key])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(value: str | None, kinds: tuple[type, ...]) -> tuple | None:
    """The key a cursor stands for (parts of ``kinds``: a date, then text and whole
    numbers), or BadRequest."""
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        key = json.loads(raw)
        if not isinstance(key, list) or len(key) != len(kinds):
            raise ValueError("wrong length")
        parts = (date.fromisoformat(key[0]), *key[1:])
        for part, kind in zip(parts, kinds, strict=True):
            if not isinstance(part, kind) or isinstance(part, bool):
                raise ValueError("wrong type")
        return parts
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError) as exc:
        raise BadRequest("cursor: not a cursor this server gave") from exc


def event_filter(
    actor: Annotated[str | None, Query(description="Actor code (RUS), code/sector "
                                       "(RUS/MIL) or name.")] = None,
    recipient: Annotated[str | None, Query(description="Recipient, as actor.")] = None,
    event: Annotated[str | None, Query(description="PLOVER category, e.g. ASSAULT.")] = None,
    status: Annotated[str | None, Query(description="asserted, planned, expected, "
                                        "hypothetical, conditional, negated or "
                                        "historical.")] = None,
    since: Annotated[str | None, Query(description="Earliest event date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="Latest event date, YYYY-MM-DD.")] = None,
    country: Annotated[str | None, Query(description="ISO3 code of the event's place.")
                       ] = None,
    place: Annotated[str | None, Query(description="Part of the place's name.")] = None,
    quad: Annotated[int | None, Query(ge=1, le=4, description="Quad class 1-4.")] = None,
    q: Annotated[str | None, Query(description="Words in the sentence.")] = None,
    article_id: Annotated[str | None, Query(description="Events of one article.")] = None,
) -> EventFilter:
    """Every filter of ``redline events``, plus country, place, quad class and text."""
    if event and event.upper() not in CATEGORIES:
        raise BadRequest(f"event: {event!r} is not a PLOVER category")
    if status and status.lower() not in STATUSES:
        raise BadRequest(f"status: {status!r}: one of {', '.join(STATUSES)}")
    if country and (len(country) != 3 or not country.isalpha()):
        raise BadRequest(f"country: {country!r}: an ISO3 code such as UKR")
    for name, value in (("place", place), ("q", q), ("article_id", article_id)):
        if value and len(value) > 200:
            raise BadRequest(f"{name}: at most 200 characters")
    return EventFilter(actor=code(actor, "actor"), recipient=code(recipient, "recipient"),
                       event=event or None, status=status or None,
                       since=day(since, "since"), until=day(until, "until"),
                       article_id=article_id or None, country=country or None,
                       place=place or None, quad=quad, text=q or None)


def filter_query(filters: EventFilter) -> dict[str, str]:
    """The query parameters that give ``filters`` (for links and export buttons)."""
    pairs = {"actor": filters.actor, "recipient": filters.recipient, "event": filters.event,
             "status": filters.status, "since": filters.since, "until": filters.until,
             "country": filters.country, "place": filters.place, "quad": filters.quad,
             "q": filters.text, "article_id": filters.article_id}
    return {k: str(v) for k, v in pairs.items() if v not in (None, "")}
