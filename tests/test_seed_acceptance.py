"""Acceptance on the seed case: the Washington Post report of 6 December 2021,
coded through `redline extract --published 2021-12-06` (skipped without ../shared)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from redline.cli import app
from support import codes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def records(shared_dir) -> list[dict]:
    seed = shared_dir / "seed" / "washington-post-2021-12-06.txt"
    if not seed.exists():
        pytest.skip("../shared/seed is not present")
    result = CliRunner().invoke(app, ["extract", "--published", "2021-12-06", str(seed)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]




def directed(records, event, actor, recipient=(), **checks):
    """Events of a category from ``actor`` to ``recipient`` passing every check."""
    events = event if isinstance(event, tuple) else (event,)
    return [
        r for r in records
        if r["event"] in events and set(actor) <= codes(r["actor"])
        and set(recipient) <= codes(r["recipient"])
        and all(check(r) for check in checks.values())
    ]


def joint(records, event, parties, **checks):
    """Events of a category between ``parties`` on either side."""
    return [
        r for r in records
        if r["event"] == event and set(parties) <= codes(r["actor"]) | codes(r["recipient"])
        and all(check(r) for check in checks.values())
    ]


def test_seed_1_putin_demands_a_guarantee_from_biden(records):
    assert directed(records, "REQUEST", ["RUS/GOV"], ["USA"],
                    status=lambda r: r["status"] == "expected")


def test_seed_2_russian_troops_massed_at_the_border(records):
    assert directed(records, "MOBILIZE", ["RUS/MIL"], ["UKR"],
                    mode=lambda r: r["mode"] == ["troops"],
                    status=lambda r: r["status"] == "asserted")


def test_seed_3_video_meeting_on_tuesday(records):
    assert joint(records, "CONSULT", ["RUS/GOV", "USA/GOV"],
                 mode=lambda r: r["mode"] == ["phone"],
                 date=lambda r: r["date"] == "2021-12-07",
                 status=lambda r: r["status"] in ("expected", "planned"))


def test_seed_4_kremlin_wants_written_guarantees(records):
    assert directed(records, "REQUEST", ["RUS/GOV"], ["USA", "NATO"])


def test_seed_5_white_house_threatens_serious_consequences(records):
    assert directed(records, "THREATEN", ["USA/GOV"], ["RUS"],
                    status=lambda r: r["status"] == "asserted")


def test_seed_6_blinken_lavrov_in_stockholm_last_week(records):
    assert joint(records, "CONSULT", ["USA/GOV", "RUS/GOV"],
                 place=lambda r: (r["event_loc"] or {}).get("country") == "SWE",
                 date=lambda r: r["date"] == "2021-11-29" and r["date_precision"] == "week")


def test_seed_7_biden_wont_accept_red_lines(records):
    assert directed(records, "REJECT", ["USA/GOV"], date=lambda r: r["date"] == "2021-12-03")


def test_seed_8_blinken_will_speak_to_zelensky(records):
    assert directed(records, "CONSULT", ["USA/GOV"], ["UKR/GOV"],
                    status=lambda r: r["status"] == "planned")


def test_seed_9_lethal_aid_provided_to_ukraine(records):
    assert directed(records, "AID", ["USA"], ["UKR"], mode=lambda r: r["mode"] == ["military"],
                    text=lambda r: "lethal" in r["text"])


def test_seed_10_last_met_in_june_in_geneva(records):
    assert joint(records, "CONSULT", ["RUS/GOV", "USA/GOV"],
                 place=lambda r: (r["event_loc"] or {}).get("country") == "CHE",
                 date=lambda r: r["date"] == "2021-06",
                 status=lambda r: r["status"] == "historical")


def test_seed_11_intelligence_estimate_of_175000_troops(records):
    assert directed(records, ("ASSAULT", "MOBILIZE"), ["RUS"], ["UKR"],
                    status=lambda r: r["status"] == "hypothetical",
                    claim=lambda r: (r["claimed_by"] or {}).get("code") == "USA",
                    troops=lambda r: r["magnitude"].get("troops") == 175000)


def test_seed_12_disinformation_regarding_ukraine(records):
    assert directed(records, "COERCE", ["RUS"], ["UKR"],
                    mode=lambda r: r["mode"] == ["misinformation"])


def test_seed_13_2014_invasion_of_crimea(records):
    assert directed(records, "ASSAULT", ["RUS"], ["UKR"],
                    date=lambda r: r["date"] == "2014",
                    status=lambda r: r["status"] == "historical",
                    place=lambda r: (r["event_loc"] or {}).get("name") == "Crimea")


def test_seed_14_milley_meets_nato_counterparts(records):
    assert joint(records, "CONSULT", ["USA/MIL", "NATO"],
                 date=lambda r: r["date"] == "2021-12-06")


def test_seed_15_javelins_military_support(records):
    assert directed(records, "AID", ["USA"], ["UKR"], mode=lambda r: r["mode"] == ["military"],
                    text=lambda r: "Javelin" in r["text"])


def test_seed_16_putin_warns_the_west(records):
    assert directed(records, ("ACCUSE", "THREATEN"), ["RUS/GOV"], ["WST"])


def test_seed_combat_forces_are_not_asserted(records):
    sending = [r for r in records if "combat forces" in r["text"] and r["event"] == "MOBILIZE"]
    assert sending and all(r["status"] == "negated" for r in sending)


def test_seed_no_false_places(records):
    places = {(r["event_loc"] or {}).get("text") for r in records}
    assert not places & {"n't", "n’t", "Biden"}


def test_seed_journalists_are_never_actors(records):
    names = ("Golovkin", "Ilyushina", "Abbakumova")
    for r in records:
        for a in r["actor"] + r["recipient"]:
            assert not any(n in (a["text"] or "") for n in names)
