"""runner.ingest(): idempotent, resumable, and robust to an article the coder fails on."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from redline.ingest.sources import ReadOptions
from redline.runner import ingest
from redline.store import Store

pytestmark = pytest.mark.slow
# the stage, not the function `redline.extract` that shadows it on the package
extract_stage = importlib.import_module("redline.extract")

TEXTS = [
    "Russia massed troops near the Ukrainian border.",
    "NATO condemned the build-up.",
    "Blinken met Lavrov in Geneva on Friday.",
    "Russian forces shelled Kharkiv, killing 11 civilians.",
]


@pytest.fixture
def feed(tmp_path: Path) -> str:
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(
        json.dumps({"url": f"https://x.example/{i}", "published": "2022-02-24", "text": t})
        + "\n" for i, t in enumerate(TEXTS)))
    return str(path)


def snapshot(store: Store) -> tuple:
    return (store.articles().column("id").to_pylist(),
            store.events().to_pylist(), store.quotes().to_pylist())


def test_ingest_an_interrupted_run_resumes_to_the_same_database(feed: str):
    with Store(":memory:") as whole:
        ingest([feed], whole, ReadOptions())
        expected = snapshot(whole)
    with Store(":memory:") as store:
        def stop_after_two(_report):
            if store.summary()["articles"] == 2:
                raise KeyboardInterrupt
        with pytest.raises(KeyboardInterrupt):
            ingest([feed], store, ReadOptions(), on_progress=stop_after_two)
        assert store.summary()["articles"] == 2
        report = ingest([feed], store, ReadOptions())
        assert (report.added, report.skipped) == (2, 2)
        assert snapshot(store) == expected


def test_ingest_an_article_the_coder_fails_on_is_rejected_not_fatal(feed: str, monkeypatch):
    real = extract_stage.extract_doc

    def flaky(doc, article, ctx):
        if "NATO" in article.text:
            raise ValueError("boom")
        return real(doc, article, ctx)

    monkeypatch.setattr(extract_stage, "extract_doc", flaky)
    with Store(":memory:") as store:
        report = ingest([feed], store, ReadOptions())
        assert report.added == 3
        [reject] = report.rejects
        assert reject.source.endswith("feed.jsonl:2") and "boom" in reject.problem
