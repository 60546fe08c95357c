"""The REST API on the sample corpus: every endpoint, bad parameters (a clear
4xx, never a 500), cursors, downloads, writes and their tokens, limits."""

from __future__ import annotations

import base64
import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from redline.serve.app import create_app
from serving import TOKEN, config_for, copy_db

pytestmark = pytest.mark.slow
WRITE = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def served_db(sample_db: Path, tmp_path_factory) -> Path:
    return copy_db(sample_db, tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="module")
def client(served_db: Path):
    with TestClient(create_app(config_for(served_db)), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(("url", "keys"), [
    ("/api/health", {"status", "schema", "articles", "events", "quotes"}),
    ("/api/events?limit=3", {"items", "count", "next_cursor"}),
    ("/api/events?actor=RUS&recipient=UKR&event=MOBILIZE&status=asserted", {"items"}),
    ("/api/events?since=2022-02-24&until=2022-03-01&counts=true", {"items"}),
    ("/api/articles?limit=2", {"items", "next_cursor"}),
    ("/api/quotes?limit=2&speaker=Putin", {"items", "next_cursor"}),
    ("/api/actors?limit=5", {"items", "count"}),
    ("/api/actors/RUS", {"code", "entries", "roles", "counterparts", "timeline"}),
    ("/api/places?country=UKR", {"items"}),
    ("/api/places?format=geojson", {"type", "features"}),
    ("/api/counts?by=month&actor=RUS", {"by", "items"}),
    ("/api/series?dyad=RUS:UKR&by=week", {"items"}),
    ("/api/series?actor=USA&by=month&directed=false", {"items"}),
    ("/api/escalation?dyad=RUS:UKR", {"actor", "recipient", "window", "points", "alerts"}),
    ("/api/escalation?actor=RUS&since=2022-01-01", {"actor", "points"}),
    ("/api/rising?day=2022-02-20", {"items"}),
    ("/api/alerts?until=2022-02-23", {"items"}),
    ("/api/rules", {"source", "rules"}),
    ("/api/openapi.json", {"openapi", "paths"}),
])
def test_serve_api_reads_answer(client: TestClient, url: str, keys: set[str]):
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert keys <= set(response.json())


@pytest.mark.parametrize("url", [
    "/api/events?quad=0", "/api/events?quad=x", "/api/events?since=2022-13-01",
    "/api/events?until=yesterday", "/api/events?event=BOMB", "/api/events?status=rumoured",
    "/api/events?cursor=not-a-cursor", "/api/events?cursor=WyJ4Il0", "/api/events?limit=0",
    "/api/events?country=Ukraine", "/api/events?format=xml", "/api/events?counts=maybe",
    "/api/events?q=" + "x" * 300, "/api/articles?since=2022-02-30", "/api/quotes?cursor=e30",
    "/api/series?dyad=RUS", "/api/series?dyad=RUS:UKR&by=fortnight",
    "/api/escalation", "/api/escalation?dyad=RUS:UKR&actor=RUS", "/api/rising?top=0",
    "/api/rising?level=planet", "/api/alerts?since=soon", "/api/actors/%3Cscript%3E",
    "/api/places?format=kml", "/api/counts?by=century", "/api/escalation?dyad=",
    "/api/escalation?actor=", "/api/series?actor=R%20U", "/api/actors/R-U",
    # cursors of the right length with parts of the wrong kind
    "/api/events?cursor=" + base64.urlsafe_b64encode(
        b'["2021-01-01", "x", "notint", 0, "y"]').decode(),
    "/api/articles?cursor=" + base64.urlsafe_b64encode(b'["2021-01-01", 5]').decode(),
    "/api/quotes?cursor=" + base64.urlsafe_b64encode(b'["2021-01-01", 1, 2, 3]').decode(),
])
def test_serve_api_bad_parameters_are_a_clear_400(client: TestClient, url: str):
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code, response.text)
    assert response.json()["error"]


@pytest.mark.parametrize("url", ["/api/events/no-such-event", "/api/articles/nope",
                                 "/api/nothing-here"])
def test_serve_api_unknown_things_are_404(client: TestClient, url: str):
    response = client.get(url)
    assert response.status_code == 404 and response.json()["error"]


