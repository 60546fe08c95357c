"""The analyses the API and the dashboard show, as JSON-ready data; the server
computes each once per state of the store (``Database.analysis``)."""

from __future__ import annotations

from datetime import date

from redline.analyse.alerts import active_rules
from redline.analyse.alerts import evaluate as evaluate_alerts
from redline.analyse.escalation import WINDOW, Escalation, escalation
from redline.analyse.events import daily_volume, dyad_events
from redline.analyse.series import dyad_series
from redline.analyse.trend import dyad_index, rising
from redline.store import Store


def series_rows(store: Store, by: str, directed: bool, actor: str | None,
                recipient: str | None, since: date | None, until: date | None) -> list[dict]:
    """Dyad series rows, as ``redline trend`` gives them."""
    return dyad_series(store, by=by, directed=directed, actor=actor, recipient=recipient,
                       since=since, until=until).to_pylist()


def dyad_escalation(store: Store, actor: str, recipient: str, since: date | None,
                    until: date | None) -> dict:
    """A dyad's daily index with the alert threshold and the dyad's alerts."""
    index, threshold, alerts, rule = dyad_index(store, actor, recipient,
                                                rules=active_rules(store), since=since,
                                                until=until)
    limits = dict(threshold)
    return {"actor": actor, "recipient": recipient, "window": rule.window if rule else WINDOW,
            "points": [{"day": d, "index": v, "threshold": limits.get(d)} for d, v in index],
            "alerts": [a.to_record() for a in alerts]}


POINT_COLUMNS = ("actor", "recipient", "day", "index", "baseline", "ratio", "z", "events")


def _point(p: Escalation) -> dict:
    return {"actor": p.actor, "recipient": p.recipient, "day": p.day,
            "index": round(p.value, 3), "baseline": round(p.baseline, 3),
            "ratio": round(p.ratio, 3), "z": round(p.z, 3), "events": p.events}


def actor_escalation(store: Store, actor: str, since: date | None, until: date | None
                     ) -> dict:
    """An actor's daily index against anyone, with baseline, ratio and z."""
    volume = daily_volume(store)
    points = escalation(dyad_events(store, None, until, actors={actor}), volume,
                        level="actor", start=min(volume, default=None))
    return {"actor": actor, "recipient": None,
            "points": [_point(p) for p in points if since is None or p.day >= since]}


def rising_rows(store: Store, level: str, top: int, min_events: int, day: date | None
                ) -> list[dict]:
    """The subjects highest against their baseline on a day."""
    return [_point(p) for p in rising(store, level=level, top=top, min_events=min_events,
                                      day=day)]


def alert_records(store: Store, since: date | None, until: date | None) -> list[dict]:
    """Alerts of the rules in force, as ``redline alerts --json`` writes them."""
    return [a.to_record() for a in evaluate_alerts(store, active_rules(store), since, until)]
