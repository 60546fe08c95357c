"""The stored events an analysis reads: one row per (actor code, recipient code)
of each event, with the kind of act it is for escalation; negated events left out."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from redline.store import Store

CONFLICT_QUADS = (3, 4)
UNREALISED = ("planned", "expected", "hypothetical", "conditional")  # not (yet) acts


@dataclass(frozen=True, slots=True)
class DyadEvent:
    """One event between two coded actors, as analyses count it."""

    id: str
    day: date
    actor: str
    recipient: str | None  # None: the event has no coded recipient (actor-level only)
    event: str
    quad: int
    scale: float
    status: str
    kind: str


def kind_of(event: str, quad: int, status: str) -> str:
    """What an event counts as: ``material_conflict``, ``mobilization``, ``threat``,
    ``verbal_conflict`` or ``cooperation``. Conflict that is planned, expected,
    hypothetical or conditional is a threat, not an act."""
    if event == "THREATEN" or (quad in CONFLICT_QUADS and status in UNREALISED):
        return "threat"
    if event == "MOBILIZE":
        return "mobilization"
    if quad == 4:
        return "material_conflict"
    if quad == 3:
        return "verbal_conflict"
    return "cooperation"


def dyad_events(store: Store, since: date | None = None, until: date | None = None,
                actors: Collection[str] | None = None) -> list[DyadEvent]:
    """Every dated, not negated event as (actor, recipient) rows, oldest first; an
    event with several actors or recipients gives a row for each pair of codes.
    ``actors``: only the rows whose actor is one of these codes."""
    rows = store.dyad_rows(since, until, actors)
    found, seen = [], set()
    for event_id, day, actor, recipient, event, quad, scale, status in rows:
        recipient = recipient if recipient and recipient != actor else None
        key = (event_id, actor, recipient)
        if key in seen:
            continue
        seen.add(key)
        found.append(DyadEvent(event_id, day, actor, recipient, event, quad or 0,
                               scale or 0.0, status, kind_of(event, quad or 0, status)))
    return found


def daily_volume(store: Store) -> dict[date, int]:
    """Stories (an article and its copies count once) published each day."""
    return store.daily_stories()
