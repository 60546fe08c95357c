"""Shared fixtures: an in-memory store, the shared folder, hand-built articles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from redline.data import data_path
from redline.ingest.sources import ReadOptions
from redline.runner import ingest
from redline.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def fresh_store():
    store = Store(":memory:")
    yield store
    store.close()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture
def published() -> date:
    return date(2021, 12, 6)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The bundled sample corpus, coded once a session (copy it before writing)."""
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    with Store(db) as store:
        ingest([str(data_path("corpus", "sample.jsonl"))], store, ReadOptions())
    return db
