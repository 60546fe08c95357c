"""Proof on the bundled sample corpus: the crisis is seen building before
2022-02-24, and the war is seen when it comes; the commands that show it."""

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.analyse.alerts import evaluate, load_rules
from redline.analyse.series import dyad_series
from redline.analyse.trend import dyad_trend
from redline.cli import app
from redline.store import Store

pytestmark = pytest.mark.slow
INVASION = date(2022, 2, 24)


def test_early_warning_a_default_rule_fires_on_russia_and_ukraine_before_the_invasion(
        sample_db: Path):
    with Store(sample_db, read_only=True) as store:
        fired = evaluate(store, load_rules(), until=INVASION - date.resolution)
    before = [a for a in fired if (a.actor, a.recipient) == ("RUS", "UKR")]
    assert before, "no alert on Russia toward Ukraine before the invasion"
    assert all(a.event_ids for a in before)  # each with the events behind it


def test_early_warning_the_assault_share_jumps_from_the_invasion(sample_db: Path):
    with Store(sample_db, read_only=True) as store:
        weeks = dyad_series(store, by="week", actor="RUS", recipient="UKR",
                            since=date(2021, 12, 27)).to_pylist()

    def share(rows):
        return sum(r["ASSAULT"] for r in rows) / max(1, sum(r["events"] for r in rows))

    before = [r for r in weeks if r["period"] < date(2022, 2, 21)]
    after = [r for r in weeks if r["period"] >= date(2022, 2, 21)]
    assert share(before) < 0.2 < 0.5 < share(after)


@pytest.mark.xfail(reason="the coder still misses Russia->Ukraine events of the sample's "
                   "early February reports (troops 'had' near the border, attacks whose "
                   "actor is in an earlier sentence, orders to deploy as peacekeepers; "
                   "issue 4): the index falls from January (2.5) to February 1-23 (1.9) "
                   "before it rises", strict=True)
def test_early_warning_the_index_rises_through_january_and_february(sample_db: Path):
    with Store(sample_db, read_only=True) as store:
        found = dyad_trend(store, "RUS", "UKR")

    def mean(first: date, last: date) -> float:
        values = [v for d, v in found.index if first <= d <= last]
        return sum(values) / max(1, len(values))

    january = mean(date(2022, 1, 1), date(2022, 1, 31))
    february = mean(date(2022, 2, 1), date(2022, 2, 23))
    december = mean(date(2021, 12, 1), date(2021, 12, 31))
    assert december < january < february


def test_early_warning_cli_trend_draws_and_alerts_write_json(sample_db: Path, tmp_path: Path):
    picture = tmp_path / "trend.png"
    drawn = CliRunner().invoke(app, ["trend", "--dyad", "RUS:UKR", "--by", "week", "--db",
                                     str(sample_db), "--plot", str(picture), "--format", "json"])
    assert drawn.exit_code == 0, drawn.output
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = [json.loads(line) for line in drawn.stdout.splitlines() if line.startswith("{")]
    assert rows and {"period", "events", "quad4", "stories"} <= set(rows[0])
    listed = CliRunner().invoke(app, ["alerts", "--db", str(sample_db), "--json"])
    assert listed.exit_code == 0, listed.output
    alerts = [json.loads(line) for line in listed.stdout.splitlines()]
    assert alerts and set(alerts[0]) == {"rule", "actor", "recipient", "window_start",
                                         "window_end", "value", "baseline", "threshold",
                                         "event_ids"}
    shown = CliRunner().invoke(app, ["alerts", "--db", str(sample_db), "--until",
                                     "2022-02-23"])
    assert "RUS -> UKR" in shown.stdout and "alerts" in shown.stdout
    bad = CliRunner().invoke(app, ["trend", "--dyad", "RUS", "--db", str(sample_db)])
    assert bad.exit_code == 2 and "ACTOR:RECIPIENT" in bad.output


def test_early_warning_network_as_json_graphml_and_picture(sample_db: Path, tmp_path: Path):
    import networkx as nx

    as_json = CliRunner().invoke(app, ["network", "--db", str(sample_db), "--since",
                                       "2022-02-24", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    edges = {(e["source"], e["target"]): e for e in json.loads(as_json.stdout)["edges"]}
    war = edges[("RUS", "UKR")]
    assert war["conflict"] > war["cooperation"] and war["tone"] < 0
    graphml, picture = tmp_path / "net.graphml", tmp_path / "net.png"
    written = CliRunner().invoke(app, ["network", "--db", str(sample_db), "--format",
                                       "graphml", "--out", str(graphml), "--plot", str(picture)])
    assert written.exit_code == 0, written.output
    assert nx.read_graphml(graphml).has_edge("RUS", "UKR")
    assert picture.read_bytes()[:4] == b"\x89PNG"


def test_early_warning_brief_is_one_self_contained_page(sample_db: Path, tmp_path: Path):
    page = tmp_path / "brief.html"
    made = CliRunner().invoke(app, ["brief", "--dyad", "RUS:UKR", "--since", "2022-01-01",
                                    "--db", str(sample_db), "--out", str(page)])
    assert made.exit_code == 0, made.output
    html = page.read_text()
    for part in ("<h2>Alerts</h2>", "<h2>Top events</h2>", "<h2>Who said what</h2>",
                 'src="data:image/png;base64,'):
        assert part in html
    assert "http" not in html.split("<body>")[0]  # nothing fetched to show it


def test_early_warning_brief_escapes_article_text(tmp_path: Path):
    from redline.brief import brief_html
    from test_analyse import START, store_with

    store = store_with([(START, [("ASSAULT", "RUS", "UKR")])])
    store.con.execute("UPDATE events SET text = '<script>alert(1)</script><img src=x "
                      "onerror=alert(2)>'")
    html = brief_html(store, "RUS", "UKR")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
