"""Exports in every format, incremental sync with deletions, imports of PLOVER
and GDELT data, and the comparison of our series with theirs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.exchange.compare import compare
from redline.exchange.exporters import export
from redline.exchange.imports import import_files
from redline.ingest.sources import ReadOptions
from redline.runner import ingest
from redline.store import EventFilter, Store
from redline.store.schema import GDELT_COLUMNS

pytestmark = pytest.mark.slow


@pytest.fixture
def db(sample_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "exchange.duckdb"
    shutil.copy(sample_db, target)
    return target


def test_exchange_every_format_holds_every_event(db: Path, tmp_path: Path):
    with Store(db) as store:
        total = store.counts()["events"]
        located = store._one("SELECT count(*) FROM events WHERE event_loc.lat IS NOT NULL")[0]
        reports = {fmt: export(store, fmt, tmp_path / f"all.{fmt}")
                   for fmt in ("parquet", "csv", "plover", "gdelt", "geojson")}
    assert {f: r.rows for f, r in reports.items()} == {
        "parquet": total, "csv": total, "plover": total, "gdelt": total, "geojson": located}
    months = ds.dataset(tmp_path / "all.parquet", format="parquet", partitioning="hive")
    assert months.count_rows() == total
    assert any(p.name.startswith("month=2022-02") for p in (tmp_path / "all.parquet").iterdir())
    plover = [json.loads(line) for line in (tmp_path / "all.plover").open()]
    assert len({r["id"] for r in plover}) == total
    assert {"id", "date", "actor", "event", "quad_code", "event_scale", "mode", "context",
            "cite_info"} <= set(plover[0])
    assert isinstance(plover[0]["event"], list) and "code" in plover[0]["actor"][0]
    rows = [line.rstrip("\n").split("\t") for line in (tmp_path / "all.gdelt").open()]
    assert {len(r) for r in rows} == {len(GDELT_COLUMNS)} == {61}
    assert len({r[0] for r in rows}) == total and all(r[1].isdigit() for r in rows)
    features = json.loads((tmp_path / "all.geojson").read_text())["features"]
    assert all(f["geometry"]["type"] == "Point" for f in features)


def test_exchange_exports_take_the_filters_of_events(db: Path, tmp_path: Path):
    with Store(db) as store:
        report = export(store, "plover", tmp_path / "rus.jsonl",
                        EventFilter(actor="RUS", event="MOBILIZE"))
    records = [json.loads(line) for line in (tmp_path / "rus.jsonl").open()]
    assert report.rows == len(records) > 0
    assert all(r["event"] == ["MOBILIZE"] and "RUS" in {a.get("code") for a in r["actor"]}
               for r in records)


def test_exchange_sync_gives_what_changed_deletions_included(db: Path, tmp_path: Path):
    news = tmp_path / "news.jsonl"
    news.write_text(json.dumps({
        "text": "Belarusian troops shelled Lithuanian border posts on Friday, Lithuania's "
                "defence ministry said.", "published": "2022-03-18",
        "url": "https://example.org/belarus"}) + "\n", encoding="utf-8")
    with Store(db) as store:
        first = export(store, "plover", tmp_path / "full.jsonl")
        ingest([str(news)], store, ReadOptions())
        added = export(store, "plover", tmp_path / "delta.jsonl", since_cursor=first.cursor)
        ids = [json.loads(line)["id"] for line in (tmp_path / "delta.jsonl").open()]
        article = store._one("SELECT id FROM articles WHERE url = ?",
                             ["https://example.org/belarus"])[0]
        store.delete_articles([article])
        gone = export(store, "csv", tmp_path / "delta2.csv", since_cursor=added.cursor)
        again = export(store, "csv", tmp_path / "none.csv", since_cursor=gone.cursor)
    assert added.rows == len(ids) > 0 and added.deleted == 0 and added.cursor > first.cursor
    assert gone.rows == 0 and gone.deleted == len(ids)
    assert sorted(gone.deleted_path.read_text().split()) == sorted(ids)
    assert again.rows == 0 and again.deleted == 0 and again.cursor == gone.cursor


def test_exchange_imports_are_idempotent_and_reject_bad_lines(db: Path, tmp_path: Path):
    with Store(db) as store:
        export(store, "gdelt", tmp_path / "ours.tsv")
        export(store, "plover", tmp_path / "ours.jsonl")
        total = store.counts()["events"]
        with (tmp_path / "ours.tsv").open("a") as extra:
            extra.write("1\t20220101\tonly three columns\n")
        with (tmp_path / "ours.jsonl").open("a") as extra:
            extra.write('{"id": "x", "date": "2022-01-01", "event": ["BOMB"]}\n{broken\n')
        for _ in range(2):  # twice: nothing doubles
            gdelt = import_files(store, "gdelt", [tmp_path / "ours.tsv"], "self")
            plover = import_files(store, "plover", [tmp_path / "ours.jsonl"], "self")
        stored = {t: store._one(f"SELECT count(*) FROM {t}")[0]
                  for t in ("gdelt_events", "plover_events")}
    assert gdelt.rows == plover.rows == total
    assert stored == {"gdelt_events": total, "plover_events": total}
    assert [(r.line, "61" in r.problem) for r in gdelt.rejects] == [(total + 1, True)]
    assert [r.line for r in plover.rejects] == [total + 1, total + 2]
    assert "BOMB" in plover.rejects[0].problem


def test_exchange_compare_puts_our_series_beside_theirs(db: Path, tmp_path: Path):
    with Store(db) as store:
        export(store, "gdelt", tmp_path / "ours.tsv")
        import_files(store, "gdelt", [tmp_path / "ours.tsv"], "self")
        found = compare(store, "gdelt:self", "RUS", "UKR", by="week")
        elsewhere = compare(store, "gdelt:none-such", "RUS", "UKR", by="week")
    assert found.rows and found.events_r is not None and found.events_r > 0.9
    assert all(r["theirs_events"] == 0 for r in elsewhere.rows)


def test_exchange_cli_export_sync_and_compare(db: Path, tmp_path: Path):
    runner = CliRunner()
    out, cursor = tmp_path / "sync.jsonl", tmp_path / "cursor"
    first = runner.invoke(app, ["export", "--db", str(db), "--format", "plover", "--out",
                                str(out), "--cursor-file", str(cursor)])
    assert first.exit_code == 0, first.output
    assert int(cursor.read_text()) > 0
    second = runner.invoke(app, ["export", "--db", str(db), "--format", "plover", "--out",
                                 str(out), "--cursor-file", str(cursor)])
    assert second.exit_code == 0 and out.read_text() == "" and "0 events" in second.output
    refused = runner.invoke(app, ["export", "--db", str(db), "--format", "csv", "--out",
                                  str(out)])
    assert refused.exit_code == 2 and "already exists" in refused.output
    unknown = runner.invoke(app, ["export", "--db", str(db), "--format", "xls", "--out",
                                  str(tmp_path / "x")])
    assert unknown.exit_code == 2 and "parquet" in unknown.output
    gdelt = tmp_path / "g.tsv"
    runner.invoke(app, ["export", "--db", str(db), "--format", "gdelt", "--out", str(gdelt)])
    imported = runner.invoke(app, ["import", str(gdelt), "--format", "gdelt", "--dataset",
                                   "self", "--db", str(db)])
    assert imported.exit_code == 0, imported.output
    picture = tmp_path / "compare.png"
    compared = runner.invoke(app, ["compare", "--dyad", "RUS:UKR", "--with", "gdelt",
                                   "--db", str(db), "--plot", str(picture), "--json"])
    assert compared.exit_code == 0, compared.output
    assert json.loads(compared.stdout.splitlines()[-1])["events_r"] > 0.9
    assert picture.read_bytes()[:4] == b"\x89PNG"
