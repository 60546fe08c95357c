"""Events the lexicon misses, found by the relation classifier.

In each sentence, every pair of coded actor mentions that the rule coder left
unrelated is put to the trained classifier; a pair it relates with enough
confidence becomes a trigger candidate at the word that joins the two
mentions in the parse, and is coded like any other (status, claim, date,
place), with the classifier's category, mode and contexts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import permutations

from spacy.tokens import Span, Token

from redline.extract.actors import FIRST_PERSON, MODIFIER_DEPS, ActorResolver, is_backer
from redline.extract.lexicon import Lexicon, Trigger
from redline.extract.relations import NONE, RelationModels, junction, pair_features
from redline.extract.triggers import Candidate
from redline.model import Actor, Event

# A pair the classifier relates less surely than this stays unrelated: the lowest
# threshold whose new events are right 85 times in 100 on our held-out sentences
# (0.5: 87 %; 0.4: 83 %).
MIN_PROBABILITY = 0.5
# The lexicon's category gives way only to a classifier this sure: on our held-out
# sentences it is then right 41 times in 45, the lexicon twice; lower thresholds do
# well there too (0.5: 69 in 81) but overrule the lexicon on real reports it gets
# right (military support delivered is AID, not COOPERATE).
RECONSIDER_MIN = 0.8
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "across", "throughout", "around",
                  "within", "from", "over", "along"}
THING_DEPS = {"dobj", "pobj", "nsubjpass"}
MENTION_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "dative", "attr", "appos", "agent",
                "poss", "ROOT", "conj", "npadvmod", "oprd"}


def mentions(sent: Span, resolver: ActorResolver) -> list[tuple[Span, list[Actor]]]:
    """The noun phrases of a sentence that name coded actors, with those actors
    (worked out once per sentence; callers must not change the actors)."""
    key = ("mentions", sent.start)
    if key not in resolver.memo:
        resolver.memo[key] = _find_mentions(sent, resolver)
    return resolver.memo[key]  # type: ignore[return-value]


def _find_mentions(sent: Span, resolver: ActorResolver) -> list[tuple[Span, list[Actor]]]:
    heads = [t for t in sent if _may_name_actor(t, resolver)]
    if len(heads) < 2:
        return []  # no pair to relate
    found: list[tuple[Span, list[Actor]]] = []
    for token in heads:
        if token.dep_ == "conj" and any(token.head.i == span.root.i for span, _ in found):
            continue  # "Russia and China": the first conjunct's phrase covers both
        if any(resolver.is_commentator(up) for up in _nominal_heads(token)):
            continue  # "a political scientist at Moscow State University"
        actors = [a for a in resolver.resolve(token) if a.code]
        if not actors and token.dep_ in THING_DEPS:  # "rammed a Philippine supply boat"
            actors = [a for a in resolver.resolve_thing(token, frozenset()) if a.code]
        if actors:
            found.append((sent.doc[token.left_edge.i: token.i + 1], actors))
    return found


def _may_name_actor(token: Token, resolver: ActorResolver) -> bool:
    """A cheap first look: could this word head a phrase that names an actor?"""
    if token.dep_ not in MENTION_DEPS or token.pos_ not in ("NOUN", "PROPN", "PRON"):
        return False
    if token.lower_ in FIRST_PERSON:
        return False  # who "we" are is the quotation's business
    if is_backer(token):
        return False  # "Russian-backed separatists": a sponsor named in a description
    if (token.dep_ == "pobj" and token.head.lower_ in LOCATIVE_PREPS
            and token.ent_type_ in ("GPE", "LOC", "FAC")):
        return False  # "met Lavrov in Geneva": where, not whom
    return (token.i in resolver.ent_at or token.pos_ == "PRON"
            or token.lemma_.lower() in resolver.kb.agent_nouns
            or any(c.dep_ in MODIFIER_DEPS for c in token.children))  # not a bare noun


def _nominal_heads(token: Token) -> list[Token]:
    """The nouns a mention hangs from, up to its clause's verb."""
    heads, up = [], token.head
    while up.i != up.head.i and up.pos_ not in ("VERB", "AUX"):
        if up.pos_ in ("NOUN", "PROPN"):
            heads.append(up)
        up = up.head
    return heads


def _organ_and_state(one: list[Actor], other: list[Actor]) -> bool:
    """"Russia's Defence Ministry ... the Russian mainland": a state's organ and the
    state itself are one party, not two."""
    shared = {a.code for a in one if a.code} & {a.code for a in other if a.code}
    return any(a.code in shared and a.sector is None for a in (*one, *other))


