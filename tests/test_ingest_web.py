"""Fetching pages and feeds: safety, retries, size caps; `ingest URL` and `watch`.
Pages are served on loopback (so every fetch here needs allow_private)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.errors import InputError
from redline.ingest.fetch import check_address, fetch, user_agent
from redline.ingest.sources import ReadOptions
from redline.ingest.web import read_url
from redline.model import Article
from redline.store import Store
from redline.watching import parse_period, watch

PAGE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        "<p>{text}</p></article><footer>Site footer</footer></body></html>")


class Site:
    """Routes served on loopback: path -> (status, content type, body); a list of
    such answers is served one per request (the last one repeats)."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.agents: list[str] = []
        self.paths: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the standard library's name
                site.agents.append(self.headers.get("User-Agent", ""))
                site.paths.append(self.path)
                answer = site.routes.get(self.path, (404, "text/plain", b"not here"))
                if isinstance(answer, list):
                    answer = answer.pop(0) if len(answer) > 1 else answer[0]
                status, kind, body = answer
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", body.decode())
                    body = b""
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def page(self, path: str, title: str, text: str) -> None:
        self.routes[path] = (200, "text/html; charset=utf-8",
                             PAGE.format(title=title, text=text).encode())

    def feed(self, path: str, items: list[tuple[str, str, str]]) -> None:
        entries = "".join(
            f"<item><title>{t}</title><link>{self.base}{link}</link>"
            f"<pubDate>Mon, 10 Jan 2022 09:00:00 GMT</pubDate>"
            f"<description>{summary}</description></item>" for t, link, summary in items)
        self.routes[path] = (200, "application/rss+xml", (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Wire</title>'
            f"{entries}</channel></rss>").encode())


@pytest.fixture
def site():
    served = Site()
    yield served
    served.server.shutdown()
    served.server.server_close()


LOCAL = ReadOptions(allow_private=True, timeout=5)


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://10.1.2.3/a",
                                 "http://169.254.169.254/latest", "http://[::1]:8000/",
                                 "http://192.168.0.1/", "http://localhost/"])
def test_ingest_web_private_loopback_and_link_local_addresses_are_refused(url):
    with pytest.raises(InputError, match="refused.*--allow-private"):
        check_address(url, allow_private=False)


def test_ingest_web_only_http_urls_are_fetched():
    with pytest.raises(InputError, match="only http"):
        check_address("file:///etc/passwd", allow_private=True)


def test_ingest_web_a_page_is_fetched_with_our_user_agent(site: Site):
    site.page("/a", "Troops mass", "Russian troops massed near the border with Ukraine.")
    page = fetch(f"{site.base}/a", max_bytes=10**6, allow_private=True)
    assert b"Russian troops" in page.body and page.content_type.startswith("text/html")
    assert site.agents == [user_agent()] and user_agent().startswith("redline/")


def test_ingest_web_failures_that_may_pass_are_retried_with_back_off(site: Site):
    ok = (200, "text/html", b"<html><body><p>fine</p></body></html>")
    site.routes["/flaky"] = [(503, "text/plain", b"busy"), (502, "text/plain", b"x"), ok]
    assert fetch(f"{site.base}/flaky", max_bytes=10**6, allow_private=True,
                 backoff=0.01).body.endswith(b"</html>")
    assert len(site.agents) == 3
    site.routes["/gone"] = (404, "text/plain", b"no")
    with pytest.raises(InputError, match="HTTP 404"):
        fetch(f"{site.base}/gone", max_bytes=10**6, allow_private=True, backoff=0.01)
    assert len(site.agents) == 4  # a 404 is not tried again
    site.routes["/down"] = (500, "text/plain", b"down")
    with pytest.raises(InputError, match="HTTP 500.*after 3 tries"):
        fetch(f"{site.base}/down", max_bytes=10**6, allow_private=True, retries=2,
              backoff=0.01)


def test_ingest_web_bodies_over_the_cap_are_refused(site: Site):
    site.routes["/big"] = (200, "text/html", b"x" * 5000)
    with pytest.raises(InputError, match="too large"):
        fetch(f"{site.base}/big", max_bytes=1000, allow_private=True)


def test_ingest_web_a_feed_gives_each_entry_s_page_or_its_own_text(site: Site):
    site.page("/one", "Troops mass", "Russian troops massed near the border with Ukraine, "
              "officials in Kyiv said on Monday.")
    site.feed("/feed.rss", [("Troops mass", "/one", "Short summary one."),
                            ("Talks", "/missing", "NATO envoys met Russian diplomats.")])
    one, two = read_url(f"{site.base}/feed.rss", LOCAL)
    assert "officials in Kyiv" in one.text and one.url == f"{site.base}/one"
    assert two.text == "Talks\n\nNATO envoys met Russian diplomats."  # page gone: summary
    assert one.source == "Loopback Wire"
    no_follow = list(read_url(f"{site.base}/feed.rss", ReadOptions(
        allow_private=True, follow_links=False)))
    assert no_follow[0].text == "Troops mass\n\nShort summary one."


