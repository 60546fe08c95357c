"""Our dyad series beside another coder's (GDELT or PLOVER data imported with
`redline import`): events and mean scale a period, and how closely they move
together (Pearson correlation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from redline.analyse.series import PERIODS, dyad_series, period_start
from redline.errors import InputError
from redline.exchange.imports import FORMATS
from redline.store import Store

STEP = {"day": 1, "week": 7}
MIN_PERIODS = 3  # fewer periods in common: no correlation


@dataclass(slots=True)
class Comparison:
    """Both series a period, and their correlations (None: too few periods)."""

    actor: str
    recipient: str
    by: str
    against: str  # "gdelt" or "plover", and the dataset if one was named
    rows: list[dict]
    events_r: float | None
    scale_r: float | None


def _periods(first: date, last: date, by: str) -> list[date]:
    days, day = [], first
    while day <= last:
        days.append(day)
        day = (date.fromordinal(day.toordinal() + STEP[by]) if by in STEP
               else date(day.year + day.month // 12, day.month % 12 + 1, 1))
    return days


def _pearson(pairs: list[tuple[float, float]]) -> float | None:
    if len(pairs) < MIN_PERIODS:
        return None
    ours, theirs = np.array(pairs, dtype=float).T
    if ours.std() == 0 or theirs.std() == 0:
        return None
    return round(float(np.corrcoef(ours, theirs)[0, 1]), 3)


def compare(store: Store, against: str, actor: str, recipient: str, *, by: str = "week",
            since: date | None = None, until: date | None = None) -> Comparison:
    """Our ``actor`` -> ``recipient`` series beside theirs (``against``: ``gdelt``,
    ``plover``, or either with ``:DATASET``), every period from the first event
    of either to the last."""
    fmt, _, dataset = against.partition(":")
    if fmt not in FORMATS:
        raise InputError("--with", f"{against!r}: gdelt or plover, with :DATASET if you "
                         "imported several")
    if by not in PERIODS:
        raise InputError("--by", f"{by!r}: one of {', '.join(PERIODS)}")
    ours = {r["period"]: (r["events"], r["scale_mean"]) for r in dyad_series(
        store, by=by, actor=actor, recipient=recipient, since=since, until=until).to_pylist()}
    theirs = store.imported_counts(fmt, dataset or None, actor, recipient, by, since, until)
    known = sorted(set(ours) | {period_start(p, by) for p in theirs})
    rows = []
    for period in _periods(known[0], known[-1], by) if known else []:
        mine, other = ours.get(period, (0, None)), theirs.get(period, (0, None))
        rows.append({"period": period, "ours_events": mine[0], "ours_scale": mine[1],
                     "theirs_events": other[0],
                     "theirs_scale": round(other[1], 3) if other[1] is not None else None})
    events_r = _pearson([(r["ours_events"], r["theirs_events"]) for r in rows])
    scale_r = _pearson([(r["ours_scale"], r["theirs_scale"]) for r in rows
                        if r["ours_scale"] is not None and r["theirs_scale"] is not None])
    return Comparison(actor, recipient, by, against, rows, events_r, scale_r)
