"""One dyad's picture over time: its series, its escalation index against the
alert threshold, and the alerts it raised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from redline.analyse.alerts import Alert, Rule, evaluate, load_rules
from redline.analyse.escalation import BASELINE, RATIO_FLOOR, WINDOW, Escalation, escalation
from redline.analyse.events import daily_volume, dyad_events
from redline.analyse.series import dyad_series
from redline.errors import InputError
from redline.store import Store


@dataclass(slots=True)
class Trend:
    """What ``redline trend`` shows of a dyad."""

    actor: str
    recipient: str
    by: str
    series: list[dict]
    index: list[tuple[date, float]]  # escalation index (mean over the rule's window)
    threshold: list[tuple[date, float]]  # the index the rule's ratio asks for (z and
    # min_events must hold too)
    alerts: list[Alert]
    rule: Rule | None  # the index rule drawn as the threshold

    @property
    def window(self) -> int:
        """Days the index is averaged over."""
        return self.rule.window if self.rule else WINDOW


def parse_dyad(text: str) -> tuple[str, str]:
    """"RUS:UKR" -> ("RUS", "UKR")."""
    actor, sep, recipient = (text or "").upper().partition(":")
    if not sep or not actor or not recipient:
        raise InputError("--dyad", f"{text!r}: expected ACTOR:RECIPIENT codes, e.g. RUS:UKR")
    return actor, recipient


def dyad_trend(store: Store, actor: str, recipient: str, *, by: str = "week",
               directed: bool = True, rules: list[Rule] | None = None,
               since: date | None = None, until: date | None = None) -> Trend:
    """The series, index, threshold and alerts of the dyad ``actor`` -> ``recipient``."""
    series = dyad_series(store, by=by, directed=directed, actor=actor, recipient=recipient,
                         since=since, until=until).to_pylist()
    index, threshold, alerts, rule = dyad_index(store, actor, recipient, rules=rules,
                                                since=since, until=until)
    return Trend(actor, recipient, by, series, index, threshold, alerts, rule)


def dyad_index(store: Store, actor: str, recipient: str, *, rules: list[Rule] | None = None,
               since: date | None = None, until: date | None = None
               ) -> tuple[list[tuple[date, float]], list[tuple[date, float]], list[Alert],
                          Rule | None]:
    """The dyad's daily escalation index, the threshold of the first index rule that
    watches it, its alerts (and the actor's), and that rule."""
    rules = rules if rules is not None else load_rules()
    rule = next((r for r in rules if r.measure == "index" and r.level == "dyad"
                 and r.covers(actor, recipient)), None)
    volume = daily_volume(store)
    events = [e for e in dyad_events(store, None, until, actors={actor})
              if e.recipient == recipient]
    points = [p for p in escalation(events, volume, start=min(volume, default=None),
                                    window=rule.window if rule else WINDOW,
                                    baseline=rule.baseline if rule else BASELINE)
              if since is None or p.day >= since]
    threshold = [(p.day, round(max(p.baseline, RATIO_FLOOR) * rule.ratio, 3))
                 for p in points] if rule else []
    alerts = evaluate(store, rules, since, until, actor=actor, recipient=recipient)
    return _every_day(points), threshold, alerts, rule


def _every_day(points: list) -> list[tuple[date, float]]:
    """The index on every day from the first point to the last (0 where the window
    holds no event)."""
    if not points:
        return []
    values = {p.day: p.value for p in points}
    first, last = points[0].day, points[-1].day
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return [(d, values.get(d, 0.0)) for d in days]


def rising(store: Store, *, level: str = "dyad", top: int = 10, min_events: int = 3,
           day: date | None = None) -> list[Escalation]:
    """The subjects (directed dyads, or actors) whose escalation index stands
    highest against its baseline on ``day`` (default, and at most: the last day of
    stored news), with at least ``min_events`` events in the window: by ratio,
    then z."""
    volume = daily_volume(store)
    if not volume or (day is not None and day < min(volume)):
        return []
    first, last = min(volume), min(day or max(volume), max(volume))
    found = [p for p in escalation(dyad_events(store, None, last), volume, level=level,
                                   start=first, end=last)
             if p.day == last and p.events >= min_events]
    return sorted(found, key=lambda p: (-p.ratio, -p.z, p.actor, p.recipient or ""))[:top]
