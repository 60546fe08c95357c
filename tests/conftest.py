"""Shared fixtures: an in-memory store, the shared folder, hand-built articles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

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
