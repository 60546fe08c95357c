"""Relation classification (``redline relate``): the PLOVER category from one
actor mention of a sentence to another, or none, with a score for each.

Each sentence is parsed once; the rule coder codes it as if its two actors
were known (relation mode), and the trained classifier
(``redline.extract.relations``) weighs that together with the parse. Without a
trained model the rule coder's answer stands alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date

from redline.errors import InputError
from redline.extract import coding_context, extract_doc, prepare_text
from redline.extract.relations import (
    NONE,
    RelationModels,
    find_mention,
    pair_features,
    shipped_models,
)
from redline.model import Article
from redline.nlp import load_nlp

MARKUP = re.compile(r"<(s|t)>(.*?)</\1>", re.S)


@dataclass(frozen=True, slots=True)
class Pair:
    """A sentence and the two actor mentions to relate, as written in it."""

    text: str
    source: str
    target: str
    published: date | None = None


def unmark(sentence: str) -> tuple[str, str | None, str | None]:
    """A sentence with <s>…</s> and <t>…</t> markup: (plain text, source, target)."""
    found = {m.group(1): m.group(2) for m in MARKUP.finditer(sentence)}
    return MARKUP.sub(lambda m: m.group(2), sentence), found.get("s"), found.get("t")


def make_pair(sentence: str, source: str | None = None, target: str | None = None,
              published: date | None = None, where: str = "sentence") -> Pair:
    """A pair from a sentence and its mentions, given or marked up."""
    text, marked_source, marked_target = unmark(sentence)
    source, target = source or marked_source, target or marked_target
    if not text.strip():
        raise InputError(where, "the sentence is empty")
    if not isinstance(source, str) or not isinstance(target, str) or not source or not target:
        raise InputError(where, "give the two actors (source and target, or <s>/<t> markup)")
    for mention in (source, target):
        if mention.lower() not in text.lower():
            raise InputError(where, f"{mention!r} is not in the sentence")
    return Pair(text, source, target, published)


def _overlaps(mention: str, actors: list[dict]) -> bool:
    mention = mention.lower().strip()
    return bool(mention) and any(
        (a.get("text") or "").lower() in mention or mention in (a.get("text") or "").lower()
        for a in actors if a.get("text"))


def rule_relation(records: list[dict], source: str, target: str) -> str:
    """The category the rule coder's records give from ``source`` to ``target``
    (either direction), or ``none``."""
    for r in records:
        forward = _overlaps(source, r["actor"]) and _overlaps(target, r["recipient"])
        backward = _overlaps(target, r["actor"]) and _overlaps(source, r["recipient"])
        if forward or backward:
            return r["event"]
    return NONE


def featurise(pairs: Iterable[Pair], batch_size: int = 64
              ) -> Iterator[tuple[list[str] | None, str]]:
    """For each pair: its classifier features (None when a mention is not in the
    sentence) and the rule coder's category."""
    nlp = load_nlp()
    ctx = replace(coding_context(), relation_mode=True)
    texts = ((prepare_text(p.text), p) for p in pairs)
    for doc, pair in nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
        events, _ = extract_doc(doc, Article.create(pair.text, published=pair.published), ctx)
        rule = rule_relation([e.to_record() for e in events], pair.source, pair.target)
        source = find_mention(doc, pair.source)
        target = find_mention(doc, pair.target, after=source)
        if source is None or target is None:
            yield None, rule
        else:
            yield pair_features(source, target, None if rule == NONE else rule,
                                ctx.lexicon), rule


def relate_pairs(pairs: Iterable[Pair], models: RelationModels | None = None
                 ) -> Iterator[dict]:
    """``{"event": CATEGORY or None, "scores": {label: score}}`` for each pair, in
    order, with the ``mode`` and ``context`` the models give an event."""
    models = models or shipped_models()
    for features, rule in featurise(pairs):
        if models is None or features is None:
            scores = {rule: 1.0}
        else:
            scores = models.category.scores(features)
        best = max(scores, key=scores.__getitem__)
        found: dict = {"event": None if best == NONE else best,
                       "scores": {k: round(v, 4) for k, v in sorted(
                           scores.items(), key=lambda kv: -kv[1])}}
        if found["event"] and models is not None and features is not None:
            found["mode"] = models.mode_of(best, features)
            found["context"] = models.contexts_of(features)
        yield found


def relate_sentence(sentence: str, source: str | None = None, target: str | None = None,
                    published: date | None = None) -> dict:
    """One sentence's relation: the pair and ``event`` and ``scores`` as in ``relate_pairs``."""
    pair = make_pair(sentence, source, target, published)
    [found] = relate_pairs([pair])
    return {"text": pair.text, "source": pair.source, "target": pair.target, **found}