def _related(events: list[Event], one: list[Actor], other: list[Actor]) -> bool:
    keys_one, keys_other = {a.key for a in one}, {a.key for a in other}
    for event in events:
        acting, receiving = {a.key for a in event.actor}, {a.key for a in event.recipient}
        if (acting & keys_one and receiving & keys_other) or (
                acting & keys_other and receiving & keys_one):
            return True
    return False


def candidates(sent: Span, resolver: ActorResolver, models: RelationModels, lexicon: Lexicon,
               coded: list[Event]
               ) -> list[tuple[Candidate, list[Actor], list[Actor], float]]:
    """Trigger candidates for the pairs the classifier relates and the rules did not:
    (candidate, actors, recipients, probability), the likelier direction of a pair."""
    found = mentions(sent, resolver)
    best: dict[frozenset[int], tuple[float, Span, Span, str, list[str]]] = {}
    for (source, acting), (target, receiving) in permutations(found, 2):
        if source.root.i in {t.i for t in target} or target.root.i in {t.i for t in source}:
            continue
        if {(a.code, a.sector) for a in acting} & {(a.code, a.sector) for a in receiving} \
                or _organ_and_state(acting, receiving) or _related(coded, acting, receiving):
            continue  # one actor twice ("Russia ... Moscow"), or the rules related them
        joint = junction(source, target).i
        if source.start <= joint < source.end or target.start <= joint < target.end:
            continue  # "the Russian ambassador to Ukraine": a title, no event
        features = pair_features(source, target, lexicon=lexicon)
        scores = models.category.scores(features)
        category = max(scores, key=scores.__getitem__)
        pair = frozenset((source.root.i, target.root.i))
        if category != NONE and scores[category] >= MIN_PROBABILITY and (
                pair not in best or best[pair][0] < scores[category]):
            best[pair] = (scores[category], source, target, category, features)
    spans = {span.root.i: actors for span, actors in found}
    out = []
    for probability, source, target, category, features in best.values():
        token = junction(source, target)
        entry = Trigger(token.lemma_.lower(), category, lexicon.categories[category].cameo,
                        models.mode_of(category, features),
                        tuple(models.contexts_of(features)))
        clause = token if token.pos_ in ("VERB", "AUX") else _governing_verb(token)
        cand = Candidate(token, entry, clause, nominal=token.pos_ not in ("VERB", "AUX"))
        out.append((cand, [replace(a) for a in spans[source.root.i]],
                    [replace(a) for a in spans[target.root.i]], probability))
    return out


def _governing_verb(token: Token) -> Token:
    """The verb whose clause holds a nominal junction ("talks" in "held talks")."""
    head = token
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") else token


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the classifier makes of a rule-coded event's actor and recipient."""

    category: str  # the lexicon's, unless the classifier is sure of another
    mode: str | None
    contexts: tuple[str, ...]


def judged(cand: Candidate, coded: str, actor_tokens: list[Token],
           recipient_tokens: list[Token], models: RelationModels, lexicon: Lexicon
           ) -> Judgement | None:
    """The category, mode and contexts of the event a rule coded (``coded``) at a
    trigger, as the classifiers see them; None when it lacks an actor or a
    recipient."""
    if not actor_tokens or not recipient_tokens:
        return None
    doc = cand.token.doc
    source, target = (doc[t.left_edge.i: t.i + 1] for t in (actor_tokens[0],
                                                            recipient_tokens[0]))
    if source.start < target.end and target.start < source.end:
        return None
    features = pair_features(source, target, coded, lexicon)
    scores = models.category.scores(features)
    category = max(scores, key=scores.__getitem__)
    if category == NONE or scores[category] < RECONSIDER_MIN:
        category = coded
    return Judgement(category, models.mode_of(category, features),
                     tuple(models.contexts_of(features)))


def missing_recipient(cand: Candidate, actor_tokens: list[Token], category: str,
                      resolver: ActorResolver, models: RelationModels, lexicon: Lexicon,
                      taken: set[tuple]) -> list[Actor]:
    """For an event coded with an actor and no recipient, the mention of the same
    sentence the classifier would itself relate to the actor by this category
    (its likeliest label for the pair), or nothing."""
    if not actor_tokens:
        return []
    doc = cand.token.doc
    head = actor_tokens[0]
    source = doc[head.left_edge.i: head.i + 1]
    best, best_p = [], 0.0
    for target, actors in mentions(cand.token.sent, resolver):
        if target.start < source.end and source.start < target.end:
            continue
        if {a.key for a in actors} & taken:
            continue
        scores = models.category.scores(pair_features(source, target, lexicon=lexicon))
        if max(scores, key=scores.__getitem__) == category and scores[category] > best_p:
            best, best_p = actors, scores[category]
    return [replace(a) for a in best]  # the coder may settle them; the memo stays
