"""Where articles are coded: in this process, in a local process pool, or on
Ray Data. Every engine runs the same engine-neutral function, ``code_batch``,
over batches of articles and hands the results back in input order, so that
serial, pooled and Ray runs store exactly the same database. The spaCy model
is loaded once per worker process (never pickled). Besides coding, a batch
identifies each article's language and computes its near-duplicate signature:
work that would otherwise hold up the one process that writes."""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from redline.errors import RedlineError
from redline.extract import code_articles
from redline.ingest.dedup import signature
from redline.ingest.language import language_of
from redline.model import Article, Event, Quote

Batch = list[Article]


@dataclass(slots=True)
class WorkerResult:
    """What a worker made of one article: its language and, for English, its
    signature and records (or the error that left it without any)."""

    article_id: str
    language: str
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    tokens: int = 0
    signature: bytes | None = None
    error: str | None = None


def code_batch(articles: Batch, actor_files: tuple[Path, ...] = ()) -> list[WorkerResult]:
    """Language, signature and records of each article of a batch, in order (the
    unit of work every engine runs); articles not in English are not coded."""
    found = {a.id: WorkerResult(a.id, language_of(a.text)) for a in articles}
    english = [a for a in articles if found[a.id].language == "en"]
    for coded in code_articles(english, actor_files, batch_size=max(1, len(english))):
        result = found[coded.article.id]
        result.events, result.quotes, result.tokens = coded.events, coded.quotes, coded.tokens
        result.error = coded.error
        result.signature = signature(coded.article.text)
    return [found[a.id] for a in articles]


def default_workers() -> int:
    """The machine's cores (those this process may use)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Engine(Protocol):
    name: str
    workers: int

    def code(self, batches: Iterable[Batch]) -> Iterator[list[WorkerResult]]:
        """The coded articles of each batch, in the order the batches came."""

    def close(self) -> None:
        """Stop the engine's workers."""


class SerialEngine:
    """Everything in this process."""

    name = "serial"

    def __init__(self, actor_files: tuple[Path, ...] = ()) -> None:
        self.actor_files = actor_files
        self.workers = 1

    def code(self, batches: Iterable[Batch]) -> Iterator[list[WorkerResult]]:
        for batch in batches:
            yield code_batch(batch, self.actor_files)

    def close(self) -> None:
        pass


def _warm(actor_files: tuple[Path, ...]) -> None:
    """Load the model and data in a new worker before its first batch."""
    code_batch([Article.create("Warm-up.")], actor_files)


class PoolEngine:
    """A local pool of worker processes (spawned, each loading the model once)."""

    name = "pool"

    def __init__(self, workers: int, actor_files: tuple[Path, ...] = ()) -> None:
        self.workers = max(1, workers)
        self.actor_files = actor_files
        self._pool = ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_warm, initargs=(actor_files,))

    def code(self, batches: Iterable[Batch]) -> Iterator[list[WorkerResult]]:
        ahead: deque[Future] = deque()
        for batch in batches:
            ahead.append(self._pool.submit(code_batch, batch, self.actor_files))
            if len(ahead) >= 2 * self.workers:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class _RayCoder:
    """A Ray Data actor: loads the model once, codes the batches it is given."""

    def __init__(self, actor_files: tuple[str, ...]) -> None:
        self.actor_files = tuple(Path(p) for p in actor_files)
        _warm(self.actor_files)

    def __call__(self, rows: dict) -> dict:
        coded = [pickle.dumps(code_batch(pickle.loads(b), self.actor_files))
                 for b in rows["batch"]]
        return {"seq": rows["seq"], "coded": coded}


class RayEngine:
    """Ray Data: batches go out as a dataset in windows, coded by one actor per
    worker, results read back in order. ``address``: a running cluster (else
    ``RAY_ADDRESS``, else a local Ray with ``workers`` CPUs)."""

    name = "ray"
    WINDOW = 256  # batches per dataset (its actors load the model once per window)

    def __init__(self, workers: int, actor_files: tuple[Path, ...] = (),
                 address: str | None = None) -> None:
        try:
            import ray
        except ImportError as exc:
            raise RedlineError("--engine ray needs Ray: pip install 'redline[ray]'") from exc
        self._ray = ray
        self.workers = max(1, workers)
        self.actor_files = actor_files
        self._started = not ray.is_initialized()
        if self._started:
            address = address or os.environ.get("RAY_ADDRESS")
            ray.init(address=address, num_cpus=None if address else self.workers,
                     include_dashboard=False, log_to_driver=False,
                     ignore_reinit_error=True, logging_level="ERROR")
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False

    def _window(self, batches: list[Batch]) -> Iterator[list[WorkerResult]]:
        rows = [{"seq": i, "batch": pickle.dumps(b)} for i, b in enumerate(batches)]
        dataset = self._ray.data.from_items(rows).map_batches(
            _RayCoder, batch_size=1, concurrency=min(self.workers, len(rows)),
            fn_constructor_args=(tuple(str(p) for p in self.actor_files),))
        for expected, row in enumerate(dataset.iter_rows()):
            if row["seq"] != expected:
                raise RedlineError(f"Ray returned batch {row['seq']} where {expected} was due")
            yield pickle.loads(row["coded"])

    def code(self, batches: Iterable[Batch]) -> Iterator[list[WorkerResult]]:
        window: list[Batch] = []
        for batch in batches:
            window.append(batch)
            if len(window) == self.WINDOW:
                yield from self._window(window)
                window = []
        if window:
            yield from self._window(window)

    def close(self) -> None:
        if self._started:
            self._ray.shutdown()


def make_engine(name: str, workers: int | None = None, actor_files: tuple[Path, ...] = (),
                address: str | None = None) -> Engine:
    """An engine by name: ``serial``, ``pool`` (``workers`` processes) or ``ray``."""
    workers = workers or default_workers()
    if name == "ray":
        return RayEngine(workers, actor_files, address)
    if name == "pool" and workers > 1:
        return PoolEngine(workers, actor_files)
    if name in ("serial", "pool"):
        return SerialEngine(actor_files)
    raise RedlineError(f"unknown engine {name!r} (serial, pool or ray)")
