"""The command line, end to end: extract, ingest, events, quotes, demo, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.store import Store

pytestmark = pytest.mark.slow

ARTICLE = ("Russia massed troops near the Ukrainian border on Monday. "
           "\"We will respond firmly,\" Ukrainian President Volodymyr Zelensky said.")


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    (folder / "b.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"url": "https://x.example/1", "title": "Talks", "published": "2022-01-10",
         "text": "Blinken met Lavrov in Geneva on Friday."},
        {"url": "https://x.example/2", "published": "2022-02-24",
         "text": "Russian forces shelled Kharkiv, killing 11 civilians."},
    ]) + "\n")
    return folder


def test_cli_extract_reads_stdin_and_writes_design_records():
    result = run("extract", "--published", "2021-12-06", "-", input=ARTICLE)
    assert result.exit_code == 0, result.output
    [mobilize] = [r for r in lines(result.stdout) if r["event"] == "MOBILIZE"]
    assert mobilize["date"] == "2021-12-06"
    assert mobilize["actor"][0]["code"] == "RUS"


def test_cli_extract_jsonl_takes_each_line_date(corpus: Path):
    result = run("extract", "--jsonl", str(corpus / "b.jsonl"))
    assert result.exit_code == 0, result.output
    events = {r["event"]: r for r in lines(result.stdout)}
    assert events["CONSULT"]["date"] == "2022-01-07"
    assert events["ASSAULT"]["magnitude"] == {"dead": 11}


def test_cli_extract_quotes():
    result = run("extract", "--published", "2021-12-06", "--what", "quotes", "-", input=ARTICLE)
    [quote] = lines(result.stdout)
    assert quote["text"] == "We will respond firmly"
    assert quote["speaker"]["code"] == "UKR" and quote["direct"] and not quote["anonymous"]


def test_cli_extract_bad_date_is_a_clear_error():
    result = run("extract", "--published", "next Tuesday", "-", input=ARTICLE)
    assert result.exit_code == 2
    assert "--published" in result.stderr and "next Tuesday" in result.stderr


def test_cli_ingest_twice_changes_nothing(tmp_path: Path, corpus: Path):
    db = str(tmp_path / "x.duckdb")
    first = run("ingest", str(corpus), "--db", db, "--no-progress", "--published", "2021-12-06")
    assert first.exit_code == 0, first.output
    assert "3 articles added" in first.stdout
    with Store(db) as store:
        before = (store.events().to_pylist(), store.quotes().to_pylist())
    second = run("ingest", str(corpus), "--db", db, "--no-progress", "--published", "2021-12-06")
    assert "0 articles added, 3 already stored" in second.stdout
    with Store(db) as store:
        assert (store.events().to_pylist(), store.quotes().to_pylist()) == before


def test_cli_bad_input_is_reported_and_the_rest_goes_in(tmp_path: Path, corpus: Path):
    db = str(tmp_path / "x.duckdb")
    assert run("ingest", str(corpus), "--db", db, "--no-progress").exit_code == 0
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (bad / "latin1.txt").write_bytes("Kyiv caf\u00e9".encode("latin-1"))
    (bad / "huge.txt").write_bytes(b"Russia massed troops. " * 2_400_000)  # ~50 MB
    (bad / "good.txt").write_text("NATO condemned Russia's build-up near Ukraine.")
    (bad / "feed.jsonl").write_text(
        json.dumps({"text": "Moscow rejected the demand."}) + "\n{broken\n"
        + json.dumps({"text": "Kyiv urged calm.", "published": "someday"}) + "\n")
    result = run("ingest", str(bad), "--db", db, "--no-progress", "--published", "2022-01-05")
    assert result.exit_code == 1
    for name, problem in [("empty.txt", "empty"), ("binary.txt", "binary"),
                          ("latin1.txt", "invalid UTF-8"), ("huge.txt", "too large"),
                          ("feed.jsonl:2", "malformed JSON"), ("feed.jsonl:3", "unknown date")]:
        assert name in result.stderr and problem in result.stderr, (name, result.stderr)
    assert "2 articles added" in result.stdout
    with Store(db) as store:
        assert store.articles().num_rows == 5  # the 3 from before are still there


def test_cli_events_formats_and_filters(tmp_path: Path, corpus: Path):
    db = str(tmp_path / "x.duckdb")
    run("ingest", str(corpus), "--db", db, "--no-progress", "--published", "2021-12-06")
    as_json = lines(run("events", "--db", db, "--format", "json", "--actor", "RUS").stdout)
    assert {r["event"] for r in as_json} >= {"MOBILIZE", "ASSAULT"}
    assert all(any(a["code"] == "RUS" for a in r["actor"]) for r in as_json)
    extracted = lines(run("extract", "--jsonl", str(corpus / "b.jsonl")).stdout)
    stored = lines(run("events", "--db", db, "--format", "json", "--since", "2022-01-01").stdout)
    assert stored == extracted  # same schema, same records
    csv_out = run("events", "--db", db, "--format", "csv", "--event", "ASSAULT").stdout
    header, row, *_ = csv_out.splitlines()
    assert header.startswith("id,article_id") and "RUS/MIL" in row
    table = run("events", "--db", db, "--status", "asserted", "--limit", "1").stdout
    assert "1 rows" in table


def test_cli_quotes_query(tmp_path: Path, corpus: Path):
    db = str(tmp_path / "x.duckdb")
    run("ingest", str(corpus), "--db", db, "--no-progress", "--published", "2021-12-06")
    [quote] = lines(run("quotes", "--db", db, "--speaker", "Zelensky", "--format",
                        "json").stdout)
    assert quote["cue"] == "said"


def test_cli_events_on_a_missing_database_is_a_clear_error(tmp_path: Path):
    result = run("events", "--db", str(tmp_path / "nope.duckdb"))
    assert result.exit_code == 2 and "no such database" in result.stderr


def test_cli_demo_builds_a_database_where_asked(tmp_path: Path):
    db = tmp_path / "demo.duckdb"
    result = run("demo", "--db", str(db), "--no-progress")
    assert result.exit_code == 0, result.output
    assert "98 articles" in result.stdout and str(db) in result.stdout.replace("\n", "")
    assert "RUS" in result.stdout and "ASSAULT" in result.stdout
    with Store(db) as store:
        assert store.summary()["articles"] == 98


def test_cli_actors_search_gives_the_role_on_a_day():
    [trump] = [r for r in lines(run("actors", "search", "Donald Trump", "--on", "2022-03-01",
                                    "--format", "json").stdout) if r["kind"] == "person"]
    assert (trump["code"], trump["sector"]) == ("USA", None)


def test_cli_actors_show_lists_roles():
    roles = lines(run("actors", "show", "person:donald-trump", "--format", "json").stdout)
    assert [r["start"] for r in roles] == ["2017-01-20", "2025-01-20"]
    assert run("actors", "show", "person:nobody").exit_code == 2


def test_cli_places_search():
    [kharkiv, *_] = lines(run("places", "search", "Kharkiv", "--format", "json").stdout)
    assert (kharkiv["country"], kharkiv["geonameid"]) == ("UKR", 706483)


def test_cli_user_actor_files_merge_in(tmp_path: Path, monkeypatch):
    mine = tmp_path / "mine.yaml"
    mine.write_text("- id: ivan-petrenko\n  name: Ivan Petrenko\n  country: UKR\n  roles:\n"
                    "    - {title: Governor of Sumy, code: UKR, sector: GOV, "
                    "start: '2021-01-01'}\n")
    text = "Ivan Petrenko condemned the shelling of Sumy."
    plain = lines(run("extract", "--published", "2022-03-01", "-", input=text).stdout)
    assert not any(r["event"] == "ACCUSE" and r["actor"] for r in plain)
    merged = lines(run("extract", "--published", "2022-03-01", "--actors", str(mine), "-",
                       input=text).stdout)
    [accuse] = [r for r in merged if r["event"] == "ACCUSE"]
    assert (accuse["actor"][0]["code"], accuse["actor"][0]["sector"]) == ("UKR", "GOV")
    monkeypatch.setenv("REDLINE_ACTORS", str(mine))  # the setting does the same
    merged = lines(run("extract", "--published", "2022-03-01", "-", input=text).stdout)
    assert any(r["event"] == "ACCUSE" and r["actor"][0]["code"] == "UKR" for r in merged)


def test_cli_ingest_csv_with_mapped_columns_rejects_to_a_file_and_says_so(tmp_path: Path):
    export = tmp_path / "export.csv"
    export.write_text("headline,body,day\n"
                      "Talks,Blinken met Lavrov in Geneva on Friday.,2022-01-10\n"
                      "Nothing,,2022-01-11\n")
    db = tmp_path / "c.duckdb"
    result = run("ingest", str(export), "--db", str(db), "--no-progress", "--column",
                 "text=body", "--column", "title=headline", "--column", "published=day")
    assert result.exit_code == 1  # something was rejected
    assert "1 articles added" in result.stdout and "1 rejected" in result.stdout
    [reject] = lines((tmp_path / "c.rejects.jsonl").read_text())
    assert (reject["source"], reject["line"]) == (str(export), 3)
    assert "'body'" in reject["problem"]
    with Store(db) as store:
        [row] = store.rejects().to_pylist()
        [stored_run] = store.runs().to_pylist()
    assert row["run_id"] == stored_run["id"] == reject["run"]
    assert (stored_run["articles_added"], stored_run["rejects"]) == (1, 1)
    assert stored_run["finished"] is not None and stored_run["seconds"] > 0


def test_cli_ingest_bad_column_and_format_flags_are_clear_errors(tmp_path: Path):
    db = str(tmp_path / "x.duckdb")
    bad = run("ingest", str(tmp_path), "--db", db, "--column", "body")
    assert bad.exit_code == 2 and "FIELD=NAME" in bad.output
    unknown = run("ingest", str(tmp_path), "--db", db, "--format", "pdf")
    assert unknown.exit_code == 2 and "no such source type" in unknown.output
