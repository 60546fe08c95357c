"""The dashboard in a real browser (Debian's Chromium, driven by Playwright)
against a live server on loopback: overview, filters, an event, a download,
the map; nothing leaves localhost, and article text never runs as code."""

from __future__ import annotations

import json
import os
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from serving import TOKEN, config_for, copy_db, live_server

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
REQUIRED = os.environ.get("REDLINE_BROWSER_TESTS") == "require"  # CI: never skip

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None

if sync_playwright is None or not Path(CHROMIUM).exists():
    if REQUIRED:
        raise RuntimeError("browser tests required but Playwright or Chromium is missing")
    pytest.skip("Playwright or Debian's Chromium is not installed", allow_module_level=True)

PAYLOADS = (
    "<script>window.__xss = 'script';alert('script')</script>",
    "<img src=x onerror=\"window.__xss='img';alert('img')\">",
    "\"><svg onload=\"window.__xss='svg'\"></svg>",
    "<iframe src=\"javascript:window.__xss='iframe'\"></iframe>",
    "{{7*7}} <b onmouseover=\"window.__xss='b'\">bold</b>",
)


@pytest.fixture(scope="module")
def server(sample_db: Path, tmp_path_factory) -> str:
    db = copy_db(sample_db, tmp_path_factory.mktemp("browser"))
    with live_server(config_for(db)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server: str):
    """A page whose every request is checked: anything not to the test server is
    refused and remembered; dialogs (alert) are remembered too."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.outside, page.dialogs, page.errors = [], [], []
    host = urlsplit(server).netloc

    def route(r):
        if urlsplit(r.request.url).netloc == host:
            r.continue_()
        else:
            page.outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def _chart_drawn(page, selector: str) -> None:
    page.wait_for_function(
        "(selector) => { const chart = window.Chart && Chart.getChart("
        "document.querySelector(selector)); return chart && chart.data.labels.length > 0; }",
        arg=selector, timeout=20000)


def test_serve_browser_overview_filter_event_and_download(page, server: str, tmp_path: Path):
    page.goto(server + "/")
    _chart_drawn(page, "#quads-chart")
    assert page.locator("text=Rising dyads").is_visible()
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
    assert (tmp_path / "overview.png").read_bytes()[:4] == b"\x89PNG"

    page.goto(server + "/events")
    page.fill("input[name=actor]", "RUS")
    page.select_option("select[name=event]", "MOBILIZE")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/events?*event=MOBILIZE*")
    assert "actor=RUS" in page.url
    categories = page.locator("table.events tbody a.cat").all_inner_texts()
    assert categories and set(categories) == {"MOBILIZE"}

    with page.expect_download() as waiting:
        page.click("#export-csv")
    saved = tmp_path / "events.csv"
    waiting.value.save_as(saved)
    rows = saved.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("id,") and len(rows) - 1 >= len(categories)

    page.locator("table.events tbody a.cat").first.click()
    page.wait_for_url("**/event/*")
    trigger = page.locator("#sentence mark.trigger")
    assert trigger.count() == 1 and trigger.inner_text().strip()
    assert page.locator("#sentence mark.actor").count() >= 1
    page.screenshot(path=str(tmp_path / "event.png"))
    assert not page.outside and not page.dialogs and not page.errors


def test_serve_browser_dyad_actor_and_map_pages_draw(page, server: str):
    page.goto(server + "/dyad/RUS/UKR")
    _chart_drawn(page, "#escalation-chart")
    _chart_drawn(page, "#categories-chart")
    page.click("text=more events")
    page.wait_for_function(
        "() => document.querySelectorAll('table.events tbody tr').length > 50")
    page.goto(server + "/actor/RUS")
    _chart_drawn(page, "#timeline-chart")
    assert page.locator("text=Roles over time").is_visible()
    page.goto(server + "/map?country=UKR")
    page.wait_for_function("() => document.querySelectorAll('#map path.leaflet-interactive')"
                           ".length > 100", timeout=20000)
    page.goto(server + "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    assert not page.outside and not page.dialogs and not page.errors


def test_serve_browser_article_text_never_runs(page, server: str):
    hostile = " ".join(PAYLOADS)
    record = {"text": f"Russian troops shelled Kharkiv on Monday. {hostile} Ukraine's army "
                      f"said Russian forces attacked the city {PAYLOADS[0]} overnight.",
              "title": f"Shelling {PAYLOADS[1]}", "source": PAYLOADS[2],
              "url": "javascript:window.__xss='link'", "published": "2022-03-05"}
    request = urllib.request.Request(
        server + "/api/ingest", data=json.dumps(record).encode(), method="POST",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read())["added"] == 1
    found = json.loads(urllib.request.urlopen(
        server + "/api/articles?since=2022-03-05&until=2022-03-05&q=onerror").read())["items"]
    article = found[0]["id"]
    events = json.loads(urllib.request.urlopen(
        server + f"/api/events?article_id={article}").read())["items"]
    assert any("<script>" in e["text"] for e in events), "no event in the hostile sentence"
    pages = [f"/article/{article}", "/events?q=onerror", "/events?q=script", "/"]
    for path in pages + [f"/event/{e['id']}" for e in events]:
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        page.mouse.move(200, 300)
        assert page.evaluate("() => window.__xss") is None, path
        assert page.locator("main script, main img[src=x], main svg[onload], main iframe"
                            ).count() == 0, path
    for path in pages + [f"/event/{e['id']}" for e in events]:  # escaped as it is served
        served = urllib.request.urlopen(server + path).read().decode()
        for payload in PAYLOADS:
            assert payload not in served, (path, payload)  # no payload as markup
    assert "&lt;script&gt;" in urllib.request.urlopen(server + f"/article/{article}").read(
    ).decode()
    page.goto(server + f"/article/{article}")
    assert "<script>" in page.locator(".article-text").inner_text()  # shown as text
    assert page.locator("a[href^='javascript:']").count() == 0
    assert not page.dialogs and not page.outside
