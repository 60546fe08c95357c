from datetime import date
from pathlib import Path

import duckdb
import pytest

from redline.errors import StoreError
from redline.model import Actor, Article, Event, Place, Quote
from redline.store import EventFilter, Store, table_records
from redline.store.schema import SCHEMA_VERSION


def article(n: int, day: date) -> Article:
    return Article.create(f"Report {n}.", url=f"https://x.example/{n}", published=day)


def event(art: Article, name: str, actor: str, recipient: str, status: str = "asserted",
          day: str | None = None, index: int = 0) -> Event:
    return Event(
        article_id=art.id, sentence_index=index, text="A sentence.", event_text="did",
        event=name, trigger_start=index, mode=["troops"], quad_code=4, event_scale=-6.5,
        cameo="154", actor=[Actor(actor, actor.split("/")[0], (actor.split("/") + [None])[1])],
        recipient=[Actor(recipient, recipient)], date=day or art.published.isoformat(),
        date_precision="day", status=status, event_loc=Place("Kyiv", "Kyiv", 703448, "UKR"),
        claimed_by=Actor("U.S. intelligence", "USA", "SPY"), magnitude={"troops": 175000},
    )


@pytest.fixture
def filled(fresh_store: Store) -> Store:
    a1, a2 = article(1, date(2021, 12, 6)), article(2, date(2022, 2, 24))
    fresh_store.add(a1, [event(a1, "MOBILIZE", "RUS/MIL", "UKR"),
                         event(a1, "THREATEN", "USA/GOV", "RUS", "planned", index=1)],
                    [Quote(a1.id, 0, "We will respond.", "said", Actor("Biden", "USA", "GOV"),
                           True, False)])
    fresh_store.add(a2, [event(a2, "ASSAULT", "RUS/MIL", "UKR"),
                         event(a2, "ASSAULT", "RUS/MIL", "UKR", "negated", index=2)], [])
    return fresh_store


def test_store_round_trips_records_in_the_extract_schema(filled: Store):
    [record] = table_records(filled.events(EventFilter(event="MOBILIZE")))
    assert record["actor"] == [{"text": "RUS/MIL", "code": "RUS", "sector": "MIL",
                                "name": None, "kb_id": None}]
    assert record["magnitude"] == {"troops": 175000}
    assert record["event_loc"]["geonameid"] == 703448
    assert record["claimed_by"]["sector"] == "SPY"
    assert list(record)[:6] == ["id", "article_id", "sentence_index", "text", "event_text",
                                "event"]


@pytest.mark.parametrize(
    ("filters", "count"),
    [
        (EventFilter(), 4),
        (EventFilter(actor="RUS"), 3),
        (EventFilter(actor="RUS/MIL"), 3),
        (EventFilter(actor="USA/MIL"), 0),
        (EventFilter(recipient="RUS"), 1),
        (EventFilter(event="assault"), 2),
        (EventFilter(status="negated"), 1),
        (EventFilter(since=date(2022, 1, 1)), 2),
        (EventFilter(until=date(2021, 12, 31)), 2),
        (EventFilter(limit=1), 1),
    ],
)
def test_store_event_filters(filled: Store, filters: EventFilter, count: int):
    assert filled.events(filters).num_rows == count


def test_store_adding_twice_changes_nothing(filled: Store):
    a1 = article(1, date(2021, 12, 6))
    result = filled.add(a1, [event(a1, "MOBILIZE", "RUS/MIL", "UKR")], [])
    assert not result.added
    assert filled.summary()["events"] == 4


def test_store_summary_counts_dyads_without_negated_events(filled: Store):
    summary = filled.summary()
    assert summary["articles"] == 2 and summary["quotes"] == 1
    assert summary["by_event"]["ASSAULT"] == 2
    assert summary["top_dyads"][0] == ("RUS", "UKR", 2)


