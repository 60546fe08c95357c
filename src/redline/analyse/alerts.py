"""Alert rules (YAML) and their evaluation over stored events.

A rule watches a ``measure`` — ``index`` (the escalation index), ``category``
(events of one PLOVER category), ``new_dyad`` (a dyad with such events after
none in its baseline) or ``new_actor`` (an actor acting, in that category if
one is given, after not at all in its baseline) — of one dyad (``dyad:
RUS:UKR``), one actor (``actor: RUS``, against anyone) or every dyad (``dyad:
any``) or actor (``actor: any``), over a ``window`` of days against the
``baseline`` days before it. It fires on the first day its thresholds hold
(``ratio``, ``z``, and at least ``min_events`` events in the window), and
again only after a day on which they did not; never before the stored news
covers the whole baseline (a store's first weeks have nothing to compare
with). Every alert carries the ids of the events behind it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from redline.analyse.escalation import (
    BASELINE,
    KINDS,
    RATIO_FLOOR,
    WINDOW,
    Escalation,
    escalation,
)
from redline.analyse.events import DyadEvent, daily_volume, dyad_events
from redline.data import data_path, load_yaml_list
from redline.errors import DataFileError
from redline.model import CATEGORIES
from redline.store import Store

# the fields of an alert as `redline alerts --json` writes it
ALERT_COLUMNS = ("rule", "actor", "recipient", "window_start", "window_end", "value",
                 "baseline", "threshold", "event_ids")
STORED_RULES = "alert_rules"  # meta key of the store's own rules (YAML text)
MEASURES = ("index", "category", "new_dyad", "new_actor")
COUNT = dict.fromkeys(KINDS, 1.0)  # weights that make the index a plain count
FIELDS = {"name", "measure", "dyad", "actor", "category", "window", "baseline", "ratio", "z",
          "min_events", "description"}


@dataclass(frozen=True, slots=True)
class Rule:
    """One alert rule (see the module's docstring)."""

    name: str
    measure: str
    dyad: str | None = None  # "RUS:UKR" or "any"
    actor: str | None = None  # "RUS" or "any"
    category: str | None = None
    window: int = WINDOW
    baseline: int = BASELINE
    ratio: float = 0.0
    z: float = float("-inf")
    min_events: int = 1
    description: str = ""

    @property
    def level(self) -> str:
        """``dyad`` or ``actor``: what the rule watches."""
        return "dyad" if self.dyad is not None else "actor"

    def covers(self, actor: str, recipient: str | None) -> bool:
        """Does the rule watch this actor (and recipient)?"""
        if self.level == "dyad":
            return self.dyad == "any" or self.dyad == f"{actor}:{recipient}"
        return self.actor == "any" or self.actor == actor


@dataclass(frozen=True, slots=True)
class Alert:
    """A rule that fired: where, when, how far over its threshold, and why."""

    rule: str
    actor: str
    recipient: str | None
    window_start: date
    window_end: date
    value: float
    baseline: float
    threshold: float
    event_ids: tuple[str, ...] = field(default_factory=tuple)

    def to_record(self) -> dict:
        """The alert as ``redline alerts --json`` writes it (dates ISO)."""
        return {"rule": self.rule, "actor": self.actor, "recipient": self.recipient,
                "window_start": self.window_start.isoformat(),
                "window_end": self.window_end.isoformat(), "value": self.value,
                "baseline": self.baseline, "threshold": self.threshold,
                "event_ids": list(self.event_ids)}


def load_rules(path: Path | None = None) -> list[Rule]:
    """Rules from a YAML list (default: the shipped ``alerts.yaml``), validated: an
    error names the file, the rule and the field."""
    path = path or data_path("alerts.yaml")
    return parse_rules(load_yaml_list(path, "alert rules"), str(path))


def rules_from_text(text: str, source: str) -> list[Rule]:
    """Rules from YAML (or JSON) text, validated as ``load_rules`` does; ``source``
    names the text in errors."""
    try:
        entries = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataFileError(source, "-", "-", f"not YAML: {exc}") from exc
    if not isinstance(entries, list):
        raise DataFileError(source, "-", "-", "the rules must be a list")
    return parse_rules(entries, source)


def active_rules(store: Store, path: Path | None = None) -> list[Rule]:
    """The rules to evaluate: from ``path`` if given, else the store's own (set
    through the REST API), else the shipped default set."""
    if path is not None:
        return load_rules(path)
    stored = store.meta(STORED_RULES)
    return rules_from_text(stored, "stored rules") if stored else load_rules()


def store_rules(store: Store, text: str | None, source: str = "rules") -> list[Rule]:
    """Validate rules and keep them in the store (None: back to the default set)."""
    rules = rules_from_text(text, source) if text is not None else load_rules()
    store.set_meta(STORED_RULES, text)
    return rules


def parse_rules(entries: list, source: str) -> list[Rule]:
    """Rules from parsed YAML entries, validated: errors name ``source``, the rule
    and the field."""
    rules, names = [], set()
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise DataFileError(source, number, "-", "each rule must be a mapping")
        unknown = set(entry) - FIELDS
        if unknown:
            raise DataFileError(source, number, sorted(unknown)[0], "unknown field")
        for name in ("dyad", "actor", "category"):
            if entry.get(name) is not None:
                if not isinstance(entry[name], str):
                    raise DataFileError(source, number, name, "must be text")
                if entry[name] != "any":
                    entry = {**entry, name: entry[name].upper()}
        try:
            rule = Rule(**entry)
        except TypeError as exc:
            raise DataFileError(source, number, "-", str(exc)) from exc
        _check(rule, source, number, names)
        names.add(rule.name)
        rules.append(rule)
    return rules


def _check(rule: Rule, source: str, number: int, names: set[str]) -> None:
    def bad(name: str, problem: str) -> DataFileError:
        return DataFileError(source, number, name, problem)

    if not isinstance(rule.name, str) or not rule.name or rule.name in names:
        raise bad("name", "each rule needs a name of its own")
    if rule.measure not in MEASURES:
        raise bad("measure", f"one of {', '.join(MEASURES)}")
    if (rule.dyad is None) == (rule.actor is None):
        raise bad("dyad", "give a dyad (A:B or any) or an actor (code or any), not both")
    if rule.dyad is not None and rule.dyad != "any" and rule.dyad.count(":") != 1:
        raise bad("dyad", "A:B (actor and recipient codes) or any")
    if rule.measure == "index" and rule.category is not None:
        raise bad("category", "the index weighs every category: leave it out")
    if rule.measure in ("category", "new_dyad") and rule.category not in CATEGORIES:
        raise bad("category", "a PLOVER category (this measure counts one)")
    if rule.category is not None and rule.category not in CATEGORIES:
        raise bad("category", "a PLOVER category")
    if rule.measure == "new_dyad" and rule.dyad is None:
        raise bad("dyad", "new_dyad watches dyads")
    if rule.measure == "new_actor" and rule.actor is None:
        raise bad("actor", "new_actor watches actors")
    for name in ("window", "baseline", "min_events"):
        value = getattr(rule, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise bad(name, "a whole number of at least 1")
    for name in ("ratio", "z"):
        value = getattr(rule, name)
        if not isinstance(value, int | float) or isinstance(value, bool) or not (
                math.isfinite(value) or (name == "z" and value == float("-inf"))):
            raise bad(name, "a number")


def _category_events(events: list[DyadEvent], category: str) -> list[DyadEvent]:
    """Events of one category, as acts (a threatened act does not count)."""
    return [e for e in events
            if e.event == category and (e.kind != "threat" or category == "THREATEN")]


def evaluate(store: Store, rules: list[Rule], since: date | None = None,
             until: date | None = None, actor: str | None = None,
             recipient: str | None = None) -> list[Alert]:
    """Every alert the rules give over the stored events, by day, then rule; with
    ``actor`` only that actor's (and with ``recipient``, of dyad rules, only that
    dyad's). The calendar starts with the stored news (or as far before ``since``
    as the rules look back), so that every rule sees the same days whatever the
    period asked."""
    volume = daily_volume(store)
    first = min(volume, default=None)
    reach = timedelta(days=max((r.window + r.baseline for r in rules), default=0))
    start = first if since is None or first is None else max(first, since - reach)
    events = dyad_events(store, start, until, None if actor is None else {actor})
    dyads = events if recipient is None else [e for e in events if e.recipient == recipient]
    alerts = []
    for rule in rules:
        watched = dyads if rule.level == "dyad" else events
        if rule.measure == "index":
            found = escalation(watched, volume, level=rule.level, window=rule.window,
                               baseline=rule.baseline, start=start)
        else:  # a count of the category's (or every) event a day, unscaled
            chosen = watched if rule.category is None else _category_events(watched,
                                                                             rule.category)
            found = escalation(chosen, {}, level=rule.level, window=rule.window,
                               baseline=rule.baseline, weights=COUNT, start=start)
        alerts.extend(_fired(rule, found, since, first))
    return sorted(alerts, key=lambda a: (a.window_end, a.rule, a.actor, a.recipient or ""))


def _fired(rule: Rule, found: list[Escalation], since: date | None, first: date | None
           ) -> list[Alert]:
    """The alerts of a rule: first days its thresholds hold, where the stored news
    (from ``first``, the first story's day) covers the whole baseline before them."""
    alerts, holding = [], defaultdict(lambda: None)
    reach = timedelta(days=rule.window + rule.baseline - 1)
    for e in found:
        if not rule.covers(e.actor, e.recipient):
            continue
        key = (e.actor, e.recipient)
        if rule.measure in ("new_dyad", "new_actor"):
            holds = e.baseline == 0 and e.events >= rule.min_events  # silent in the baseline
            value, threshold = float(e.events), float(rule.min_events)
        else:
            holds = e.ratio >= rule.ratio and e.z >= rule.z and e.events >= rule.min_events
            value, threshold = e.value, round(max(e.baseline, RATIO_FLOOR) * rule.ratio, 4)
        previous, holding[key] = holding[key], e.day if holds else None
        fresh = previous is None or (e.day - previous).days > 1
        covered = first is None or e.day - reach >= first
        if holds and fresh and covered and (since is None or e.day >= since):
            alerts.append(Alert(rule.name, e.actor, e.recipient,
                                e.day - timedelta(days=rule.window - 1), e.day, value,
                                e.baseline, threshold, e.event_ids))
    return alerts
