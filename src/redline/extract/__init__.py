"""The extract stage: ``Doc + Article -> [Event], [Quote]``, pure and storage-free."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from redline.extract.actors import ActorResolver
from redline.extract.coder import CodingContext, code_events
from redline.extract.lexicon import load_lexicon
from redline.extract.quotes import code_quotes
from redline.extract.relations import shipped_models
from redline.model import Article, Event, Quote
from redline.nlp import load_gazetteer, load_nlp, shipped_kb

BATCH_SIZE = 32


def coding_context(actor_files: tuple[Path, ...] = ()) -> CodingContext:
    """Lexicon, knowledge base, gazetteer and classifiers for this process (loaded once
    for each set of user actor files)."""
    return _coding_context(tuple(actor_files))


@lru_cache(maxsize=2)
def _coding_context(actor_files: tuple[Path, ...]) -> CodingContext:
    return CodingContext(load_lexicon(), shipped_kb(actor_files), load_gazetteer(),
                         models=shipped_models())


def extract_doc(doc: Doc, article: Article, ctx: CodingContext) -> tuple[list[Event], list[Quote]]:
    """Events and quotes of one parsed article."""
    resolver = ActorResolver(doc, ctx.kb, ctx.gazetteer, article.published,
                                        ctx.lexicon.quote_cues)
    return (code_events(doc, article, ctx, resolver),
            code_quotes(doc, article, resolver, ctx.lexicon))


def prepare_text(text: str) -> str:
    """Text as the parser should see it: paragraphs kept apart, no stray white space."""
    paragraphs = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n")]
    return "\n\n".join(p for p in paragraphs if p)


@dataclass(slots=True)
class Coded:
    """One article with what the coder made of it; ``error`` says why it has no records."""

    article: Article
    events: list[Event]
    quotes: list[Quote]
    tokens: int
    error: str | None = None


def code_articles(
    articles: Iterable[Article],
    actor_files: tuple[Path, ...] = (),
    batch_size: int = BATCH_SIZE,
    *,
    strict: bool = False,
) -> Iterator[Coded]:
    """Parse and code articles in batches, in order. An article the coder fails on
    comes back with its error and no records (``strict``: the error propagates), so
    one odd text cannot stop a run."""
    nlp = load_nlp(actor_files)
    ctx = coding_context(actor_files)
    pairs = ((prepare_text(a.text), a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        try:
            events, quotes = extract_doc(doc, article, ctx)
        except Exception as exc:
            if strict:
                raise
            yield Coded(article, [], [], len(doc), f"{type(exc).__name__}: {exc}")
            continue
        yield Coded(article, events, quotes, len(doc))


def extract_articles(
    articles: Iterable[Article],
    actor_files: tuple[Path, ...] = (),
    batch_size: int = BATCH_SIZE,
    on_error: Callable[[Article, str], None] | None = None,
) -> Iterator[tuple[Article, list[Event], list[Quote]]]:
    """Each article with its events and quotes. With ``on_error``, an article the
    coder fails on is handed to it with the error and skipped; without, the error
    propagates."""
    for coded in code_articles(articles, actor_files, batch_size, strict=on_error is None):
        if coded.error is not None:
            on_error(coded.article, coded.error)
            continue
        yield coded.article, coded.events, coded.quotes
