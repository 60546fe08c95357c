"""Serial, pooled and Ray runs store the same database."""


import pytest

from redline.engines import PoolEngine, SerialEngine, code_batch, make_engine
from redline.ingest.sources import ReadOptions
from redline.model import Article
from redline.runner import ingest
from redline.store import Store
from support import database_content, sample_with_copy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> str:
    """The sample corpus, with a syndicated copy and a line that cannot be read."""
    path = tmp_path_factory.mktemp("engines") / "corpus.jsonl"
    return str(sample_with_copy(path, 24, copy_of=3, at=10, extra=("{broken",)))


def stored(corpus: str, engine) -> tuple:
    with Store(":memory:") as store:
        report = ingest([corpus], store, ReadOptions(), engine=engine)
        assert (report.added, report.copies, len(report.rejects)) == (24, 1, 1)
        return database_content(store)


@pytest.fixture(scope="module")
def serial(corpus: str) -> tuple:
    return stored(corpus, SerialEngine())


def test_engines_code_batch_keeps_order_counts_tokens_and_leaves_other_languages():
    texts = ("Russia massed troops.", "Les troupes russes se sont massées à la frontière "
             "ukrainienne lundi, selon des responsables à Kiev.", "NATO met Russia.")
    articles = [Article.create(t) for t in texts]
    coded = code_batch(articles)
    assert [c.article_id for c in coded] == [a.id for a in articles]
    assert [c.language for c in coded] == ["en", "fr", "en"]
    english = [coded[0], coded[2]]
    assert all(c.tokens > 0 and c.error is None and c.signature for c in english)
    assert coded[1].tokens == 0 and not coded[1].events and coded[1].signature is None


def test_engines_a_process_pool_stores_what_a_serial_run_stores(corpus: str, serial: tuple,
                                                              monkeypatch):
    monkeypatch.setattr("redline.runner.BATCH", 3)  # more batches than the pool holds at once
    assert stored(corpus, PoolEngine(2)) == serial


def test_engines_ray_stores_what_a_serial_run_stores(corpus: str, serial: tuple):
    pytest.importorskip("ray")
    assert stored(corpus, make_engine("ray", 2)) == serial


def test_engines_unknown_engine_is_an_error():
    from redline.errors import RedlineError

    with pytest.raises(RedlineError, match="unknown engine"):
        make_engine("spark")


def test_engines_default_to_the_machine_s_cores(monkeypatch):
    monkeypatch.setattr("redline.engines.default_workers", lambda: 1)
    assert isinstance(make_engine("pool"), SerialEngine)  # one core: no pool to start