def test_ingest_web_a_redirect_to_a_private_address_is_refused(site: Site, monkeypatch):
    site.routes["/moved"] = (302, "text/plain", f"{site.base}/a".encode())
    site.page("/a", "A", "Russian troops massed near the border.")
    import redline.ingest.fetch as fetching

    real = fetching.check_address
    calls = []

    def first_allowed(url, allow_private):  # the first hop public, the redirect not
        calls.append(url)
        return None if len(calls) == 1 else real(url, False)

    monkeypatch.setattr(fetching, "check_address", first_allowed)
    with pytest.raises(InputError, match="refused"):
        fetch(f"{site.base}/moved", max_bytes=10**6, allow_private=False)


@pytest.mark.slow
def test_ingest_web_cli_ingests_a_url_only_with_allow_private_here(site: Site, tmp_path):
    site.page("/a", "Troops mass", "Russian troops massed along the border with Ukraine.")
    db = str(tmp_path / "w.duckdb")
    refused = CliRunner().invoke(app, ["ingest", f"{site.base}/a", "--db", db, "--no-progress"])
    assert refused.exit_code == 1 and "--allow-private" in refused.output
    taken = CliRunner().invoke(app, ["ingest", f"{site.base}/a", "--db", db, "--no-progress",
                                     "--allow-private"])
    assert taken.exit_code == 0, taken.output
    assert "1 articles added" in taken.stdout


@pytest.mark.slow
def test_ingest_web_watch_stores_what_is_new_each_round(site: Site):
    site.page("/one", "Troops mass", "Russian troops massed along the border with Ukraine.")
    site.page("/two", "Sanctions", "Washington imposed sanctions on Moscow on Tuesday.")
    site.feed("/feed.rss", [("Troops mass", "/one", "")])
    added, waits = [], []

    def round_done(number, report):
        added.append(report.added)
        site.feed("/feed.rss", [("Troops mass", "/one", ""), ("Sanctions", "/two", "")])

    with Store(":memory:") as store:
        assert watch([f"{site.base}/feed.rss"], store, LOCAL, 60.0, rounds=3,
                     on_round=round_done, sleep=waits.append) == 3
        assert store.summary()["articles"] == 2
    assert added == [1, 1, 0] and len(waits) == 2 and all(0 < w <= 60 for w in waits)


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("15m", 900), ("1h", 3600),
                                                ("1.5d", 129600)])
def test_ingest_web_watch_periods(text, seconds):
    assert parse_period(text) == seconds


@pytest.mark.parametrize("text", ["", "15", "0m", "soon", "-5m"])
def test_ingest_web_watch_rejects_bad_periods(text):
    with pytest.raises(InputError, match="--every"):
        parse_period(text)


def test_ingest_web_an_xhtml_page_is_a_page_not_a_feed(site: Site):
    body = PAGE.format(title="Talks", text="NATO envoys met Russian diplomats in Brussels.")
    site.routes["/x"] = (200, "application/xhtml+xml", body.encode())
    [article] = read_url(f"{site.base}/x", LOCAL)
    assert isinstance(article, Article) and "NATO envoys" in article.text


def test_ingest_web_stored_entries_are_not_fetched_again_and_passing_failures_wait(site: Site):
    from dataclasses import replace

    from redline.ingest.sources import Rejected
    from redline.model import article_id

    site.page("/one", "Troops mass", "Russian troops massed near the border with Ukraine.")
    site.routes["/busy"] = (503, "text/plain", b"busy")
    site.feed("/feed.rss", [("Troops mass", "/one", "Summary one."),
                            ("Busy", "/busy", "Summary two.")])
    known = {article_id(f"{site.base}/one", "")}
    options = replace(LOCAL, known=known.__contains__)
    first, second = read_url(f"{site.base}/feed.rss", options)
    assert first.text == "Troops mass\n\nSummary one."  # stored already: its page not asked for
    assert "/one" not in site.paths
    assert isinstance(second, Rejected) and "HTTP 503" in second.problem  # tried next run


def test_ingest_web_unparseable_urls_are_clear_errors():
    with pytest.raises(InputError, match="not a valid URL"):
        check_address("http://example.org:99999/", allow_private=True)
