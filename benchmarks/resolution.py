"""What actor resolution costs: its share of extraction time, and start-up.

    python benchmarks/resolution.py [--limit N]

Times, in one run over the same texts as benchmarks/throughput.py, the whole
extraction and, inside it, the time spent in actor resolution (building each
article's resolver and every resolve call), by wrapping those methods with a
timer; and, separately, loading the knowledge base and building the pipeline.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time

from throughput import SHARED_CORPUS, load_texts

from redline.data import data_path
from redline.extract import actors, extract_articles, prepare_text
from redline.model import Article
from redline.nlp.gazetteer import load_gazetteer
from redline.nlp.kb import load_kb
from redline.nlp.pipeline import build_nlp, load_nlp


def timed(spent: list[float], method):
    depth = [0]

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        depth[0] += 1
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:  # count nested calls once
                spent[0] += time.perf_counter() - start
    return wrapper


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    corpus = SHARED_CORPUS if SHARED_CORPUS.exists() else data_path("corpus", "sample.jsonl")
    start = time.perf_counter()
    kb = load_kb()
    kb_seconds = time.perf_counter() - start
    start = time.perf_counter()
    build_nlp(kb, load_gazetteer())
    build_seconds = time.perf_counter() - start
    articles = [Article.create(prepare_text(t)) for t in load_texts(corpus, args.limit)]
    load_nlp()
    list(extract_articles(articles[:10]))  # warm up
    spent = [0.0]
    cls = actors.ActorResolver
    for name in ("__init__", "resolve", "resolve_thing", "speaker_of"):
        setattr(cls, name, timed(spent, getattr(cls, name)))
    start = time.perf_counter()
    events = sum(len(e) for _, e, _ in extract_articles(articles))
    total = time.perf_counter() - start
    print(f"corpus: {corpus} ({len(articles)} texts, {events:,} events)")
    print(f"knowledge base load      : {kb_seconds:6.2f} s  (goal < 1 s)")
    print(f"pipeline build with ruler: {build_seconds:6.2f} s")
    print(f"extraction               : {total:6.2f} s")
    print(f"of which actor resolution: {spent[0]:6.2f} s = {spent[0] / total:.1%}  (goal <= 5%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