def test_store_failed_write_leaves_nothing_behind(fresh_store: Store):
    a = article(3, date(2022, 3, 1))
    bad = event(a, "ASSAULT", "RUS/MIL", "UKR")
    bad.magnitude = {"troops": "many"}  # not a number: the insert fails
    with pytest.raises(Exception):  # noqa: B017 - duckdb's conversion error
        fresh_store.add(a, [event(a, "ASSAULT", "RUS/MIL", "UKR", index=1), bad], [])
    assert fresh_store.summary()["events"] == 0
    assert not fresh_store.has_article(a.id)


def test_store_quotes_filter_by_speaker(filled: Store):
    assert filled.quotes(speaker="USA").num_rows == 1
    assert filled.quotes(speaker="Putin").num_rows == 0


def test_store_refuses_a_newer_schema(tmp_path):
    path = tmp_path / "x.duckdb"
    with Store(path) as store:
        store.con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer redline"):
        Store(path)


def test_store_file_persists(tmp_path):
    path = tmp_path / "db" / "x.duckdb"
    with Store(path) as store:
        a = article(1, date(2021, 12, 6))
        store.add(a, [event(a, "MOBILIZE", "RUS/MIL", "UKR")], [])
    with Store(path, read_only=True) as store:
        assert store.events().num_rows == 1


