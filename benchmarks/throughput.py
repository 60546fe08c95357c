"""Throughput of `redline extract` against raw spaCy `nlp.pipe` on the same texts.

    python benchmarks/throughput.py [--limit N] [--corpus PATH]

Reads ../shared/corpora/kremlin-en-2021-10_2022-06.jsonl (or --corpus; the
bundled sample corpus when neither is there), runs the packaged spaCy model's
`nlp.pipe` over the texts (the baseline) and redline's full extraction (entity
ruler, coder, quotes) over the same texts in the same process, alternating
twice, and prints tokens/s of each and their ratio (best run of each).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import spacy

from redline.data import data_path
from redline.extract import extract_articles, prepare_text
from redline.model import Article
from redline.nlp.pipeline import MODEL_PACKAGE

SHARED_CORPUS = (Path(__file__).resolve().parents[2] / "shared" / "corpora"
                 / "kremlin-en-2021-10_2022-06.jsonl")
BATCH_SIZE = 32


def load_texts(path: Path, limit: int | None) -> list[str]:
    texts = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                texts.append(json.loads(line)["text"])
            if limit and len(texts) >= limit:
                break
    return texts


def baseline(nlp, texts: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=BATCH_SIZE))
    return time.perf_counter() - start, tokens


def redline_extract(articles: list[Article]) -> tuple[float, int]:
    start = time.perf_counter()
    events = sum(len(ev) for _, ev, _ in extract_articles(articles, batch_size=BATCH_SIZE))
    return time.perf_counter() - start, events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None, help="use the first N texts")
    args = parser.parse_args()
    corpus = args.corpus or (SHARED_CORPUS if SHARED_CORPUS.exists()
                             else data_path("corpus", "sample.jsonl"))
    texts = [prepare_text(t) for t in load_texts(corpus, args.limit)]
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
    base_rate = tokens / min(base_times)
    red_rate = tokens / min(red_times)
    print(f"corpus: {corpus} ({len(texts)} texts, {tokens:,} tokens)")
    print(f"raw spaCy nlp.pipe : {base_rate:10,.0f} tokens/s")
    print(f"redline extract    : {red_rate:10,.0f} tokens/s ({events:,} events)")
    print(f"ratio              : {red_rate / base_rate:10.2f}  (goal >= 0.85)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
