"""What else a sentence states about an event: when (date expressions),
where (event location), how much (troops, money, dead, injured), and the
mode and context its modifiers give."""

from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Span, Token

from redline.extract.dates import ResolvedDate, resolve_date
from redline.model import Place
from redline.nlp.gazetteer import Gazetteer
from redline.nlp.kb import KnowledgeBase

PLACE_PREPS = {"in", "at", "near", "outside", "inside", "around", "across", "of", "into", "on"}
# Prepositions after which only a town or region (not a state) is a location:
# "an attack on Kharkiv" happened there, "sanctions on Russia" did not.
TOWN_ONLY_PREPS = {"of", "on"}
# Prepositions that set an event in time against another one: a place named
# inside ("before the end of the Olympics in Beijing") is that one's.
TEMPORAL_PREPS = {"before", "after", "until", "till", "since", "ahead"}
NOT_PLACES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "NORP"}
TROOP_NOUNS = {"troop", "soldier", "serviceman", "servicemen", "force", "personnel",
               "paratrooper", "reservist", "marine", "sailor"}
VICTIM_NOUNS = {"people", "person", "civilian", "soldier", "troop", "child", "resident",
                "serviceman", "servicemen", "member", "protester", "fighter", "man", "woman",
                "other", "others"}
KILL_VERBS = {"kill", "die", "slay", "dead"}
WOUND_VERBS = {"wound", "injure", "hurt"}
SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
                "twenty": 20, "hundred": 100}
MODE_MODIFIERS = {
    "AID": {"military": "military", "lethal": "military", "nonlethal": "military",
            "defensive": "military", "weapon": "military", "arm": "military",
            "humanitarian": "humanitarian", "food": "humanitarian", "medical": "humanitarian",
            "economic": "economic", "financial": "economic", "budget": "economic",
            "loan": "economic"},
    "CONSULT": {"video": "phone", "virtual": "phone", "phone": "phone", "telephone": "phone",
                "online": "phone", "call": "phone", "videoconference": "phone",
                "visit": "visit", "summit": "multilateral", "multilateral": "multilateral"},
    "MOBILIZE": {"troop": "troops", "soldier": "troops", "force": "troops",
                 "missile": "weapons", "weapon": "weapons", "tank": "weapons",
                 "police": "police", "militia": "militia"},
    "COERCE": {"disinformation": "misinformation", "propaganda": "misinformation",
               "cyber": "cyber", "cyberspace": "cyber", "cyberattack": "cyber"},
}
CONTEXT_MODIFIERS = {"military": "military", "economic": "economic", "financial": "economic",
                     "humanitarian": "humanitarian", "diplomatic": "diplomatic",
                     "nuclear": "cbrn", "cyber": "cyber", "cyberspace": "cyber",
                     "refugee": "refugees", "election": "elections", "electoral": "elections",
                     "security": "military", "energy": "resource", "gas": "resource",
                     "oil": "resource", "trade": "economic", "sanction": "economic"}


def parse_number(text: str) -> float | None:
    """'175,000' -> 175000; '1.2 billion' -> 1.2e9; 'two' -> 2."""
    low = text.lower().replace(",", "").strip()
    total = None
    for word in low.split():
        word = word.strip("$€£")
        if re.fullmatch(r"\d+(\.\d+)?", word):
            total = float(word)
        elif word in NUMBER_WORDS:
            total = float(NUMBER_WORDS[word]) * (total or 1)
        elif word in SCALE_WORDS:
            total = (total or 1) * SCALE_WORDS[word]
    return total


def _int(value: float) -> int | float:
    return int(value) if value == int(value) else value


def number_of(noun: Token) -> int | float | None:
    """The number a noun is counted with ("up to 175,000 troops")."""
    for child in noun.children:
        if child.dep_ == "nummod":
            words = [t.text for t in child.subtree if t.pos_ == "NUM" or t.like_num]
            value = parse_number(" ".join(words))
            if value is not None:
                return _int(value)
    return None


def magnitudes(scope: list[Token], sent: Span) -> dict[str, int | float]:
    """Troop numbers, money amounts, dead and injured stated in the event's words."""
    found: dict[str, int | float] = {}
    scope_ids = {t.i for t in scope}
    for token in scope:
        lemma = token.lemma_.lower()
        if lemma in TROOP_NOUNS and "troops" not in found:
            value = number_of(token)
            if value is not None:
                found["troops"] = value
        if lemma in KILL_VERBS | WOUND_VERBS:
            key = "dead" if lemma in KILL_VERBS else "injured"
            for arg in token.children:
                if arg.dep_ in ("dobj", "nsubjpass", "nsubj") and key not in found:
                    value = number_of(arg) if arg.lemma_.lower() in VICTIM_NOUNS else None
                    if value is None and arg.like_num:
                        value = parse_number(arg.text)
                    if value is not None:
                        found[key] = _int(value)
    for ent in sent.ents:
        dollars = "$" in ent.text or "dollar" in ent.text.lower()
        if ent.label_ == "MONEY" and dollars and ent.root.i in scope_ids and "usd" not in found:
            value = parse_number(ent.text)
            if value is not None:
                found["usd"] = _int(value)
    return found