def schema_1_database(path, *rows: str):
    """A database with the meta and articles tables as schema 1 had them."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute("CREATE TABLE articles (id VARCHAR PRIMARY KEY, url VARCHAR, title VARCHAR, "
                "published DATE, source VARCHAR, origin VARCHAR, text VARCHAR NOT NULL, "
                "n_events INTEGER NOT NULL, n_quotes INTEGER NOT NULL, "
                "ingested_at TIMESTAMP NOT NULL)")
    for row in rows:
        con.execute(f"INSERT INTO articles VALUES ({row})")
    con.close()


def test_store_upgrades_a_schema_1_database_keeping_its_rows(tmp_path):
    path = tmp_path / "old.duckdb"
    schema_1_database(path, "'old', NULL, NULL, DATE '2021-12-06', NULL, NULL, "
                            "'An old report.', 0, 0, now()")
    with Store(path) as store:
        version = store.con.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        assert version == [(str(SCHEMA_VERSION),)]
        a = article(1, date(2022, 1, 5))
        store.add(a, [event(a, "MOBILIZE", "RUS/MIL", "UKR")], [])
        rows = table_records(store.articles())
        clusters = store.con.execute("SELECT id, cluster_id FROM articles ORDER BY id").fetchall()
        [stored] = table_records(store.events(counts=True))
    assert [r["id"] for r in rows] == ["old", a.id]
    assert rows[0]["contexts"] is None
    assert ("old", "old") in clusters  # a story of its own
    assert (stored["num_articles"], stored["num_sources"]) == (1, 1)


def test_store_opened_to_read_is_upgraded_first(tmp_path):
    path = tmp_path / "v1.duckdb"
    schema_1_database(path)
    with Store(path, read_only=True) as store:
        assert store.events(counts=True).num_rows == 0  # the columns of today's schema


def test_store_upgrades_a_schema_2_database_with_its_runs(tmp_path):
    path = tmp_path / "v2.duckdb"
    con = duckdb.connect(str(path))  # meta, articles and runs as schema 2 had them
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    con.execute("CREATE TABLE articles (id VARCHAR PRIMARY KEY, url VARCHAR, title VARCHAR, "
                "published DATE, source VARCHAR, origin VARCHAR, text VARCHAR NOT NULL, "
                "n_events INTEGER NOT NULL, n_quotes INTEGER NOT NULL, "
                "ingested_at TIMESTAMP NOT NULL, contexts VARCHAR[])")
    con.execute("CREATE TABLE runs (id VARCHAR PRIMARY KEY, started TIMESTAMP NOT NULL, "
                "finished TIMESTAMP, inputs VARCHAR[], articles_added INTEGER, "
                "articles_skipped INTEGER, events INTEGER, quotes INTEGER, rejects INTEGER)")
    con.execute("INSERT INTO runs (id, started, articles_added) VALUES ('r1', now(), 1)")
    con.execute("INSERT INTO articles VALUES ('old', NULL, NULL, DATE '2021-12-06', NULL, "
                "NULL, 'An old report.', 0, 0, now(), NULL)")
    con.close()
    with Store(path) as store:
        [run] = table_records(store.runs())
        assert (run["id"], run["articles_added"], run["copies"]) == ("r1", 1, None)
        [(cluster, digest, signature)] = store.stories()  # old stories are compared with too
        assert cluster == "old" and len(digest) == 64 and len(signature) > 0


def test_store_keeps_the_contexts_of_a_whole_article(fresh_store: Store):
    a = article(1, date(2022, 1, 5))
    military = [event(a, "MOBILIZE", "RUS/MIL", "UKR", index=i) for i in range(2)]
    for e in military:
        e.context = ["military"]
    talks = event(a, "CONSULT", "USA/GOV", "RUS", index=3)
    talks.context = ["diplomatic"]
    fresh_store.add(a, [*military, talks], [])
    [row] = table_records(fresh_store.articles())
    assert row["contexts"] == ["military"]  # "diplomatic" is one event's only


KEPT = Path(__file__).parent / "data"  # small stores of earlier (and the current) schema


def kept_database(version: int, path: Path) -> None:
    """A database as schema ``version`` left it (three sample reports, kept in
    tests/data/store-schema-N: its DDL and a Parquet file a table)."""
    folder = KEPT / f"store-schema-{version}"
    con = duckdb.connect(str(path))
    con.execute((folder / "schema.sql").read_text())
    for table in sorted(p.stem for p in folder.glob("*.parquet")):
        con.execute(f"INSERT INTO {table} SELECT * FROM read_parquet(?)",
                    [str(folder / f"{table}.parquet")])
    con.close()


@pytest.mark.parametrize("version", [4, 5])
def test_store_opens_and_upgrades_the_kept_databases(tmp_path, version: int):
    """Schema 4 upgrades to today's; schema 5 (today's, kept for the next change)
    opens as it is, or upgrades once there is a schema 6."""
    path = tmp_path / f"kept-{version}.duckdb"
    kept_database(version, path)
    with duckdb.connect(str(path), read_only=True) as con:
        before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "events", "quotes")}
    assert before["events"] > 0
    with Store(path) as store:
        version_now = store._one("SELECT value FROM meta WHERE key = 'schema_version'")[0]
        assert int(version_now) == SCHEMA_VERSION
        assert store.counts() == before
        upserts, deleted, cursor = store.changes_since(0)
        assert len(upserts) == before["events"] and not deleted and cursor >= before["events"]
        assert store.events().num_rows == before["events"]
        store.delete_articles([store.articles().column("id")[0].as_py()])  # still writable
        assert store.change_cursor() > cursor


def test_store_logs_changes_for_sync_deletions_included(filled: Store):
    start = filled.change_cursor()
    first_article = filled.articles().column("id")[0].as_py()
    its_events = filled.events(EventFilter(article_id=first_article)).column("id").to_pylist()
    assert filled.delete_articles([first_article]) == 1
    upserts, deleted, cursor = filled.changes_since(start)
    assert sorted(deleted) == sorted(its_events) and not upserts and cursor > start
    assert filled.events(EventFilter(article_id=first_article)).num_rows == 0
    assert filled.delete_articles(["no-such-article"]) == 0
    assert filled.changes_since(cursor) == ([], [], cursor)


def test_store_both_backends_offer_the_whole_interface():
    from redline.store.interface import EventStore
    from redline.store.postgres_store import PostgresStore

    wanted = {n for n, v in vars(EventStore).items() if callable(v) and not n.startswith("_")}
    assert len(wanted) > 30
    for backend in (Store, PostgresStore):
        missing = {n for n in wanted if not callable(getattr(backend, n, None))}
        assert not missing, (backend.__name__, missing)
