"""Throughput of redline against raw spaCy `nlp.pipe` on the same texts, in one
process and on a pool of worker processes, and of a full ingest into DuckDB.

    python benchmarks/throughput.py [--limit N] [--corpus PATH] [--workers N]

Reads ../shared/corpora/kremlin-en-2021-10_2022-06.jsonl (or --corpus; the
bundled sample corpus when neither is there). Prints, for the same texts:

- raw spaCy `nlp.pipe` tokens/s in this process, and redline's extraction
  (entity ruler, coder, quotes) in this process, alternating, best of two;
- raw spaCy on N worker processes and redline's extraction on N workers
  (the engine `redline ingest --workers N` uses: coding, language and
  near-duplicate signatures), alternating, best of two, and the scaling
  ratio of redline on N workers against redline in one process;
- peak memory (resident set) of each redline worker;
- a full `ingest` into a new DuckDB file on N workers (reading, language,
  duplicates, coding, storing): articles/s, tokens/s and its ratio to raw
  spaCy on the same number of workers.

Worker pools are started and warmed (model loaded) before they are timed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import spacy

from redline.data import data_path
from redline.engines import PoolEngine
from redline.extract import extract_articles, prepare_text
from redline.ingest.sources import ReadOptions
from redline.model import Article
from redline.nlp.pipeline import MODEL_PACKAGE
from redline.runner import BATCH, ingest
from redline.store import Store

SHARED_CORPUS = (Path(__file__).resolve().parents[2] / "shared" / "corpora"
                 / "kremlin-en-2021-10_2022-06.jsonl")
BATCH_SIZE = 32


def load_rows(path: Path, limit: int | None) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


def baseline(nlp, texts: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=BATCH_SIZE))
    return time.perf_counter() - start, tokens


def redline_extract(articles: list[Article]) -> tuple[float, int]:
    start = time.perf_counter()
    events = sum(len(ev) for _, ev, _ in extract_articles(articles, batch_size=BATCH_SIZE))
    return time.perf_counter() - start, events


_NLP = None


def _load_raw() -> None:
    global _NLP
    _NLP = spacy.load(MODEL_PACKAGE)


def _raw_batch(texts: list[str]) -> int:
    return sum(len(doc) for doc in _NLP.pipe(texts, batch_size=BATCH_SIZE))


def batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def raw_pool(texts: list[str], workers: int) -> float:
    """Seconds raw spaCy takes over the texts on a warmed pool of ``workers``."""
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_load_raw) as pool:
        list(pool.map(_raw_batch, [texts[:4]] * workers))  # warm every worker
        start = time.perf_counter()
        list(pool.map(_raw_batch, batches(texts, BATCH)))
        return time.perf_counter() - start


def warmed_engine(workers: int) -> PoolEngine:
    engine = PoolEngine(workers)
    list(engine.code([[Article.create(f"Warm-up {i}.")] for i in range(2 * workers)]))
    return engine


def peak_memory_mb(engine: PoolEngine) -> list[float]:
    """Peak resident memory (VmHWM) of each worker of a pool, in MB (Linux)."""
    peaks = []
    for pid in sorted(engine._pool._processes or {}):  # noqa: SLF001 - measuring only
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
    return peaks


def pooled_extract(articles: list[Article], workers: int) -> tuple[float, list[float]]:
    engine = warmed_engine(workers)
    try:
        start = time.perf_counter()
        for _ in engine.code(batches(articles, BATCH)):
            pass
        seconds = time.perf_counter() - start
        return seconds, peak_memory_mb(engine)
    finally:
        engine.close()


def full_ingest(rows: list[dict], workers: int) -> tuple[float, int, int]:
    """Seconds, articles stored and tokens of an ingest of the rows into a new DuckDB."""
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        with Store(Path(folder) / "bench.duckdb") as store:
            engine = warmed_engine(workers)
            start = time.perf_counter()
            report = ingest([str(corpus)], store, ReadOptions(), forced="jsonl", engine=engine)
            return time.perf_counter() - start, report.added + report.copies, report.tokens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None, help="use the first N texts")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    corpus = args.corpus or (SHARED_CORPUS if SHARED_CORPUS.exists()
                             else data_path("corpus", "sample.jsonl"))
    rows = load_rows(corpus, args.limit)
    texts = [prepare_text(r["text"]) for r in rows]
    articles = [Article.create(t) for t in texts]
    nlp = spacy.load(MODEL_PACKAGE)
    # warm up both (model loading, knowledge base, lexicon) on a few texts
    baseline(nlp, texts[:20])
    redline_extract(articles[:20])
    base_times, red_times, tokens, events = [], [], 0, 0
    for _ in range(2):
        seconds, tokens = baseline(nlp, texts)
        base_times.append(seconds)
        seconds, events = redline_extract(articles)
        red_times.append(seconds)
    base_rate, red_rate = tokens / min(base_times), tokens / min(red_times)
    n = args.workers
    raw_seconds, pool_seconds, peaks = [], [], []
    for _ in range(2):  # alternating, best of two, as in one process
        raw_seconds.append(raw_pool(texts, n))
        seconds, peaks = pooled_extract(articles, n)
        pool_seconds.append(seconds)
    raw_n, red_n = tokens / min(raw_seconds), tokens / min(pool_seconds)
    ingest_seconds, stored, ingest_tokens = full_ingest(rows, n)
    print(f"corpus: {corpus} ({len(texts)} texts, {tokens:,} tokens)")
    print(f"raw spaCy nlp.pipe, 1 process    : {base_rate:10,.0f} tokens/s")
    print(f"redline extract, 1 process       : {red_rate:10,.0f} tokens/s ({events:,} events)"
          f"  ratio {red_rate / base_rate:.2f}")
    print(f"raw spaCy nlp.pipe, {n} workers    : {raw_n:10,.0f} tokens/s")
    print(f"redline extract, {n} workers       : {red_n:10,.0f} tokens/s"
          f"  ratio {red_n / raw_n:.2f}; scaling {red_n / red_rate:.2f} (goal >= 1.7 on 2)")
    print(f"peak memory per redline worker   : {', '.join(f'{p:,.0f} MB' for p in peaks)}")
    print(f"full ingest into DuckDB, {n} workers: {stored / ingest_seconds:10,.1f} articles/s, "
          f"{ingest_tokens / ingest_seconds:,.0f} tokens/s  ratio to raw spaCy on {n} workers "
          f"{ingest_tokens / ingest_seconds / raw_n:.2f} (goal >= 0.8)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
