"""A run over the whole pipeline: read inputs (ingest), code each new article
(nlp, extract), store it (store). It sits above the stages, which import only
leftwards; ``ingest()`` returns a report and never prints: the CLI shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from redline.extract import extract_articles
from redline.ingest.inputs import read_inputs
from redline.ingest.sources import ReadOptions, Rejected
from redline.model import Article
from redline.store import Store


@dataclass(slots=True)
class IngestReport:
    """What an ingest run did."""

    added: int = 0
    skipped: int = 0
    events: int = 0
    quotes: int = 0
    rejects: list[Rejected] = field(default_factory=list)


def ingest(
    paths: Iterable[str],
    store: Store,
    options: ReadOptions | None = None,
    *,
    jsonl: bool = False,
    actor_files: tuple[Path, ...] = (),
    on_article: Callable[[Article, bool], None] | None = None,
) -> IngestReport:
    """Store the articles of ``paths`` with their events and quotes.

    Articles already in the store are skipped (so a second run, or a run after
    an interruption, adds only what is missing). ``on_article(article, added)``
    is called after each article, for progress displays.
    """
    paths = list(paths)
    options = options or ReadOptions()
    report = IngestReport()
    run_id = store.start_run(paths)

    def new_articles() -> Iterator[Article]:
        seen: set[str] = set()
        for item in read_inputs(paths, options, jsonl=jsonl):
            if isinstance(item, Rejected):
                report.rejects.append(item)
            elif item.id in seen or store.has_article(item.id):
                report.skipped += 1
                if on_article:
                    on_article(item, False)
            else:
                seen.add(item.id)
                yield item

    def failed(article: Article, exc: Exception) -> None:
        report.rejects.append(Rejected(article.origin or article.id,
                                       f"could not be coded ({type(exc).__name__}: {exc})"))

    for article, events, quotes in extract_articles(new_articles(), actor_files,
                                                    on_error=failed):
        result = store.add(article, events, quotes)
        report.added += result.added
        report.skipped += not result.added
        report.events += result.events
        report.quotes += result.quotes
        if on_article:
            on_article(article, result.added)
    store.finish_run(run_id, added=report.added, skipped=report.skipped,
                     events=report.events, quotes=report.quotes, rejects=len(report.rejects))
    return report
