"""Shared fixtures: an in-memory store, the shared folder, hand-built articles."""

from __future__ import annotations

import os
import uuid
from datetime import date
from pathlib import Path

import pytest

from redline.data import data_path
from redline.ingest.sources import ReadOptions
from redline.runner import ingest
from redline.store import Store, open_store

SHARED = Path(__file__).resolve().parents[2] / "shared"


POSTGRES = os.environ.get("REDLINE_TEST_POSTGRES")  # a database the tests may fill
REQUIRE_POSTGRES = os.environ.get("REDLINE_POSTGRES_TESTS") == "require"  # CI: never skip


@pytest.fixture
def postgres_url() -> str:
    """A PostgreSQL URL whose search path is a new, empty schema (dropped after)."""
    if not POSTGRES:
        if REQUIRE_POSTGRES:
            pytest.fail("PostgreSQL tests required but REDLINE_TEST_POSTGRES is not set")
        pytest.skip("no PostgreSQL to test against (set REDLINE_TEST_POSTGRES)")
    import psycopg

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in POSTGRES else "?"
    yield f"{POSTGRES}{joiner}options=-csearch_path%3D{schema}"
    with psycopg.connect(POSTGRES, autocommit=True) as con:
        con.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["duckdb", "postgres"])
def fresh_store(request):
    """An empty store of each backend (PostgreSQL when one is configured)."""
    if request.param == "duckdb":
        store = Store(":memory:")
    else:
        store = open_store(request.getfixturevalue("postgres_url"))
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
