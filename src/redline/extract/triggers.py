"""Finding event triggers in a sentence: verbs, nouns, and light-verb frames.

A light verb ("launched an offensive", "held talks") takes its event from its
object noun but its arguments from its own clause. A noun trigger that is the
object of a verb trigger belongs to that verb ("demanded guarantees") and is
not coded again on its own. A noun that only modifies another noun ("combat
forces", "propaganda hierarchy") is no event, unless its head names the event's
frame ("disinformation activity").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from redline.extract.lexicon import Lexicon, Trigger

OBJECT_DEPS = {"dobj", "dative", "iobj", "attr", "oprd"}
NOMINAL_DEPS = {"dobj", "pobj", "nsubj", "nsubjpass", "attr", "conj", "appos", "ROOT"}


@dataclass(slots=True)
class Candidate:
    """A trigger found in the parse.

    ``token`` is the word that carries the event (a verb, or a noun), ``clause``
    the verb whose arguments give the actors (the trigger itself, or the light
    verb in front of a noun), ``nominal`` whether the event is named by a noun.
    """

    token: Token
    entry: Trigger
    clause: Token
    nominal: bool

    @property
    def standalone_noun(self) -> bool:
        """A noun trigger with no verb of its own ("Russia's invasion of Crimea")."""
        return self.nominal and self.clause == self.token

    @property
    def event_text(self) -> str:
        words = [self.clause] if self.clause != self.token else []
        words += [c for c in self.token.children if c.dep_ == "prt"]
        words += [c for c in self.token.children
                  if c.dep_ == "compound" and c.i < self.token.i and c.pos_ == "NOUN"]
        first = hyphen_partner(self.token)
        if first is not None:  # "build-up"
            words += [first, self.token.doc[first.i + 1]]
        words.append(self.token)
        ordered = sorted(set(words), key=lambda t: t.i)
        return "".join(t.text + (" " if nxt.i > t.i + 1 or t.whitespace_ else "")
                       for t, nxt in zip(ordered, [*ordered[1:], ordered[-1]], strict=True)
                       ).strip()


def noun_keys(token: Token) -> list[str]:
    """Lexicon keys a noun may be listed under, most specific first: a hyphenated
    word ("build-up"), the word with its modifier ("missile strike"), the word."""
    lemma = token.lemma_.lower()
    doc = token.doc
    keys = []
    if (token.i + 2 < len(doc) and doc[token.i + 1].text == "-"
            and not token.whitespace_ and not doc[token.i + 1].whitespace_):
        nxt = doc[token.i + 2]
        keys += [f"{lemma}-{nxt.lemma_.lower()}", f"{token.lower_}-{nxt.lower_}",
                 lemma + nxt.lemma_.lower()]
    first = hyphen_partner(token)
    if first is not None:  # "build-up" parsed as "build" compound of "up"
        keys += [f"{first.lemma_.lower()}-{lemma}", f"{first.lower_}-{token.lower_}",
                 first.lemma_.lower() + lemma]
    for child in token.children:
        if child.dep_ in ("compound", "amod") and child.i == token.i - 1:
            keys += [f"{child.lemma_.lower()} {lemma}", f"{child.lower_} {token.lower_}"]
    for child in token.children:  # "show of force"
        if child.dep_ == "prep" and child.i == token.i + 1:
            keys += [f"{lemma} {child.lower_} {g.lower_}" for g in child.children
                     if g.dep_ == "pobj" and g.i == child.i + 1]
    return [*keys, lemma, token.lower_]


def hyphen_partner(token: Token) -> Token | None:
    """The first part of a hyphenated word whose last part is this token and its
    head ("build" in "build-up"), or None."""
    doc = token.doc
    if token.i < 2 or doc[token.i - 1].text != "-":
        return None
    first = doc[token.i - 2]
    if first.whitespace_ or doc[token.i - 1].whitespace_ or first.head != token:
        return None
    return first


def objects_of(token: Token) -> set[str]:
    """Lemmas of a verb's objects, direct or prepositional, and of what they
    measure ("millions of dollars in aid" -> aid)."""
    found = set()
    heads = []
    for child in token.children:
        if child.dep_ in OBJECT_DEPS | {"nsubjpass"}:
            heads += [child, *child.conjuncts]
        elif child.dep_ in ("prep", "agent"):
            heads += [g for g in child.children if g.dep_ == "pobj"]
    for head in heads:
        found.add(head.lemma_.lower())
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "in"):
                found.update(g.lemma_.lower() for g in prep.children if g.dep_ == "pobj")
    return found


def match_verb(token: Token, lex: Lexicon) -> Trigger | None:
    """The most specific verb entry that fits this verb's particle and objects."""
    entries = lex.verbs.get(token.lemma_.lower())
    if not entries:
        return None
    particles = {c.lower_ for c in token.children if c.dep_ in ("prt", "advmod", "prep")
                 and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children)}
    objects = objects_of(token)
    complemented = any(c.dep_ in ("oprd", "acomp", "attr", "ccomp") for c in token.children)
    direct = any(c.dep_ in ("dobj", "dative") for c in token.children)
    if not direct and token.lemma_.lower() in lex.ergative_verbs:  # "troops moved into"
        objects |= {c.lemma_.lower() for c in token.children if c.dep_ == "nsubj"}
    records = {c.lemma_.lower() for c in token.children if c.dep_ == "dobj"} & lex.record_nouns
    best, best_score = None, -1
    for entry in entries:
        if records and not entry.objects & records:
            continue  # "released video of ...": a record shown, not an act
        if entry.particle and entry.particle not in particles:
            continue
        if entry.bare and (complemented or not direct):
            continue
        if entry.objects and not entry.objects & objects:
            continue
        score = bool(entry.particle) + bool(entry.objects) + 3 * entry.bare
        if score > best_score:
            best, best_score = entry, score
    return best


