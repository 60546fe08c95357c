"""Actor agreement on the PLOVER gold standard records (measurement only).

    python benchmarks/actors_gold.py [--gold PATH]

For every source and target actor of ../shared/gold/PLOVER_GSR_CAMEO.json, finds
the actor's words in the record's sentence, resolves the noun phrase they head
(or modify: "Hungarian" in "Hungarian officials") with redline's actor
resolution, and reports the share whose country code (or organisation) and
whose sector redline reproduces. Gold codes in CAMEO's spelling are mapped to
ISO (JAP -> JPN, ITL -> ITA); the gold's generic IGO matches any organisation
code; sectors outside redline's vocabulary are not scored.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path

from redline.extract import coding_context, prepare_text
from redline.extract.actors import ActorResolver
from redline.nlp import load_nlp

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "PLOVER_GSR_CAMEO.json"
CAMEO_TO_ISO = {"JAP": "JPN", "ITL": "ITA", "UK": "GBR", "GER": "DEU", "ROM": "ROU"}
SECTORS = {"GOV", "MIL", "SPY", "LEG", "JUD", "PTY", "OPP", "REB", "MED", "BUS", "NGO", "CVL",
           "REL", "REF", "LAB", "EDU", "COP"}
SECTOR_TO_OURS = {"COP": "POL"}


def actors_of(record: dict) -> list[dict]:
    found = []
    for key in ("source", "target"):
        value = record.get(key)
        if isinstance(value, dict):
            value = [value]
        if isinstance(value, list):
            found += [a for a in value if isinstance(a, dict) and a.get("actorText")]
    return found


def head_of(doc, text: str):
    def plain(s: str) -> str:
        return " ".join(s.lower().replace("\u2019", "'").replace("\u2018", "'").split())

    text = text.strip()
    # search the text with its white space as in the doc, but the phrase folded
    pattern = r"\s+".join(re.escape(w) for w in plain(text).split())
    match = re.search(r"(?<!\w)" + pattern + r"(?!\w)", doc.text.lower().replace("\u2019", "'"))
    start = match.start() if match else -1
    if start < 0:
        return None
    span = doc.char_span(start, match.end(), alignment_mode="expand")
    if span is None:
        return None
    token = span.root
    if token.dep_ == "prep":  # "in central Baghdad": the place, not the preposition
        token = next((c for c in token.children if c.dep_ == "pobj"), token)
    if token.dep_ in ("amod", "compound", "poss", "nmod") and token.head.pos_ in ("NOUN",
                                                                                   "PROPN"):
        token = token.head
    return token


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    args = parser.parse_args()
    if not args.gold.exists():
        print(f"no gold file at {args.gold}; nothing measured")
        return 0
    records = [r for r in json.loads(args.gold.read_text()) if r.get("text")]
    nlp = load_nlp()
    ctx = coding_context()
    orgs = {e.code for entries in ctx.kb.forms.values() for e in entries if e.kind == "org"
            and not (len(e.code) == 3 and e.code in ctx.kb.states)}
    total = code_hits = sector_total = sector_hits = 0
    for record in records:
        day = date.fromisoformat(record["date"]) if record.get("date") else None
        doc = nlp(prepare_text(record["text"]))
        resolver = ActorResolver(doc, ctx.kb, ctx.gazetteer, day, ctx.lexicon.quote_cues)
        for gold in actors_of(record):
            code = CAMEO_TO_ISO.get(gold.get("code"), gold.get("code"))
            if not code:
                continue
            total += 1
            token = head_of(doc, gold["actorText"])
            ours = (resolver.resolve(token) or resolver.resolve_thing(token)) if token else []
            resolver.settle(ours)  # as the coder does, after the event's place
            codes = {a.code for a in ours if a.code}
            if code in codes or (code == "IGO" and codes & orgs):
                code_hits += 1
            sector = (gold.get("sector") or "")[:3]
            if sector in SECTORS:
                sector_total += 1
                wanted = SECTOR_TO_OURS.get(sector, sector)
                sector_hits += any(a.sector == wanted for a in ours)
    print(f"gold: {args.gold} ({len(records)} records, {total} actors)")
    print(f"country or organisation code: {code_hits / total:.3f} ({code_hits}/{total})"
          "  (goal >= 0.90)")
    print(f"sector, where gold gives one : {sector_hits / sector_total:.3f} "
          f"({sector_hits}/{sector_total})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
