"""The PostgreSQL store against the DuckDB store on the same reports: the same
records, views and analyses; two ingest processes at once lose and double
nothing; every command takes a postgresql:// --db."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.analyse.alerts import evaluate, load_rules
from redline.cli import app
from redline.data import data_path
from redline.ingest.sources import ReadOptions
from redline.runner import ingest
from redline.store import EventFilter, Store, open_store, table_records

pytestmark = pytest.mark.slow


def sample(path: Path, count: int, skip: int = 0) -> Path:
    lines = data_path("corpus", "sample.jsonl").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[skip:skip + count]) + "\n", encoding="utf-8")
    return path


def content(store) -> tuple:
    """What both backends must hold alike (less clocks and run ids)."""
    events = table_records(store.events(counts=True))
    quotes = table_records(store.quotes())
    articles = sorted((r["id"], r["n_events"], r["n_quotes"])
                      for r in table_records(store.articles()))
    return articles, events, quotes


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    return sample(tmp_path_factory.mktemp("pg") / "reports.jsonl", 12)


def test_store_postgres_holds_and_answers_what_duckdb_does(postgres_url: str, reports: Path):
    with Store(":memory:") as duck, open_store(postgres_url) as pg:
        for store in (duck, pg):
            ingest([str(reports)], store, ReadOptions())
        assert content(pg) == content(duck)
        assert pg.summary() == duck.summary()
        assert pg.dyad_rows(None, None, None) == duck.dyad_rows(None, None, None)
        assert pg.dyad_rows(None, None, {"RUS"}) == duck.dyad_rows(None, None, {"RUS"})
        assert pg.daily_stories() == duck.daily_stories()
        for filters in (EventFilter(), EventFilter(actor="RUS"), EventFilter(country="UKR"),
                        EventFilter(text="troops", quad=4), EventFilter(recipient="Ukraine")):
            assert pg.counts_over_time(filters, "week") == duck.counts_over_time(filters,
                                                                                  "week")
            assert pg.actors(filters).to_pylist() == duck.actors(filters).to_pylist()
            assert sorted(map(str, pg.places(filters))) == sorted(map(str, duck.places(filters)))
            assert table_records(pg.events(filters)) == table_records(duck.events(filters))
        assert pg.counterparts("RUS") == duck.counterparts("RUS")
        page, key = pg.events_page(EventFilter(), 7)
        assert (page.to_pylist(), key) == (duck.events_page(EventFilter(), 7)[0].to_pylist(),
                                           duck.events_page(EventFilter(), 7)[1])
        assert pg.quotes_page(limit=5)[1] == duck.quotes_page(limit=5)[1]
        assert pg.articles_page(limit=4)[1] == duck.articles_page(limit=4)[1]
        assert evaluate(pg, load_rules()) == evaluate(duck, load_rules())
        first = table_records(pg.events())[0]
        assert pg.event(first["id"]) == duck.event(first["id"])
        upserts, deleted, cursor = pg.changes_since(0)  # the order within a batch may differ
        theirs = duck.changes_since(0)
        assert (sorted(upserts), deleted, cursor) == (sorted(theirs[0]), theirs[1], theirs[2])


def test_store_postgres_two_ingests_at_once_lose_and_double_nothing(postgres_url: str,
                                                                     tmp_path: Path):
    both = sample(tmp_path / "both.jsonl", 10)
    half = sample(tmp_path / "half.jsonl", 6, skip=4)  # shares six reports with both
    first = json.loads(both.read_text(encoding="utf-8").splitlines()[0])
    with half.open("a", encoding="utf-8") as extra:  # a syndicated copy of both's first
        extra.write(json.dumps({**first, "url": "https://wire.example/copy",
                                "source": "Wire"}) + "\n")
    env = {**os.environ, "REDLINE_DB": postgres_url}
    command = [sys.executable, "-m", "redline", "ingest", "--engine", "serial",
               "--no-progress", "--rejects", str(tmp_path / "rejects.jsonl")]
    runs = [subprocess.Popen([*command, str(path)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for path in (both, half)]
    for run in runs:
        _, error = run.communicate(timeout=300)
        assert run.returncode == 0, error.decode()[-2000:]
    with Store(":memory:") as alone, open_store(postgres_url) as pg:
        ingest([str(both), str(half)], alone, ReadOptions())  # the same, one after the other
        stored, expected = content(pg), content(alone)
        assert len(stored[0]) == len(expected[0]) == 11  # ten reports and the copy
        assert sorted(e["id"] for e in stored[1] if e["article_id"] != first_id(pg)) == \
            sorted(e["id"] for e in expected[1] if e["article_id"] != first_id(alone))
        assert len(stored[1]) == len(expected[1]) and len(stored[2]) == len(expected[2])
        twice = pg.con.execute("SELECT content_hash FROM articles WHERE cluster_id = id "
                               "GROUP BY 1 HAVING count(*) > 1").fetchall()
        assert twice == []  # no text stored as two stories
        upserts, _, _ = pg.changes_since(0)
        assert {e["id"] for e in stored[1]} <= set(upserts)


def first_id(store) -> str:
    """The id of the story of the first report (its copy may have come first)."""
    return store.con.execute("SELECT cluster_id FROM articles WHERE url = "
                             "'https://wire.example/copy'").fetchone()[0]


def test_store_postgres_serves_every_command(postgres_url: str, reports: Path,
                                             tmp_path: Path):
    runner = CliRunner()
    stored = runner.invoke(app, ["ingest", str(reports), "--db", postgres_url,
                                 "--engine", "serial", "--no-progress"])
    assert stored.exit_code == 0, stored.output
    listed = runner.invoke(app, ["events", "--db", postgres_url, "--actor", "RUS",
                                 "--format", "json"])
    assert listed.exit_code == 0 and listed.stdout.strip()
    trend = runner.invoke(app, ["trend", "--dyad", "RUS:UKR", "--db", postgres_url])
    assert trend.exit_code == 0, trend.output
    out = tmp_path / "events.plover"
    exported = runner.invoke(app, ["export", "--db", postgres_url, "--format", "plover",
                                   "--actor", "RUS", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert len(out.read_text().splitlines()) == len(listed.stdout.strip().splitlines())
    gdelt = tmp_path / "events.tsv"
    runner.invoke(app, ["export", "--db", postgres_url, "--format", "gdelt", "--out",
                        str(gdelt)])
    imported = runner.invoke(app, ["import", str(gdelt), "--format", "gdelt", "--dataset",
                                   "self", "--db", postgres_url])
    assert imported.exit_code == 0, imported.output
    compared = runner.invoke(app, ["compare", "--dyad", "RUS:UKR", "--with", "gdelt",
                                   "--db", postgres_url, "--json"])
    assert compared.exit_code == 0, compared.output
    assert json.loads(compared.stdout.splitlines()[-1])["events_r"] is not None


def test_store_postgres_behind_the_rest_api(postgres_url: str, reports: Path):
    from fastapi.testclient import TestClient

    from redline.serve.app import create_app
    from serving import config_for

    with open_store(postgres_url) as pg:
        ingest([str(reports)], pg, ReadOptions())
    with TestClient(create_app(config_for(postgres_url))) as client:
        assert client.get("/api/health").json()["events"] > 0
        page = client.get("/api/events", params={"actor": "RUS", "limit": 3}).json()
        assert page["items"] and page["next_cursor"]
        more = client.get("/api/events", params={"actor": "RUS", "limit": 3,
                                                 "cursor": page["next_cursor"]}).json()
        assert not {e["id"] for e in more["items"]} & {e["id"] for e in page["items"]}
        assert client.get("/api/series", params={"dyad": "RUS:UKR"}).status_code == 200
        assert client.get("/", headers={"Accept": "text/html"}).status_code == 200


def test_store_postgres_sync_and_imports(postgres_url: str, reports: Path, tmp_path: Path):
    from redline.exchange.exporters import export
    from redline.exchange.imports import import_files

    with open_store(postgres_url) as pg:
        ingest([str(sample(tmp_path / "six.jsonl", 6))], pg, ReadOptions())
        first = export(pg, "csv", tmp_path / "all.csv")
        ingest([str(reports)], pg, ReadOptions())  # six more
        added = export(pg, "plover", tmp_path / "delta.jsonl", since_cursor=first.cursor)
        ids = [json.loads(line)["id"] for line in (tmp_path / "delta.jsonl").open()]
        latest = table_records(pg.articles())[-1]["id"]
        gone_events = pg.events(EventFilter(article_id=latest)).column("id").to_pylist()
        pg.delete_articles([latest])
        gone = export(pg, "csv", tmp_path / "gone.csv", since_cursor=added.cursor)
        export(pg, "gdelt", tmp_path / "all.tsv")
        for _ in range(2):
            imported = import_files(pg, "gdelt", [tmp_path / "all.tsv"], "self")
        rows = pg.con.execute("SELECT count(*) FROM gdelt_events").fetchone()[0]
        total = pg.counts()["events"]
    assert added.rows == len(ids) > 0 and added.deleted == 0
    assert gone.rows == 0 and sorted(gone.deleted_path.read_text().split()) == sorted(
        gone_events)
    assert imported.rows == rows == total