def match_noun(token: Token, lex: Lexicon) -> Trigger | None:
    entries = next((lex.nouns[k] for k in noun_keys(token) if k in lex.nouns), None)
    if not entries:
        return None
    objects = {g.lemma_.lower() for c in token.children if c.dep_ == "prep"
               for g in c.children if g.dep_ == "pobj"}
    objects |= {c.lemma_.lower() for c in token.children if c.dep_ in ("compound", "amod")}
    general = [e for e in entries if not e.objects]
    specific = [e for e in entries if e.objects and e.objects & objects]
    return (specific or general or [None])[0]


def is_nominal(token: Token) -> bool:
    """A noun, or a word the tagger took for an adjective used as one ("an offensive")."""
    if token.ent_type_ in ("PERSON", "GPE", "NORP", "DATE", "TIME"):
        return False  # "in March" is no march
    return token.pos_ in ("NOUN", "PROPN") or (token.pos_ == "ADJ" and token.dep_ in NOMINAL_DEPS)


def find_triggers(sent: Span, lex: Lexicon) -> list[Candidate]:
    """Every event trigger of a sentence, each noun coded once."""
    nouns: dict[int, Trigger] = {}
    for token in sent:
        if is_nominal(token):
            entry = match_noun(token, lex)
            if entry is not None:
                nouns[token.i] = entry
    for i in list(nouns):
        token = sent.doc[i]
        if (token.dep_ in ("compound", "amod") and token.head.i not in nouns
                and token.head.lemma_.lower() not in lex.eventive_heads):
            del nouns[i]
        elif token.head.i in nouns and hyphen_partner(token.head) == token:
            del nouns[i]  # "build-up": the word is coded once, at its head
    candidates: list[Candidate] = []
    consumed: set[int] = set()
    verbs: dict[int, Trigger] = {}
    for token in sent:
        if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("aux", "auxpass"):
            continue
        object_nouns = [c for c in token.children if c.dep_ in OBJECT_DEPS and c.i in nouns]
        object_nouns += [g for c in token.children if c.dep_ == "prep"
                         for g in c.children if g.dep_ == "pobj" and g.i in nouns]
        entry = match_verb(token, lex)
        lemma = token.lemma_.lower()
        if lemma in lex.light_verbs and object_nouns and (
            entry is None or object_nouns[0].dep_ in OBJECT_DEPS
        ):
            noun = object_nouns[0]
            candidates.append(Candidate(noun, nouns[noun.i], token, nominal=True))
            consumed.add(noun.i)
            consumed.update(c.i for c in noun.conjuncts)
        elif entry is not None:
            head = token.head
            if (token.dep_ == "conj" and head.i in verbs and verbs[head.i].event == entry.event):
                continue  # "killed 9 people and injured 37": one attack, counted once
            verbs[token.i] = entry
            candidates.append(Candidate(token, entry, token, nominal=False))
            consumed.update(n.i for n in object_nouns)
            # "Russian shelling killed 11": the subject names the same event
            consumed.update(c.i for c in token.children if c.dep_ in ("nsubj", "nsubjpass")
                            and c.i in nouns and nouns[c.i].event == entry.event)
    for i, entry in nouns.items():
        if entry.event in ("REQUEST", "REJECT"):
            # "calls for a ceasefire": what is asked for or refused is not itself an event
            consumed.update(g.i for c in sent.doc[i].children if c.dep_ == "prep"
                            for g in c.children if g.dep_ == "pobj" and g.i in nouns)
    for i, entry in nouns.items():
        if i in consumed:
            continue
        noun = sent.doc[i]
        candidates.append(Candidate(noun, entry, noun, nominal=True))
    return sorted(candidates, key=lambda c: c.token.i)
