"""A run over the whole pipeline: read inputs (ingest), drop what is stored,
foreign or a copy of a known story, code the rest on an engine (nlp,
extract), store it (store). It sits above the stages, which import only
leftwards; ``ingest()`` returns a report and never prints: the CLI shows it.

Every decision is taken in this process in input order and every write is
made in input order, whatever the engine, so serial, pooled and Ray runs
store the same database; each batch of articles is written in one
transaction, so a run killed at any point and started again ends with the
database an uninterrupted run gives.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from redline.engines import Engine, SerialEngine, WorkerResult
from redline.errors import RedlineError
from redline.ingest.dedup import Duplicates, content_hash
from redline.ingest.inputs import read_inputs
from redline.ingest.sources import ReadOptions, Rejected
from redline.model import Article
from redline.nlp.pipeline import MAX_CHARS
from redline.store import Entry, Store

BATCH = 16  # new stories coded (and written) together
MAX_STEPS = 4 * BATCH  # a batch is written by then even if most of it are copies


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
        """Articles (and rejected inputs) read so far."""
        return self.added + self.copies + self.skipped + self.foreign + len(self.rejects)


@dataclass(slots=True)
class _Step:
    """One article read: an exact copy of a known story (``cluster``), or one to
    code (then a story, a near copy, or not in English)."""

    article: Article
    digest: str
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
    coded on ``engine`` (default: in this process, with ``actor_files``; an
    engine brings its own). ``on_progress(report)`` is called as articles are
    read and stored; rejects go to the report, the store and ``rejects_file``
    (JSON Lines, appended). The engine is closed at the end.
    """
    paths = list(paths)
    options = replace(options or ReadOptions(), known=store.has_article)
    engine = engine or SerialEngine(actor_files)
    try:
        report = IngestReport(run_id=store.start_run(paths, engine.name, engine.workers))
        with _RejectLog(report, store, rejects_file) as rejects:
            _run(paths, store, options, forced, engine, report, rejects, on_progress)
    finally:
        engine.close()
    store.finish_run(report.run_id, added=report.added, skipped=report.skipped,
                     events=report.events, quotes=report.quotes, rejects=len(report.rejects),
                     copies=report.copies, foreign=report.foreign, tokens=report.tokens,
                     seconds=round(report.seconds, 3))
    return report


def _run(paths: list[str], store: Store, options: ReadOptions, forced: str | None,
         engine: Engine, report: IngestReport, rejects: _RejectLog,
         on_progress: Callable[[IngestReport], None] | None) -> None:
    started = time.perf_counter()
    duplicates: Duplicates | None = None
    seen: set[str] = set()
    failed: dict[str, str] = {}  # story that could not be coded -> where it came from

    def tick() -> None:
        if on_progress:
            on_progress(report)

    def steps() -> Iterator[_Step]:
        nonlocal duplicates
        for item in read_inputs(paths, options, forced=forced):
            if isinstance(item, Rejected):
                rejects.add(item)
            elif item.id in seen or store.has_article(item.id):
                report.skipped += 1
            elif len(item.text) > MAX_CHARS:
                rejects.add(Rejected(item.origin or item.id, f"too long to parse: "
                                     f"{len(item.text):,} characters (at most {MAX_CHARS:,})"))
            else:
                seen.add(item.id)
                if duplicates is None:
                    duplicates = Duplicates(store.stories())
                digest = content_hash(item.text)
                yield _Step(item, digest, duplicates.exact(digest))
            tick()

    waiting: deque[list[_Step]] = deque()

    def batches() -> Iterator[list[Article]]:
        batch: list[_Step] = []
        stories = 0
        for step in steps():
            batch.append(step)
            stories += step.cluster is None
            if stories == BATCH or len(batch) == MAX_STEPS:
                waiting.append(batch)
                yield [s.article for s in batch if s.cluster is None]
                batch, stories = [], 0
        if batch:
            waiting.append(batch)
            yield [s.article for s in batch if s.cluster is None]

    try:
        for coded in engine.code(batches()):
            if duplicates is None:
                duplicates = Duplicates(store.stories())
            _write(waiting.popleft(), coded, store, report, duplicates, failed, rejects)
            tick()
    except RedlineError:
        raise
    except Exception as exc:  # a worker died, a cluster went away: say so, keep what is stored
        raise RedlineError(f"the {engine.name} engine failed ({type(exc).__name__}: {exc}); "
                           "what was stored is kept: run the same command again to go on"
                           ) from exc
    finally:
        report.seconds = time.perf_counter() - started


def _write(steps: list[_Step], coded: list[WorkerResult], store: Store, report: IngestReport,
           duplicates: Duplicates, failed: dict[str, str], rejects: _RejectLog) -> None:
    """Write one batch, in input order and in one transaction: new stories with their
    records, exact and near copies as further reports of their story."""
    results = iter(coded)
    entries: list[Entry] = []
    for step in steps:
        article = step.article
        where = article.origin or article.id
        cluster = step.cluster
        result = None
        if cluster is None:
            result = next(results, None)
            if result is None or result.article_id != article.id:
                raise RedlineError("an engine returned coded articles out of order")
            report.tokens += result.tokens
            if result.language != "en":
                report.foreign += 1
                continue
            if result.error is not None:
                failed[article.id] = where
                rejects.add(Rejected(where, f"could not be coded ({result.error})"))
                continue
            cluster = duplicates.cluster_of(article, step.digest, result.signature)
        if cluster is None:
            entries.append(Entry(article, result.events, result.quotes, step.digest,
                                 result.signature))
        elif cluster in failed:
            rejects.add(Rejected(where, f"copy of a story that could not be coded "
                                 f"({failed[cluster]})"))
        else:
            entries.append(Entry(article, content_hash=step.digest, cluster_id=cluster))
    for entry, added in zip(entries, store.write(entries), strict=True):
        if not added.added:
            report.skipped += 1
        elif entry.cluster_id is not None:
            report.copies += 1
        else:
            report.added += 1
            report.events += added.events
            report.quotes += added.quotes


class _RejectLog:
    """Rejects into the run's report, the store and, if given, a JSON Lines file."""

    def __init__(self, report: IngestReport, store: Store, path: Path | None) -> None:
        self.report, self.store, self.path = report, store, path
        self._file: TextIO | None = None

    def __enter__(self) -> _RejectLog:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()

    def add(self, reject: Rejected) -> None:
        self.report.rejects.append(reject)
        self.store.add_rejects(self.report.run_id, [reject])
        if self.path is None:
            return
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8")
        self._file.write(json.dumps({"run": self.report.run_id, "source": reject.source,
                                     "line": reject.line, "problem": reject.problem},
                                    ensure_ascii=False) + "\n")
        self._file.flush()