def test_serve_api_cursor_pages_give_every_event_once_in_order(client: TestClient):
    query = {"actor": "RUS", "limit": 40}
    seen, cursor, pages = [], None, 0
    while True:
        page = client.get("/api/events", params={**query, **({"cursor": cursor} if cursor
                                                              else {})}).json()
        seen += [e["id"] for e in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    whole = client.get("/api/events", params={"actor": "RUS", "format": "jsonl"}).text
    expected = [json.loads(line)["id"] for line in whole.splitlines()]
    assert pages > 2 and seen == expected and len(set(seen)) == len(seen)


def test_serve_api_article_and_quote_cursors_walk_everything(client: TestClient):
    for url, total in (("/api/articles", "articles"), ("/api/quotes", "quotes")):
        seen, cursor = [], None
        while True:
            page = client.get(url, params={"limit": 25, **({"cursor": cursor} if cursor
                                                            else {})}).json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) == client.get("/api/health").json()[total]


@pytest.mark.parametrize(("params", "holds"), [
    ({"country": "UKR"}, lambda e: e["event_loc"]["country"] == "UKR"),
    ({"quad": 4}, lambda e: e["quad_code"] == 4),
    ({"q": "troops"}, lambda e: "troops" in e["text"].lower()),
    ({"place": "Kyiv"}, lambda e: "kyiv" in (e["event_loc"]["name"] or "").lower()
     or "kyiv" in (e["event_loc"]["text"] or "").lower()),
    ({"event": "assault", "status": "ASSERTED"},
     lambda e: e["event"] == "ASSAULT" and e["status"] == "asserted"),
])
def test_serve_api_filters_select_what_they_say(client: TestClient, params: dict, holds):
    items = client.get("/api/events", params={**params, "limit": 1000}).json()["items"]
    assert items and all(holds(e) for e in items)


def test_serve_api_filter_values_are_data_not_sql(client: TestClient):
    for value in ("RUS' OR 1=1 --", "x'); DROP TABLE events; --", "%' OR '%'='"):
        response = client.get("/api/events", params={"actor": value, "q": value})
        assert response.status_code == 200 and response.json()["items"] == []
    assert client.get("/api/health").json()["events"] > 0


