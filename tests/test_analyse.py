"""Dyad series, the escalation index and alert rules, on small hand-built event
sets whose right answers are worked out by hand in the comments."""

from datetime import date, timedelta

import pytest

from redline.analyse.alerts import Rule, evaluate, load_rules
from redline.analyse.escalation import escalation, volume_factors
from redline.analyse.events import DyadEvent, dyad_events, kind_of
from redline.analyse.series import dyad_series, period_start
from redline.errors import DataFileError, InputError
from redline.model import Actor, Article, Event
from redline.store import Entry, Store

QUADS = {"AGREE": 1, "AID": 2, "ACCUSE": 3, "THREATEN": 3, "MOBILIZE": 4, "ASSAULT": 4}
START = date(2022, 1, 3)  # a Monday


def event(art: Article, name: str, actor: str, recipient: str, day: date,
          status: str = "asserted", index: int = 0) -> Event:
    return Event(article_id=art.id, sentence_index=index, text=f"{actor} {name} {recipient}.",
                 event_text="did", event=name, trigger_start=index, quad_code=QUADS[name],
                 event_scale=-5.0 if QUADS[name] > 2 else 3.0, actor=[Actor(actor, actor)],
                 recipient=[Actor(recipient, recipient)], date=day.isoformat(),
                 date_precision="day", status=status)


def store_with(days_events: list[tuple[date, list[tuple]]], copies: int = 0) -> Store:
    """A store with one article a day holding the given (name, actor, recipient,
    status) events, and ``copies`` copies of the first article."""
    store = Store(":memory:")
    entries = []
    for n, (day, found) in enumerate(days_events):
        art = Article.create(f"Report {n}.", url=f"https://x.example/{n}", published=day)
        entries.append(Entry(art, [event(art, *e[:3], day, *e[3:], index=i)
                                   for i, e in enumerate(found)], content_hash=f"h{n}"))
    store.write(entries)
    first = entries[0].article
    for n in range(copies):
        copy = Article.create("Copy.", url=f"https://copy.example/{n}", published=first.published)
        store.add_copy(copy, first.id, f"c{n}")
    return store


@pytest.mark.parametrize(("name", "status", "kind"), [
    ("THREATEN", "asserted", "threat"), ("ASSAULT", "hypothetical", "threat"),
    ("ASSAULT", "planned", "threat"), ("MOBILIZE", "asserted", "mobilization"),
    ("ASSAULT", "asserted", "material_conflict"), ("ASSAULT", "historical", "material_conflict"),
    ("ACCUSE", "asserted", "verbal_conflict"), ("AGREE", "planned", "cooperation")])
def test_analyse_kinds_of_events(name, status, kind):
    assert kind_of(name, QUADS[name], status) == kind


def test_analyse_periods_start_on_mondays_and_first_days():
    day = date(2022, 2, 24)  # a Thursday
    assert period_start(day, "week") == date(2022, 2, 21)
    assert period_start(day, "month") == date(2022, 2, 1)
    with pytest.raises(InputError, match="--by"):
        period_start(day, "year")


def test_analyse_weekly_series_counts_threats_as_threats_and_never_negations():
    store = store_with([
        (START, [("ASSAULT", "RUS", "UKR"), ("ACCUSE", "RUS", "UKR"),
                 ("ASSAULT", "RUS", "UKR", "hypothetical"), ("ACCUSE", "RUS", "UKR", "negated"),
                 ("ACCUSE", "UKR", "RUS")]),
        (START + timedelta(days=2), [("AID", "USA", "UKR")]),
        (START + timedelta(days=8), [("MOBILIZE", "RUS", "UKR")]),
    ], copies=2)
    rows = dyad_series(store, by="week", actor="RUS", recipient="UKR").to_pylist()
    week1, week2 = rows
    # week 1: the assault, the accusation, the threatened assault (a threat, quad 3)
    assert (week1["events"], week1["quad4"], week1["quad3"], week1["threat"]) == (3, 1, 2, 1)
    assert (week1["ASSAULT"], week1["ACCUSE"], week1["material_conflict"]) == (1, 1, 1)
    # two stories that week (the copies of the first are one story with it)
    assert (week1["stories"], week1["per_100_stories"]) == (2, 150.0)
    assert week1["scale_sum"] == -15.0 and week1["scale_mean"] == -5.0
    assert (week2["period"], week2["MOBILIZE"], week2["mobilization"]) == (
        START + timedelta(days=7), 1, 1)
    both = dyad_series(store, by="month", directed=False, actor="RUS", recipient="UKR")
    [month] = both.to_pylist()
    assert (month["actor"], month["recipient"], month["events"]) == ("RUS", "UKR", 5)


def dyad(day: date, name: str, status: str = "asserted", n: int = 0) -> DyadEvent:
    return DyadEvent(f"e{day}{n}", day, "RUS", "UKR", name, QUADS[name], -5.0, status,
                     kind_of(name, QUADS[name], status))


