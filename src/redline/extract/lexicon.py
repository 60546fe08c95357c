"""Trigger lexicon, grammar lists and PLOVER scores, loaded once and validated.

Formats: ``data/README.md`` (verbs, nouns), ``data/lexicon/grammar.yaml`` and
``data/plover.yaml`` (commented in place).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from redline.data import data_path, load_yaml, load_yaml_list
from redline.errors import DataFileError
from redline.model import CATEGORIES, STATUSES


@dataclass(frozen=True, slots=True)
class Trigger:
    """One lexicon entry: a word that signals a PLOVER event."""

    lemma: str
    event: str
    cameo: str
    mode: str | None = None
    context: tuple[str, ...] = ()
    particle: str | None = None
    objects: frozenset[str] = frozenset()
    recipient_preps: frozenset[str] = frozenset()
    subject_receives: bool = False
    also: tuple[str, ...] = ()
    bare: bool = False


@dataclass(frozen=True, slots=True)
class Category:
    quad: int
    cameo: str
    scale: float
    modes: dict[str, float] = field(default_factory=dict)

    def score(self, mode: str | None) -> float:
        return self.modes.get(mode, self.scale) if mode else self.scale


@dataclass(slots=True)
class Lexicon:
    verbs: dict[str, list[Trigger]]
    nouns: dict[str, list[Trigger]]
    categories: dict[str, Category]
    light_verbs: frozenset[str]
    speech_verbs: frozenset[str]
    quote_cues: frozenset[str]
    frames: dict[str, str]
    modal_status: dict[str, str]
    conditional_marks: frozenset[str]
    negations: frozenset[str]
    frontier_nouns: frozenset[str]
    ergative_verbs: frozenset[str]
    record_nouns: frozenset[str]
    clausal_accusations: frozenset[str]
    eventive_heads: frozenset[str]
    hypothetical_nouns: frozenset[str]
    evidence_nouns: frozenset[str]
    category_preps: dict[str, frozenset[str]]
    conditional_threats: dict[str, tuple[str, str]]  # category -> (mode, CAMEO code)

    def frame(self, token_lemma: str, token_lower: str) -> str | None:
        """The status a matrix verb gives its complement, if it is a frame."""
        return self.frames.get(token_lemma) or self.frames.get(token_lower)


def _strings(path: Path, entry: int | str, name: str, values: object) -> list[str]:
    """A list of words, refusing YAML's booleans (an unquoted on, off, yes or no)."""
    values = [values] if isinstance(values, str) else list(values or ())
    for value in values:
        if not isinstance(value, str):
            raise DataFileError(str(path), entry, name,
                                f"{value!r} is not a word (quote on, off, yes and no)")
    return [v.lower() for v in values]


def _statuses(path: Path, name: str, mapping: object) -> dict[str, str]:
    """A mapping of words to event statuses, each status one of STATUSES."""
    if not isinstance(mapping, dict):
        raise DataFileError(str(path), name, name, "must be a mapping of words to statuses")
    for word, status in mapping.items():
        if status not in STATUSES:
            raise DataFileError(str(path), name, str(word), f"unknown status {status!r}")
    return {str(k): str(v) for k, v in mapping.items()}


def _triggers(paths: list[Path]) -> dict[str, list[Trigger]]:
    """Trigger entries of every file, by lemma (files in name order)."""
    index: dict[str, list[Trigger]] = {}
    for path in paths:
        _add_triggers(index, path)
    return index


def _add_triggers(index: dict[str, list[Trigger]], path: Path) -> None:
    items = load_yaml_list(path, "triggers")
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise DataFileError(str(path), i, "-", "each trigger must be a mapping")
        for name in ("lemma", "event", "cameo"):
            if not item.get(name):
                raise DataFileError(str(path), i, name, "is required")
        for event in [item["event"], *(item.get("also") or [])]:
            if event not in CATEGORIES:
                raise DataFileError(str(path), i, "event", f"not a PLOVER category: {event!r}")
        particle = item.get("particle")
        if particle is not None and not isinstance(particle, str):
            raise DataFileError(str(path), i, "particle",
                                f"{particle!r} is not a word (quote on, off, yes and no)")
        trigger = Trigger(
            lemma=str(item["lemma"]).lower(),
            event=item["event"],
            cameo=str(item["cameo"]),
            mode=item.get("mode") or None,
            context=tuple(_strings(path, i, "context", item.get("context"))),
            particle=particle or None,
            objects=frozenset(_strings(path, i, "object", item.get("object"))),
            recipient_preps=frozenset(_strings(path, i, "recipient_preps",
                                               item.get("recipient_preps"))),
            subject_receives=bool(item.get("subject_receives", False)),
            also=tuple(item.get("also") or ()),
            bare=bool(item.get("bare", False)),
        )
        index.setdefault(trigger.lemma, []).append(trigger)


def _categories(path: Path) -> dict[str, Category]:
    data = load_yaml(path)
    if not isinstance(data, dict) or set(data) != set(CATEGORIES):
        raise DataFileError(str(path), "-", "-", "must map each of the 16 categories")
    return {
        name: Category(int(v["quad"]), str(v["cameo"]), float(v["scale"]),
                       {str(k): float(s) for k, s in (v.get("modes") or {}).items()})
        for name, v in data.items()
    }


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The shipped lexicon (once per process)."""
    grammar_path = data_path("lexicon", "grammar.yaml")
    grammar = load_yaml(grammar_path)
    if not isinstance(grammar, dict):
        raise DataFileError(str(grammar_path), "-", "-", "the file must hold a mapping")

    def words(name: str, value: object = None) -> frozenset[str]:
        value = grammar.get(name) if value is None else value
        if not isinstance(value, list):
            raise DataFileError(str(grammar_path), name, name, "must be a list")
        return frozenset(_strings(grammar_path, name, name, value))

    return Lexicon(
        verbs=_triggers(sorted(data_path("lexicon").glob("verbs*.yaml"))),
        nouns=_triggers(sorted(data_path("lexicon").glob("nouns*.yaml"))),
        categories=_categories(data_path("plover.yaml")),
        light_verbs=words("light_verbs"),
        speech_verbs=words("speech_verbs"),
        quote_cues=words("quote_cues"),
        frames=_statuses(grammar_path, "frames", grammar.get("frames")),
        modal_status=_statuses(grammar_path, "modal_status", grammar.get("modal_status")),
        conditional_marks=words("conditional_marks"),
        negations=words("negations"),
        frontier_nouns=words("frontier_nouns"),
        ergative_verbs=words("ergative_verbs"),
        record_nouns=words("record_nouns"),
        clausal_accusations=words("clausal_accusations"),
        eventive_heads=words("eventive_heads"),
        hypothetical_nouns=words("hypothetical_nouns"),
        evidence_nouns=words("evidence_nouns"),
        category_preps={str(k): words(f"category_preps.{k}", v)
                        for k, v in (grammar.get("category_preps") or {}).items()},
        conditional_threats={str(k): (str(v["mode"]), str(v["cameo"]))
                             for k, v in (grammar.get("conditional_threats") or {}).items()},
    )
