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


def test_ingest_an_interrupted_run_resumes_to_the_same_database(feed: str, monkeypatch):
    monkeypatch.setattr("redline.runner.BATCH", 2)  # written two by two
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


def test_ingest_an_article_too_long_to_parse_is_rejected_and_the_run_goes_on(tmp_path: Path):
    from redline.nlp.pipeline import MAX_CHARS

    path = tmp_path / "long.jsonl"
    long_text = "Russia massed troops near the border. " * (MAX_CHARS // 30)
    path.write_text(json.dumps({"text": long_text}) + "\n" + json.dumps({"text": TEXTS[0]}))
    with Store(":memory:") as store:
        report = ingest([str(path)], store, ReadOptions(max_mb=50))
        assert report.added == 1
        [reject] = report.rejects
        assert reject.source.endswith("long.jsonl:1") and "too long to parse" in reject.problem


def test_ingest_an_engine_that_fails_is_a_clear_error_and_keeps_what_is_stored(feed: str):
    from redline.engines import SerialEngine
    from redline.errors import RedlineError

    class Dying(SerialEngine):
        def code(self, batches):
            for number, coded in enumerate(super().code(batches)):
                if number == 1:
                    raise BrokenPipeError("worker 2 died")
                yield coded

    with Store(":memory:") as store, pytest.MonkeyPatch.context() as patch:
        patch.setattr("redline.runner.BATCH", 2)
        with pytest.raises(RedlineError, match="serial engine failed.*worker 2 died.*again"):
            ingest([feed], store, ReadOptions(), engine=Dying())
        assert store.summary()["articles"] == 2  # the first batch stays
        [run] = store.runs().to_pylist()
        assert run["finished"] is None  # an interrupted run shows as such
