"""Actor and place resolution, case by case (tests/resolution_cases.yaml).

A case passes when some record of its event has every expected actor and
recipient code ("CODE" or "CODE/SECTOR"), and the expected name, place and
date. Cases marked `known_failure` document what the coder does not yet get
right; they run as expected failures so that a fix shows up.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import redline
from support import codes

pytestmark = pytest.mark.slow

CASES = yaml.safe_load((Path(__file__).parent / "resolution_cases.yaml").read_text())



def passes(case: dict, record: dict) -> bool:
    if record["event"] != case["event"]:
        return False
    if not set(case.get("actor") or ()) <= codes(record["actor"]):
        return False
    if not set(case.get("recipient") or ()) <= codes(record["recipient"]):
        return False
    if set(case.get("not_actor") or ()) & codes(record["actor"]):
        return False
    if case.get("name") and case["name"] not in {a["name"] for a in record["actor"]}:
        return False
    place = case.get("place")
    if place:
        loc = record["event_loc"] or {}
        if place["name"] not in (loc.get("name"), loc.get("text")) or (
                loc.get("country") != place["country"]):
            return False
    return not case.get("date") or record["date"] == str(case["date"])


def case_id(case: dict) -> str:
    return f"{case['rule']}:{case['text'][:50]}"


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.xfail(reason=c["known_failure"], strict=True))
     if c.get("known_failure") else c for c in CASES],
    ids=case_id,
)
def test_extract_resolution_case(case):
    records = redline.extract(case["text"], published=str(case["published"]))
    if case.get("no_record"):
        assert not [r for r in records if r["event"] == case["event"]]
    else:
        assert any(passes(case, r) for r in records), [
            (r["event"], sorted(codes(r["actor"])), sorted(codes(r["recipient"])),
             (r["event_loc"] or {}).get("name"), r["date"]) for r in records]
