"""The escalation index of a directed dyad (or of an actor), day by day, and how
it compares with its own past.

Each event between the two, on the day it happened, adds its weight: material
conflict 4, mobilisation 3, threats 2 (THREATEN, or any conflict that is only
planned, expected, hypothetical or conditional), verbal conflict 1,
cooperation 0; negated events add nothing. The day's sum is scaled by news
volume: multiplied by (mean stories a day from the store's first story to its
last) / (mean stories a day over the week up to that day), the factor kept
within 1/4..4 (1 outside the stored period), so that a busier news week is not
mistaken for more conflict.

On each day t the index is compared with its baseline: ``value`` is its mean
over the ``window`` days up to t (default 7), ``baseline`` its mean over the
``baseline`` days before them (default 28; ``long_baseline`` over 90);
``ratio`` = value / max(baseline, 0.5) and ``z`` = (value - baseline) /
max(sd / sqrt(window), 0.25), sd being the baseline days' standard deviation.
``events`` counts the weighted events in the window: rules ask for a minimum,
so that one article cannot raise an alarm.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from redline.analyse.events import DyadEvent

WEIGHTS = {"material_conflict": 4.0, "mobilization": 3.0, "threat": 2.0,
           "verbal_conflict": 1.0, "cooperation": 0.0}
KINDS = tuple(WEIGHTS)
WINDOW, BASELINE, LONG_BASELINE = 7, 28, 90
RATIO_FLOOR, SD_FLOOR = 0.5, 0.25
VOLUME_CAP = 4.0

Subject = tuple[str, str | None]  # (actor, recipient); recipient None: the actor's index


@dataclass(frozen=True, slots=True)
class Escalation:
    """A subject's escalation index on one day, against its baseline."""

    actor: str
    recipient: str | None
    day: date
    value: float
    baseline: float
    long_baseline: float
    ratio: float
    z: float
    events: int
    event_ids: tuple[str, ...]


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def volume_factors(volume: dict[date, int], days: list[date]) -> np.ndarray:
    """The news-volume scaling of each day: the store's mean stories a day (over the
    days from its first story to its last) over the mean of the week up to that day
    (of its days within the stored period), within 1/4..4; 1 outside the stored
    period or where no volume is known."""
    known = [d for d, n in volume.items() if n > 0]
    if not known:
        return np.ones(len(days))
    stored = _days(min(known), max(known))
    counts = np.array([volume.get(d, 0) for d in stored], dtype=float)
    overall = counts.mean()
    covered = np.minimum(np.arange(1, len(stored) + 1), WINDOW)
    weekly = _window_sums(counts, WINDOW) / covered
    with np.errstate(divide="ignore"):
        factor = dict(zip(stored, np.where(weekly > 0, overall / weekly, 1.0), strict=True))
    return np.clip(np.array([factor.get(d, 1.0) for d in days]), 1 / VOLUME_CAP, VOLUME_CAP)


def daily_index(events: Iterable[DyadEvent], volume: dict[date, int], *,
                level: str = "dyad", start: date | None = None, end: date | None = None,
                weights: dict[str, float] | None = None
                ) -> tuple[list[date], dict[Subject, tuple[np.ndarray, list[list[str]]]]]:
    """Each subject's daily index over the calendar (``level``: ``dyad`` for directed
    dyads, ``actor`` for actors against anyone), with the ids of its weighted events;
    ``weights`` by kind (default ``WEIGHTS``; all 1: a plain count)."""
    weights = weights or WEIGHTS
    events = [e for e in events if level == "actor" or e.recipient is not None]
    if not events:
        return [], {}
    start = start or min(e.day for e in events)
    end = end or max(e.day for e in events)
    days = _days(start, end)
    position = {d: i for i, d in enumerate(days)}
    raw: dict[Subject, np.ndarray] = defaultdict(lambda: np.zeros(len(days)))
    ids: dict[Subject, list[list[str]]] = defaultdict(lambda: [[] for _ in days])
    counted: set[tuple[Subject, str]] = set()
    for e in events:
        weight = weights[e.kind]
        subject = (e.actor, e.recipient if level == "dyad" else None)
        if weight == 0 or e.day not in position or (subject, e.id) in counted:
            continue
        counted.add((subject, e.id))  # an event counts once for a subject
        raw[subject][position[e.day]] += weight
        ids[subject][position[e.day]].append(e.id)
    factors = volume_factors(volume, days)
    return days, {s: (raw[s] * factors, ids[s]) for s in raw}


def _window_sums(values: np.ndarray, width: int) -> np.ndarray:
    """Sum of each day and the ``width - 1`` days before it."""
    sums = np.cumsum(np.concatenate([[0.0], values]))
    ends = np.arange(1, len(values) + 1)
    return sums[ends] - sums[np.maximum(ends - width, 0)]


def _baseline(values: np.ndarray, window: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """For each day, the mean and standard deviation of the ``width`` days before its
    window (fewer at the start of the calendar; 0 where there are none)."""
    sums = np.cumsum(np.concatenate([[0.0], values]))
    squares = np.cumsum(np.concatenate([[0.0], values * values]))
    ends = np.arange(len(values))
    high = np.maximum(0, ends - window + 1)
    low = np.maximum(0, ends - window - width + 1)
    n = (high - low).astype(float)
    total = sums[high] - sums[low]
    mean = np.divide(total, n, out=np.zeros_like(total), where=n > 0)
    spread = np.divide(squares[high] - squares[low], n, out=np.zeros_like(total), where=n > 0)
    return mean, np.sqrt(np.maximum(spread - mean * mean, 0.0))


def escalation(events: Iterable[DyadEvent], volume: dict[date, int], *, level: str = "dyad",
               window: int = WINDOW, baseline: int = BASELINE,
               start: date | None = None, end: date | None = None,
               weights: dict[str, float] | None = None) -> list[Escalation]:
    """Every subject's escalation on every day it has a weighted event in its window
    (``weights``: as in ``daily_index``)."""
    days, index = daily_index(events, volume, level=level, start=start, end=end,
                              weights=weights)
    found = []
    for (actor, recipient), (values, ids) in sorted(index.items()):
        counts = np.array([len(day) for day in ids], dtype=float)
        recent = _window_sums(values, window) / window
        in_window = _window_sums(counts, window)
        base, sd = _baseline(values, window, baseline)
        longer, _ = _baseline(values, window, LONG_BASELINE)
        for i in np.flatnonzero(in_window):
            value = float(recent[i])
            found.append(Escalation(
                actor, recipient, days[i], round(value, 4), round(float(base[i]), 4),
                round(float(longer[i]), 4),
                round(value / max(float(base[i]), RATIO_FLOOR), 4),
                round((value - float(base[i])) / max(float(sd[i]) / np.sqrt(window),
                                                     SD_FLOOR), 4),
                int(in_window[i]),
                tuple(x for day_ids in ids[max(0, i - window + 1): i + 1] for x in day_ids)))
    return found
