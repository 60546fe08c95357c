"""A run over the whole pipeline: read inputs (ingest), drop what is stored,
foreign or a copy of a known story, code the rest on an engine (nlp,
extract), store it (store). It sits above the stages, which import only
leftwards; ``ingest()`` returns a report and never prints: the CLI shows it.

Every decision is taken in this process in input order and every write is
made in input order, whatever the engine, so serial, pooled and Ray runs
store the same database; each article is written in one transaction, so a
run killed at any point and started again ends with the database an
uninterrupted run gives.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from redline.engines import Engine, SerialEngine
from redline.extract import Coded
from redline.ingest.dedup import Duplicates, content_hash, signature
from redline.ingest.inputs import read_inputs
from redline.ingest.language import language_of
from redline.ingest.sources import ReadOptions, Rejected
from redline.model import Article
from redline.store import Store

BATCH = 16  # articles coded together


@dataclass(slots=True)
class IngestReport:
    """What an ingest run did."""

    run_id: str = ""
    added: int = 0  # new stories stored with their events
    copies: int = 0  # exact or near copies of a story, stored as further reports of it
    skipped: int = 0  # already stored
    foreign: int = 0  # not English: counted, not stored
    events: int = 0
    quotes: int = 0
    tokens: int = 0
    seconds: float = 0.0
    rejects: list[Rejected] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.added + self.copies + self.skipped + self.foreign + len(self.rejects)


@dataclass(slots=True)
class _Step:
    """One article to write: a new story (``cluster`` None) or a copy of one."""

    article: Article
    digest: str
    signature: bytes | None
    cluster: str | None


def ingest(
    paths: Iterable[str],
    store: Store,
    options: ReadOptions | None = None,
    *,
    forced: str | None = None,
    actor_files: tuple[Path, ...] = (),
    engine: Engine | None = None,
    on_progress: Callable[[IngestReport], None] | None = None,
    rejects_file: Path | None = None,
) -> IngestReport:
    """Store the articles of ``paths`` with their events and quotes.

    Articles already stored are skipped, copies of a stored story are recorded as
    further reports of it, articles not in English are counted; the rest are
    coded on ``engine`` (default: in this process). ``on_progress(report)`` is
    called as articles are read and stored; rejects go to the report, the store
    and ``rejects_file`` (JSON Lines, appended).
    """
    paths = list(paths)
    options = options or ReadOptions()
    engine = engine or SerialEngine(actor_files)
    report = IngestReport(run_id=store.start_run(paths, engine.name, engine.workers))
    started = time.perf_counter()
    duplicates: Duplicates | None = None
    seen: set[str] = set()
    failed: set[str] = set()
    rejects = _RejectLog(report, store, rejects_file)

    def steps() -> Iterator[_Step]:
        nonlocal duplicates
        for item in read_inputs(paths, options, forced=forced):
            if isinstance(item, Rejected):
                rejects.add(item)
            elif item.id in seen or store.has_article(item.id):
                report.skipped += 1
            elif language_of(item.text) != "en":
                report.foreign += 1
            else:
                seen.add(item.id)
                if duplicates is None:
                    duplicates = Duplicates(store.stories())
                digest, stored_signature = content_hash(item.text), signature(item.text)
                cluster = duplicates.cluster_of(item, digest, stored_signature)
                yield _Step(item, digest, None if cluster else stored_signature, cluster)
            if on_progress:
                on_progress(report)

    waiting: deque[list[_Step]] = deque()

    def batches() -> Iterator[list[Article]]:
        batch: list[_Step] = []
        for step in steps():
            batch.append(step)
            if sum(s.cluster is None for s in batch) == BATCH:
                waiting.append(batch)
                yield [s.article for s in batch if s.cluster is None]
                batch = []
        if batch:
            waiting.append(batch)
            yield [s.article for s in batch if s.cluster is None]

    def tick() -> None:
        if on_progress:
            on_progress(report)

    try:
        for coded in engine.code(batches()):
            _write(waiting.popleft(), coded, store, report, failed, rejects, tick)
    finally:
        engine.close()
    report.seconds = time.perf_counter() - started
    store.finish_run(report.run_id, added=report.added, skipped=report.skipped,
                     events=report.events, quotes=report.quotes, rejects=len(report.rejects),
                     copies=report.copies, foreign=report.foreign, tokens=report.tokens,
                     seconds=round(report.seconds, 3))
    return report


def _write(steps: list[_Step], coded: list[Coded], store: Store, report: IngestReport,
           failed: set[str], rejects: _RejectLog, tick: Callable[[], None]) -> None:
    """Write one batch in input order: new stories with their records, copies as
    further reports of their story; ``tick`` after each article."""
    results = iter(coded)
    for step in steps:
        _write_one(step, results, store, report, failed, rejects)
        tick()


def _write_one(step: _Step, results: Iterator[Coded], store: Store, report: IngestReport,
               failed: set[str], rejects: _RejectLog) -> None:
    article = step.article
    if step.cluster is not None:
        if step.cluster in failed:
            rejects.add(Rejected(article.origin or article.id,
                                 "copy of a story that could not be coded"))
        elif store.add_copy(article, step.cluster, step.digest):
            report.copies += 1
        return
    result = next(results)
    report.tokens += result.tokens
    if result.error is not None:
        failed.add(article.id)
        rejects.add(Rejected(article.origin or article.id,
                             f"could not be coded ({result.error})"))
        return
    added = store.add(article, result.events, result.quotes,
                      content_hash=step.digest, signature=step.signature)
    report.added += added.added
    report.skipped += not added.added
    report.events += added.events
    report.quotes += added.quotes


class _RejectLog:
    """Rejects into the report, the store and, if given, a JSON Lines file."""

    def __init__(self, report: IngestReport, store: Store, path: Path | None) -> None:
        self.report, self.store, self.path = report, store, path

    def add(self, reject: Rejected) -> None:
        self.report.rejects.append(reject)
        self.store.add_rejects(self.report.run_id, [reject])
        if self.path is not None:
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"run": self.report.run_id, "source": reject.source,
                                     "line": reject.line, "problem": reject.problem},
                                    ensure_ascii=False) + "\n")