def _finite(token: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "mark", "aux") for c in token.children)


def event_scope(trigger: Token, clause: Token) -> list[Token]:
    """The words that belong to an event: its clause minus embedded clauses
    (a participle stays: "an offensive involving 175,000 troops")."""
    stop = {"ccomp", "parataxis", "relcl"}

    def walk(token: Token):
        yield token
        for child in token.children:
            if child != trigger and (
                child.dep_ in stop or (child.dep_ == "advcl" and _finite(child))
            ):
                continue
            yield from walk(child)

    tokens = list(walk(clause))
    if trigger != clause:
        tokens += [t for t in walk(trigger) if t not in tokens]
    return tokens


def date_in(scope: list[Token], sent: Span, published: date, future: bool
            ) -> ResolvedDate | None:
    """The first date expression among the event's words, resolved."""
    scope_ids = {t.i for t in scope}
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME") or ent.root.i not in scope_ids:
            continue
        text = ent.text
        before = sent.doc[ent.start - 1] if ent.start > 0 else None
        if before is not None and before.lower_ in ("in", "on", "since", "until", "by"):
            text = f"{before.text} {text}"
        resolved = resolve_date(text, published, future)
        if resolved is not None:
            return resolved
    return None


def place_in(scope: list[Token], sent: Span, kb: KnowledgeBase, gazetteer: Gazetteer,
             countries: tuple[str, ...] = ()) -> Place | None:
    """The event location: a place the event's words put it in ("in Geneva"); a
    place that acts ("Moscow said") is no location."""
    scope_ids = {t.i for t in scope}
    for ent in sent.ents:
        # after "in", "near", "at", a name is a place whatever the NER took it for
        if ent.label_ in NOT_PLACES or ent.root.i not in scope_ids:
            continue
        head = ent.root.head
        if _dates_another_event(ent.root, scope_ids):
            continue
        if ent.root.dep_ == "pobj" and head.lower_ in PLACE_PREPS:
            place = gazetteer.locate(ent.text)
            if place is None and head.lower_ not in TOWN_ONLY_PREPS:
                place = gazetteer.locate(ent.text, kb, countries)
            if place is not None:
                return place
    return None


def _dates_another_event(place: Token, scope_ids: set[int]) -> bool:
    """Whether a place hangs off a time expression of the event's words ("before
    the end of the Olympics in Beijing") rather than off the event."""
    for ancestor in place.ancestors:
        if ancestor.i not in scope_ids:
            return False
        if ancestor.ent_type_ in ("DATE", "TIME") or (
                ancestor.dep_ == "prep" and ancestor.lower_ in TEMPORAL_PREPS):
            return True
    return False


def modifier_scope(cand) -> list[Token]:
    """The words that can qualify an event's mode: the trigger, its light verb,
    their modifiers and objects, and the objects' modifiers ("lethal aid")."""
    found: list[Token] = []
    for head in dict.fromkeys((cand.token, cand.clause)):  # ordered, once each
        found.append(head)
        for child in head.children:
            if child.dep_ in ("dobj", "nsubjpass"):
                found += [t for t in child.subtree if t.pos_ in ("NOUN", "ADJ", "PROPN")]
            elif child.dep_ in ("amod", "compound", "npadvmod"):
                found.append(child)
            elif child.dep_ == "prep":
                found += [g for g in child.children if g.dep_ == "pobj"]
    return found


def modes_and_contexts(event: str, default_mode: str | None, default_context: tuple[str, ...],
                       scope: list[Token]) -> tuple[list[str], list[str]]:
    """Mode and contexts from the trigger entry and the event's modifiers."""
    modes = [default_mode] if default_mode else []
    contexts = list(default_context)
    table = MODE_MODIFIERS.get(event, {})
    for token in scope:
        lemma = token.lemma_.lower()
        mode = table.get(lemma)
        if mode and mode not in modes and not (default_mode and event != "CONSULT"):
            modes.append(mode)
        context = CONTEXT_MODIFIERS.get(lemma)
        if context and context not in contexts:
            contexts.append(context)
    if event == "CONSULT" and len(modes) > 1:
        modes = [m for m in modes if m != "visit"] if "phone" in modes else modes[:1]
    return modes[:1], contexts
