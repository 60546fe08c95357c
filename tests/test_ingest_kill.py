"""kill -9 at any point, then the same command again: the database an
uninterrupted run gives, nothing lost and nothing doubled."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from redline.ingest.sources import ReadOptions
from redline.runner import ingest
from redline.store import Store
from support import database_content, sample_with_copy

pytestmark = pytest.mark.slow
REDLINE = [sys.executable, "-m", "redline"]  # this Python's redline, whatever PATH says


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return sample_with_copy(tmp_path_factory.mktemp("kill") / "corpus.jsonl", 16,
                            copy_of=2, at=8)


def ingest_killed(corpus: Path, db: Path, wal_bytes: int) -> bool:
    """Run `redline ingest` and kill -9 it once its write-ahead log holds ``wal_bytes``
    (0: at once); True if it was killed before it finished."""
    command = [*REDLINE, "ingest", str(corpus), "--db", str(db), "--no-progress",
               "--engine", "serial"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = Path(f"{db}.wal")
    deadline = time.monotonic() + 180
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size >= wal_bytes:
            break
        time.sleep(0.002)
    proc.kill()
    proc.wait()
    return proc.returncode == -9


def test_ingest_killed_at_several_points_resumes_to_the_uninterrupted_database(
        corpus: Path, tmp_path: Path):
    with Store(":memory:") as whole:
        ingest([str(corpus)], whole, ReadOptions())
        expected = database_content(whole)
    db = tmp_path / "killed.duckdb"
    # the run recorded, no article yet; a few articles in; about half of them in
    killed = [ingest_killed(corpus, db, n) for n in (8_000, 60_000, 500_000)]
    assert sum(killed) >= 2  # at least two kills landed mid-run
    finished = subprocess.run([*REDLINE, "ingest", str(corpus), "--db", str(db),
                               "--no-progress", "--engine", "serial"],
                              capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    with Store(db) as store:
        assert database_content(store) == expected
        runs = store.runs().to_pylist()
    # the last run finished; a killed run, if it got as far as starting, shows unfinished
    assert runs[0]["finished"] is not None
    assert sum(r["finished"] is None for r in runs) <= sum(killed)
