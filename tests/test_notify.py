"""New alerts go to stdout, a JSON Lines file and a webhook, each once."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from redline.analyse.alerts import Rule
from redline.errors import InputError, RedlineError
from redline.notify import Notifier, send_new_alerts
from test_analyse import START, store_with

RULE = Rule("escalation", "index", dyad="RUS:UKR", baseline=21, ratio=2.0, z=2.0,
            min_events=4)


@pytest.fixture
def hook():
    """A webhook on loopback that keeps what it is sent; ``status`` sets its answer."""
    posted: list[dict] = []
    state = {"status": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the standard library's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if state["status"] == 200:
                posted.append(json.loads(body))
            self.send_response(state["status"])
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", posted, state
    server.shutdown()
    server.server_close()


def war_store():
    quiet = [(START + timedelta(days=7 * k), [("ACCUSE", "RUS", "UKR")]) for k in range(4)]
    war = [(START + timedelta(days=28 + k), [("ASSAULT", "RUS", "UKR")] * 2) for k in range(4)]
    return store_with(quiet + war)


def test_notify_each_alert_is_sent_once_everywhere(hook, tmp_path):
    url, posted, _ = hook
    lines: list[str] = []
    notifier = Notifier(echo=lines.append, jsonl=tmp_path / "alerts.jsonl", webhook=url,
                        allow_private=True)
    store = war_store()
    [alert] = send_new_alerts(store, [RULE], notifier)
    assert posted == [alert.to_record()]
    assert [json.loads(x) for x in (tmp_path / "alerts.jsonl").read_text().splitlines()] == [
        alert.to_record()]
    assert lines[0].startswith("ALERT escalation: RUS -> UKR")
    assert send_new_alerts(store, [RULE], notifier) == []  # sent already
    assert len(posted) == 1


def test_notify_an_alert_the_webhook_refused_is_sent_next_time(hook):
    url, posted, state = hook
    store = war_store()
    state["status"] = 500
    with pytest.raises(RedlineError, match="sent again next round"):
        send_new_alerts(store, [RULE], Notifier(webhook=url, allow_private=True))
    state["status"] = 200
    [alert] = send_new_alerts(store, [RULE], Notifier(webhook=url, allow_private=True))
    assert posted == [alert.to_record()]


def test_notify_a_webhook_that_redirects_has_not_taken_the_alert(hook):
    url, posted, state = hook
    state["status"] = 302
    with pytest.raises(RedlineError, match="did not take"):
        send_new_alerts(war_store(), [RULE], Notifier(webhook=url, allow_private=True))
    assert posted == []


def test_notify_watch_goes_on_when_the_webhook_fails(hook, tmp_path):
    from redline.ingest.sources import ReadOptions
    from redline.watching import watch

    url, _, state = hook
    state["status"] = 503
    problems: list[str] = []
    empty = tmp_path / "none.jsonl"
    empty.write_text("")
    store = war_store()
    assert watch([str(empty)], store, ReadOptions(), 1.0, rounds=2, rules=[RULE],
                 notifier=Notifier(webhook=url, allow_private=True),
                 on_problem=problems.append, sleep=lambda s: None) == 2
    assert len(problems) == 2 and "sent again next round" in problems[0]


def test_notify_a_webhook_on_a_private_address_needs_allow_private():
    with pytest.raises(InputError, match="--allow-private"):
        Notifier(webhook="http://127.0.0.1:9/hook")