def test_analyse_escalation_against_its_baseline_by_hand():
    # 28 baseline days with an accusation (weight 1) every 7th day, then a window of
    # 7 days with two assaults (weight 4 each); no volume known: no scaling
    events = [dyad(START + timedelta(days=7 * k), "ACCUSE") for k in range(4)]
    events += [dyad(START + timedelta(days=30), "ASSAULT", n=1),
               dyad(START + timedelta(days=33), "ASSAULT", n=2)]
    found = {p.day: p for p in escalation(events, {}, end=START + timedelta(days=34))}
    last = found[START + timedelta(days=34)]  # window: days 28..34
    assert last.value == pytest.approx(8 / 7, abs=1e-4)
    assert last.baseline == pytest.approx(4 / 28, abs=1e-4)  # days 0..27
    assert last.ratio == pytest.approx((8 / 7) / 0.5, abs=1e-3)  # baseline under the floor
    # baseline sd = sqrt(1/7 * 6/7) = 0.35; its standard error over 7 days 0.13 < 0.25
    assert last.z == pytest.approx((8 / 7 - 4 / 28) / 0.25, abs=1e-3)
    assert last.events == 2 and set(last.event_ids) == {events[4].id, events[5].id}


def test_analyse_news_volume_scales_busy_and_quiet_weeks():
    days = [START + timedelta(days=i) for i in range(14)]
    volume = {d: (10 if i < 7 else 2) for i, d in enumerate(days)}  # mean 6 a day
    factors = volume_factors(volume, days)
    assert factors[6] == pytest.approx(6 / 10)  # a busy week counts less
    assert factors[13] == pytest.approx(6 / 2)  # a quiet week more
    # a steady flow scales nothing, the first days of the store included
    steady = volume_factors(dict.fromkeys(days, 5), days)
    assert steady == pytest.approx([1.0] * len(days))
    assert volume_factors({days[0]: 100}, days)[5] == 1.0  # outside the stored period


def test_analyse_dyad_events_give_each_pair_of_codes_and_skip_negations():
    store = store_with([(START, [("ASSAULT", "RUS", "UKR"), ("ASSAULT", "RUS", "UKR",
                                                              "negated")])])
    [found] = dyad_events(store)
    assert (found.actor, found.recipient, found.kind) == ("RUS", "UKR", "material_conflict")


def test_analyse_a_rule_fires_once_on_the_first_day_it_holds():
    quiet = [(START + timedelta(days=7 * k), [("ACCUSE", "RUS", "UKR")]) for k in range(4)]
    war = [(START + timedelta(days=28 + k), [("ASSAULT", "RUS", "UKR")] * 2) for k in range(4)]
    store = store_with(quiet + war)
    rule = Rule("escalation", "index", dyad="RUS:UKR", baseline=21, ratio=2.0, z=2.0,
                min_events=4)
    [alert] = evaluate(store, [rule])
    # day 28: two assaults, fewer than 4 events; day 29: four, mean 16/7 = 2.29 against a
    # baseline (days 2..22) of 3/21 under the floor 0.5: ratio 4.6, z (2.29 - 0.14) / 0.25
    assert alert.window_end == START + timedelta(days=29)
    assert alert.window_start == START + timedelta(days=23)
    assert (alert.actor, alert.recipient, alert.threshold) == ("RUS", "UKR", 1.0)
    assert len(alert.event_ids) == 4
    assert evaluate(store, [rule], since=START + timedelta(days=30)) == []  # still holding
    new = Rule("new", "new_dyad", dyad="any", category="ASSAULT", baseline=21, min_events=2)
    [first] = evaluate(store, [new])
    assert first.window_end == START + timedelta(days=28)  # two assaults, none before
    newcomer = Rule("newcomer", "new_actor", actor="any", baseline=7, min_events=1)
    # RUS acts every week from the first day of news: never silent for a whole baseline
    assert evaluate(store, [newcomer]) == []
    # what fires after a day does not depend on the period asked for
    later = START + timedelta(days=29)
    assert evaluate(store, [rule], since=later) == [
        a for a in evaluate(store, [rule]) if a.window_end >= later]


def test_analyse_shipped_rules_load_and_bad_rules_are_named(tmp_path):
    assert {r.name for r in load_rules()} >= {"dyad-escalation", "new-armed-conflict"}
    bad = tmp_path / "rules.yaml"
    bad.write_text("- {name: a, measure: index, dyad: any}\n"
                   "- {name: b, measure: category, dyad: RUS-UKR, category: ASSAULT}\n")
    with pytest.raises(DataFileError, match="entry 2.*'dyad'"):
        load_rules(bad)
    bad.write_text("- {name: a, measure: index, actor: any, dyad: any}\n")
    with pytest.raises(DataFileError, match="not both"):
        load_rules(bad)
    bad.write_text("- {name: a, measure: count, actor: any}\n")
    with pytest.raises(DataFileError, match="'measure'"):
        load_rules(bad)
    bad.write_text("- {name: a, measure: index, actor: any, category: ASSAULT}\n")
    with pytest.raises(DataFileError, match="leave it out"):
        load_rules(bad)
    bad.write_text("- {name: a, measure: index, actor: any, window: true}\n")
    with pytest.raises(DataFileError, match="'window'"):
        load_rules(bad)
    bad.write_text("- {name: a, measure: category, dyad: rus:ukr, category: assault}\n")
    [rule] = load_rules(bad)
    assert (rule.dyad, rule.category) == ("RUS:UKR", "ASSAULT")