def test_serve_api_downloads_hold_the_whole_filtered_view(client: TestClient):
    query = {"actor": "RUS", "event": "MOBILIZE"}
    every = client.get("/api/events", params={**query, "limit": 1000}).json()["items"]
    as_csv = client.get("/api/events", params={**query, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0][:3] == ["id", "article_id", "sentence_index"] and len(rows) == len(every) + 1
    as_parquet = client.get("/api/events", params={**query, "format": "parquet"})
    table = pq.read_table(io.BytesIO(as_parquet.content))
    assert table.num_rows == len(every) and table.column("id").to_pylist() == [
        e["id"] for e in every]
    assert client.get("/api/places", params={"format": "csv"}).text.startswith("geonameid,")


def test_serve_api_writes_need_a_token(client: TestClient):
    for method, url in (("post", "/api/ingest"), ("put", "/api/rules"),
                        ("delete", "/api/rules")):
        anonymous = client.request(method, url, content=b"x")
        assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"]
        wrong = client.request(method, url, content=b"x",
                               headers={"Authorization": "Bearer not-the-right-token"})
        assert wrong.status_code == 403


def test_serve_api_ingest_codes_and_stores_posted_articles(client: TestClient):
    before = client.get("/api/health").json()
    lines = "\n".join(json.dumps(r) for r in [
        {"text": "Russian forces shelled the Ukrainian city of Kharkiv on Tuesday, "
                 "regional officials said.", "title": "Kharkiv shelled",
         "url": "https://example.org/kharkiv", "published": "2022-03-01"},
        {"title": "no text"},
    ]) + "\n"
    response = client.post("/api/ingest", content=lines.encode(),
                           headers={**WRITE, "Content-Type": "application/x-ndjson"})
    report = response.json()
    assert response.status_code == 200 and report["added"] == 1 and report["events"] >= 1
    assert report["rejects"] == [{"source": "request.jsonl", "line": 2,
                                  "problem": "no 'text' field with text in it"}]
    after = client.get("/api/health").json()
    assert after["articles"] == before["articles"] + 1
    again = client.post("/api/ingest", content=lines.encode(),
                        headers={**WRITE, "Content-Type": "application/x-ndjson"}).json()
    assert again["added"] == 0 and again["skipped"] == 1
    plain = client.post("/api/ingest", content="Ukraine asked NATO for air defence systems.",
                        params={"published": "2022-03-02", "title": "Request"},
                        headers={**WRITE, "Content-Type": "text/plain"})
    assert plain.status_code == 200 and plain.json()["added"] == 1


@pytest.mark.parametrize(("body", "kind"), [
    (b"", "application/x-ndjson"), (b"{not json", "application/json"),
    (b"\xff\xfe text", "text/plain"), (b"<a/>", "application/xml"),
])
def test_serve_api_bad_ingest_bodies_are_400(client: TestClient, body: bytes, kind: str):
    response = client.post("/api/ingest", content=body,
                           headers={**WRITE, "Content-Type": kind})
    assert response.status_code == 400 and response.json()["error"]


def test_serve_api_rules_are_replaced_validated_and_reset(client: TestClient):
    rules = "- name: surge\n  measure: category\n  category: ASSAULT\n  dyad: any\n" \
            "  ratio: 2\n  min_events: 2\n"
    stored = client.put("/api/rules", content=rules, headers=WRITE)
    assert stored.status_code == 200 and [r["name"] for r in stored.json()["rules"]] == ["surge"]
    assert client.get("/api/rules").json()["source"] == "stored"
    assert all(a["rule"] == "surge" for a in client.get("/api/alerts").json()["items"])
    bad = client.put("/api/rules", content="- name: x\n  measure: vibes\n  dyad: any\n",
                     headers=WRITE)
    assert bad.status_code == 400 and "measure" in bad.json()["error"]
    assert [r["name"] for r in client.get("/api/rules").json()["rules"]] == ["surge"]
    reset = client.delete("/api/rules", headers=WRITE)
    assert reset.json()["source"] == "default" and len(reset.json()["rules"]) > 1


def test_serve_api_refuses_bodies_over_the_limit(served_db: Path):
    app = create_app(config_for(served_db, max_request_mb=0.001))
    with TestClient(app) as small:
        declared = small.post("/api/ingest", content=b"x" * 5000, headers=WRITE)
        assert declared.status_code == 413

        def chunks():
            for _ in range(10):
                yield b"y" * 500

        streamed = small.post("/api/ingest", content=chunks(), headers=WRITE)
        assert streamed.status_code == 413


def test_serve_api_guarded_reads_and_the_login_cookie(served_db: Path):
    with TestClient(create_app(config_for(served_db, read_access="token"))) as guarded:
        assert guarded.get("/api/events").status_code == 401
        assert guarded.get("/api/events", headers={"Authorization": "Bearer nope"}
                           ).status_code == 403
        assert guarded.get("/api/events", headers=WRITE).status_code == 200
        assert guarded.get("/", headers={"Accept": "text/html"}).status_code == 401
        assert guarded.post("/login", data={"token": "wrong"}).status_code == 403
        signed = guarded.post("/login", data={"token": TOKEN}, follow_redirects=False)
        assert signed.status_code == 303 and "httponly" in signed.headers["set-cookie"].lower()
        assert guarded.get("/events", headers={"Accept": "text/html"}).status_code == 200
        # a cookie reads, but never writes
        assert guarded.post("/api/ingest", content=b"x").status_code == 401


def test_serve_api_cors_is_off_unless_configured(client: TestClient, served_db: Path):
    asked = {"Origin": "https://elsewhere.example"}
    assert "access-control-allow-origin" not in client.get("/api/health", headers=asked).headers
    app = create_app(config_for(served_db, cors_origins=("https://elsewhere.example",)))
    with TestClient(app) as open_to_one:
        allowed = open_to_one.get("/api/health", headers=asked)
        assert allowed.headers["access-control-allow-origin"] == "https://elsewhere.example"


def test_serve_api_every_response_carries_the_content_policy(client: TestClient):
    for url in ("/api/health", "/", "/api/nothing"):
        policy = client.get(url).headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy


def test_serve_api_one_event_and_one_article(client: TestClient):
    first = client.get("/api/events", params={"limit": 1}).json()["items"][0]
    event = client.get(f"/api/events/{first['id']}").json()
    assert event["id"] == first["id"] and isinstance(event["trigger_start"], int)
    assert event["text"][event["trigger_start"]:].startswith(event["event_text"])
    article = client.get(f"/api/articles/{first['article_id']}").json()
    assert article["text"] and first["id"] in {e["id"] for e in article["events"]}
    assert all(q["article_id"] == article["id"] for q in article["quotes"])


@pytest.mark.parametrize("url", [
    "/events?quad=7", "/events?since=2022-99-01", "/events?cursor=abc", "/dyad/RUS/U-K",
    "/actor/%3Cb%3E", "/map?event=BOMB", "/alerts?until=later", "/?status=rumoured",
])
def test_serve_api_pages_answer_bad_parameters_with_a_400_page(client: TestClient, url: str):
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 400 and response.headers["content-type"].startswith(
        "text/html")


def test_serve_api_rising_days_beyond_the_news_are_its_last_day(client: TestClient):
    last = client.get("/api/rising").json()["items"]
    assert client.get("/api/rising", params={"day": "9999-12-31"}).json()["items"] == last
    assert client.get("/api/rising", params={"day": "1900-01-01"}).json()["items"] == []


def test_serve_api_refuses_rules_that_are_not_numbers_and_deep_json(client: TestClient):
    nan = client.put("/api/rules", headers=WRITE,
                     content="- name: n\n  measure: index\n  dyad: any\n  ratio: .nan\n")
    assert nan.status_code == 400 and "ratio" in nan.json()["error"]
    deep = client.post("/api/ingest", content=b"[" * 100000 + b"]" * 100000,
                       headers={**WRITE, "Content-Type": "application/json"})
    assert deep.status_code == 400


def test_serve_api_analyses_follow_new_articles(client: TestClient):
    query = {"dyad": "BLR:LTU", "by": "month"}
    assert client.get("/api/series", params=query).json()["items"] == []
    text = ("Belarusian troops shelled Lithuanian border posts on Friday, Lithuania's "
            "defence ministry said.")
    client.post("/api/ingest", content=text.encode(), params={"published": "2022-03-18"},
                headers={**WRITE, "Content-Type": "text/plain"})
    assert client.get("/api/series", params=query).json()["items"]


def test_serve_api_downloads_keep_columns_and_defuse_formulas(client: TestClient):
    empty = client.get("/api/series", params={"dyad": "ATA:ATA", "format": "csv"})
    assert empty.status_code == 200 and empty.text.startswith("period,actor,recipient")
    line = json.dumps({"text": "=HYPERLINK(\"http://evil.example\") said Russia's army shelled "
                               "Kharkiv on Monday.", "published": "2022-03-07",
                       "url": "https://example.org/formula"})
    client.post("/api/ingest", content=line.encode(),
                headers={**WRITE, "Content-Type": "application/x-ndjson"})
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/api/events", params={"q": "HYPERLINK", "format": "csv"}).text)))
    assert rows and all(r["text"].startswith("'=") for r in rows)


def test_serve_api_answers_only_its_own_host_names(served_db: Path):
    app = create_app(config_for(served_db, allowed_hosts=("127.0.0.1", "localhost")))
    with TestClient(app, base_url="http://localhost") as local:
        assert local.get("/api/health").status_code == 200
        rebound = local.get("/api/health", headers={"Host": "attacker.example"})
        assert rebound.status_code == 400


def test_serve_api_login_cookie_is_not_the_token(served_db: Path):
    with TestClient(create_app(config_for(served_db, read_access="token"))) as guarded:
        signed = guarded.post("/login", data={"token": TOKEN}, follow_redirects=False)
        cookie = signed.cookies.get("redline_token")
        assert cookie and TOKEN not in cookie and "samesite=lax" in signed.headers[
            "set-cookie"].lower()
        assert guarded.get("/api/events", headers={"Authorization": f"Bearer {cookie}"}
                           ).status_code == 403  # the cookie's value is no token
        guarded.post("/logout")
        assert guarded.get("/events", headers={"Accept": "text/html"}).status_code == 401


def test_serve_api_actor_page_takes_the_filters(client: TestClient):
    page = client.get("/actor/RUS", params={"since": "2022-02-24", "event": "ASSAULT"},
                      headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "since=2022-02-24" in page.text and "event=ASSAULT" in page.text
    whole = client.get("/actor/RUS", headers={"Accept": "text/html"}).text
    assert whole.count("/dyad/") >= page.text.count("/dyad/")
