"""Who said what: direct quotations and reported speech with their speakers."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from redline.extract.actors import ActorResolver
from redline.extract.lexicon import Lexicon
from redline.model import Actor, Article, Quote

QUOTE_RE = re.compile(r"[\"\u201c\u201d]([^\"\u201c\u201d]{3,})[\"\u201c\u201d]")
NAMED = {"PERSON", "ORG", "GPE", "NORP"}


def _cue(sent: Span, lex: Lexicon, outside: set[int]) -> Token | None:
    """The speech verb of a sentence that lies outside its quotation marks."""
    verbs = [t for t in sent if t.lemma_.lower() in lex.speech_verbs and t.i in outside
             and t.pos_ in ("VERB", "AUX")]
    if not verbs:
        return None
    root = sent.root
    return root if root in verbs else verbs[0]


def _speaker(cue: Token, resolver: ActorResolver) -> tuple[Actor | None, bool]:
    subjects = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return None, True
    subject = subjects[0]
    actors = resolver.resolve(subject)
    ent = resolver.ent_at.get(subject.i)
    named = ent is not None and ent.label_ in NAMED
    if resolver.is_commentator(subject) or not actors:
        text = ent.text if ent is not None else resolver.phrase(subject)
        return Actor(text=text), not named
    return actors[0], not named


def code_quotes(doc: Doc, article: Article, resolver: ActorResolver, lex: Lexicon
                ) -> list[Quote]:
    """Quotations in an article, each with its speaker when the sentence names one."""
    quotes: list[Quote] = []
    for index, sent in enumerate(doc.sents):
        text = sent.text
        matches = list(QUOTE_RE.finditer(text))
        inside = {t.i for m in matches for t in sent
                  if m.start() <= t.idx - sent.start_char < m.end()}
        outside = {t.i for t in sent} - inside
        cue = _cue(sent, lex, outside)
        if matches:
            speaker, anonymous = _speaker(cue, resolver) if cue is not None else (None, True)
            for m in matches:
                quotes.append(Quote(article.id, index, m.group(1).strip(" ,"),
                                    cue.text if cue is not None else "", speaker, True,
                                    anonymous))
        elif cue is not None:
            for comp in cue.children:
                if comp.dep_ in ("ccomp", "parataxis"):
                    speaker, anonymous = _speaker(cue, resolver)
                    if speaker is None:
                        continue
                    span = doc[comp.left_edge.i: comp.right_edge.i + 1]
                    words = [t for t in span if t.dep_ != "mark" or t.i != span.start]
                    content = doc[words[0].i: span.end].text if words else span.text
                    quotes.append(Quote(article.id, index, content, cue.text, speaker,
                                        False, anonymous))
                    break
    return quotes
