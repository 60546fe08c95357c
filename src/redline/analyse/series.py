"""Dyad time series: events between two actors by day, week or month — counts
by category, quad class and kind, summed and mean PLOVER scale score — beside
the news volume of the same period and the count per 100 stories.

Each story counts once (copies of an article carry no events of their own);
negated events never count; conflict that is only planned, expected,
hypothetical or conditional counts as a threat (quad class 3), not as an act.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pyarrow as pa

from redline.analyse.events import DyadEvent, daily_volume, dyad_events
from redline.errors import InputError
from redline.model import CATEGORIES
from redline.store import Store
from redline.store.filters import PERIODS

KIND_QUAD = {"material_conflict": 4, "mobilization": 4, "threat": 3, "verbal_conflict": 3}


def period_start(day: date, by: str) -> date:
    """The first day of the period (day, ISO week from Monday, month) holding ``day``."""
    if by == "day":
        return day
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    raise InputError("--by", f"{by!r}: expected one of {', '.join(PERIODS)}")


def _matches(e: DyadEvent, actor: str | None, recipient: str | None, directed: bool) -> bool:
    if e.recipient is None:
        return False
    pairs = [(e.actor, e.recipient)] if directed else [(e.actor, e.recipient),
                                                        (e.recipient, e.actor)]
    return any((actor is None or a == actor) and (recipient is None or r == recipient)
               for a, r in pairs)


def dyad_series(store: Store, *, by: str = "week", directed: bool = True,
                actor: str | None = None, recipient: str | None = None,
                since: date | None = None, until: date | None = None) -> pa.Table:
    """One row per period and dyad (actor, recipient; undirected: the two codes in
    alphabetical order) with its counts and the period's news volume."""
    volume: Counter = Counter()
    for day, stories in daily_volume(store).items():
        volume[period_start(day, by)] += stories
    groups: dict[tuple, list[DyadEvent]] = defaultdict(list)
    counted: set[tuple] = set()
    leading = ({actor} if directed else {actor, recipient}) if actor and (
        directed or recipient) else None  # the actors of the rows that can match
    for e in dyad_events(store, since, until, leading):
        if not _matches(e, actor, recipient, directed):
            continue
        pair = (e.actor, e.recipient) if directed else tuple(sorted((e.actor, e.recipient)))
        key = (period_start(e.day, by), *pair)
        if (key, e.id) not in counted:  # an event counts once in a group (A->B and B->A)
            counted.add((key, e.id))
            groups[key].append(e)
    rows = []
    for (start, a, r), found in sorted(groups.items()):
        quads = Counter(KIND_QUAD.get(e.kind, e.quad) for e in found)
        kinds = Counter(e.kind for e in found)
        categories = Counter(e.event for e in found  # a threatened act is no act
                             if e.kind != "threat" or e.event == "THREATEN")
        stories = volume.get(start, 0)
        scale = sum(e.scale for e in found)
        rows.append({
            "period": start, "actor": a, "recipient": r, "events": len(found),
            **{f"quad{q}": quads.get(q, 0) for q in (1, 2, 3, 4)},
            **{k: kinds.get(k, 0) for k in KIND_QUAD},
            **{c: categories.get(c, 0) for c in CATEGORIES},
            "scale_sum": round(scale, 2), "scale_mean": round(scale / len(found), 3),
            "stories": stories,
            "per_100_stories": round(100 * len(found) / stories, 2) if stories else None,
        })
    return pa.Table.from_pylist(rows, schema=series_schema())


def series_schema() -> pa.Schema:
    """The columns of a dyad series."""
    counts = [(name, pa.int64()) for name in (
        "events", "quad1", "quad2", "quad3", "quad4", *KIND_QUAD, *CATEGORIES)]
    return pa.schema([("period", pa.date32()), ("actor", pa.string()),
                      ("recipient", pa.string()), *counts, ("scale_sum", pa.float64()),
                      ("scale_mean", pa.float64()), ("stories", pa.int64()),
                      ("per_100_stories", pa.float64())])
