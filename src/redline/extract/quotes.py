"""Who said what: direct quotations and reported speech with their speakers.

A direct quotation is text in quotation marks of four words or more (shorter
ones are scare quotes: "serious consequences"); its speaker is the subject of
the sentence's verb of saying, or, for a sentence that is all quotation, the
speaker of the quotation just before it in the same or the previous paragraph.
Reported speech is the clause a verb of saying takes ("X said that ...").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from redline.extract.actors import ActorResolver
from redline.extract.lexicon import Lexicon
from redline.model import Actor, Article, Quote

QUOTE_RE = re.compile(r"[\"\u201c\u201d]([^\"\u201c\u201d]{3,})[\"\u201c\u201d]")
MIN_QUOTE_WORDS = 4


def _cue(sent: Span, lex: Lexicon, outside: set[int]) -> Token | None:
    """The verb of saying of a sentence that lies outside its quotation marks."""
    verbs = [t for t in sent if t.lemma_.lower() in lex.quote_cues and t.i in outside
             and t.pos_ in ("VERB", "AUX")]
    if not verbs:
        return None
    return sent.root if sent.root in verbs else verbs[0]


def _speaker(cue: Token, resolver: ActorResolver) -> tuple[Actor | None, bool]:
    """The speaker of a cue, and whether the speaker goes unnamed ("the official")."""
    subjects = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return None, True
    subject = subjects[0]
    actors = resolver.resolve(subject)
    named = subject.pos_ == "PROPN" or (
        subject.pos_ == "PRON" and bool(actors) and (actors[0].kb_id or "").startswith("person:"))
    ent = resolver.ent_at.get(subject.i)
    text = ent.text if ent is not None else resolver.phrase(subject)
    if resolver.is_commentator(subject):
        # what they are: media, or the organisation they speak for ("a Reuters
        # photographer"), never a state
        found = [a for a in resolver.resolve_thing(subject)
                 if (a.kb_id or "").startswith("org:")]
        institution = found[0] if found else None
        return Actor(text=text, code=institution.code if institution else None, sector="MED",
                     name=institution.name if institution else None,
                     kb_id=institution.kb_id if institution else None), not named
    if not actors:
        return Actor(text=text), not named
    return actors[0], not named


def _reported(cue: Token, doc: Doc) -> str | None:
    """The clause a verb of saying reports, without its "that"."""
    for comp in cue.children:
        if comp.dep_ in ("ccomp", "parataxis"):
            tokens = [t for t in doc[comp.left_edge.i: comp.right_edge.i + 1]
                      if not (t.dep_ == "mark" and t.i == comp.left_edge.i)]
            if tokens:
                return doc[tokens[0].i: tokens[-1].i + 1].text
    return None


def code_quotes(doc: Doc, article: Article, resolver: ActorResolver, lex: Lexicon
                ) -> list[Quote]:
    """Quotations in an article, each with its speaker when the text names one."""
    quotes: list[Quote] = []
    last: tuple[int, Actor | None, bool] | None = None  # sentence, speaker, anonymous
    for index, sent in enumerate(doc.sents):
        matches = [m for m in QUOTE_RE.finditer(sent.text)
                   if len(m.group(1).split()) >= MIN_QUOTE_WORDS]
        inside = {t.i for m in matches for t in sent
                  if m.start() <= t.idx - sent.start_char < m.end()}
        cue = _cue(sent, lex, {t.i for t in sent} - inside)
        if matches:
            if cue is not None:
                speaker, anonymous = _speaker(cue, resolver)
            elif last is not None and index - last[0] <= 1:
                speaker, anonymous = last[1], last[2]  # the quotation goes on
            else:
                speaker, anonymous = None, True
            for m in dict.fromkeys(m.group(1).strip(" ,") for m in matches):  # once each
                quotes.append(Quote(article.id, index, m,
                                    cue.text if cue is not None else "", speaker, True,
                                    anonymous))
            last = (index, speaker, anonymous) if speaker is not None else None
        elif cue is not None:
            text = _reported(cue, doc)
            speaker, anonymous = _speaker(cue, resolver)
            if text and speaker is not None:
                quotes.append(Quote(article.id, index, text, cue.text, speaker, False,
                                    anonymous))
    return quotes
