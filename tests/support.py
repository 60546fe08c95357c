"""Helpers shared by the tests."""

from __future__ import annotations


def codes(actors: list[dict]) -> set[str]:
    """Every code of a record's actors, alone and with its sector ("RUS", "RUS/MIL";
    "-/POL" for police of no known state)."""
    found = set()
    for a in actors:
        if not a["code"] and a["sector"]:
            found.add(f"-/{a['sector']}")
        if a["code"]:
            found.add(a["code"])
            if a["sector"]:
                found.add(f"{a['code']}/{a['sector']}")
    return found
