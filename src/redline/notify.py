"""Sending new alerts where people see them — stdout, a JSON Lines file, a
webhook (a JSON POST per alert) — each alert once: the store remembers what
was sent, and an alert that could not be delivered is tried again next time."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path

from redline import __version__
from redline.analyse.alerts import Alert, Rule, evaluate
from redline.errors import InputError, RedlineError
from redline.ingest.fetch import check_address, guarded_handlers
from redline.store import Store

TIMEOUT = 10.0


def _key(alert: Alert) -> tuple[str, str, str | None, date]:
    return alert.rule, alert.actor, alert.recipient, alert.window_end


class Notifier:
    """Where alerts go: ``echo`` (a line of text each), a JSON Lines file, a webhook."""

    def __init__(self, *, echo: Callable[[str], None] | None = None,
                 jsonl: Path | None = None, webhook: str | None = None,
                 allow_private: bool = False) -> None:
        if webhook:
            check_address(webhook, allow_private)
        self.echo, self.jsonl, self.webhook = echo, jsonl, webhook
        self.allow_private = allow_private

    def send(self, alert: Alert) -> None:
        """Deliver one alert everywhere (the local outputs first); RedlineError if the
        webhook does not take it."""
        record = alert.to_record()
        if self.echo:
            self.echo(f"ALERT {alert.rule}: {alert.actor} -> {alert.recipient or 'anyone'} "
                      f"{alert.window_start}..{alert.window_end} value {alert.value:g} "
                      f"(baseline {alert.baseline:g}, threshold {alert.threshold:g}), "
                      f"{len(alert.event_ids)} events")
        if self.jsonl:
            with self.jsonl.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record) + "\n")
        if self.webhook:
            self._post(record)

    def _post(self, record: dict) -> None:
        opener = urllib.request.build_opener(*guarded_handlers(self.allow_private),
                                             _NoRedirects())
        request = urllib.request.Request(
            self.webhook, data=json.dumps(record).encode("utf-8"), method="POST",
            headers={"Content-Type": "application/json",
                     "User-Agent": f"redline/{__version__}"})
        try:
            with opener.open(request, timeout=TIMEOUT) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError, InputError) as exc:
            raise RedlineError(f"{self.webhook}: the webhook did not take the alert "
                               f"({getattr(exc, 'reason', exc)}); it is sent again "
                               "next round") from exc


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        """A webhook that answers a POST with a redirect has not taken it."""
        return None


def send_new_alerts(store: Store, rules: list[Rule], notifier: Notifier,
                    since: date | None = None) -> list[Alert]:
    """Evaluate the rules and send the alerts not sent before (from ``since``);
    the ones delivered are recorded as sent and returned."""
    fired = evaluate(store, rules, since)
    fresh = [a for a, new in zip(fired, store.unsent([_key(a) for a in fired]), strict=True)
             if new]
    sent = []
    try:
        for alert in fresh:
            notifier.send(alert)
            sent.append(alert)
    finally:
        store.mark_sent([_key(a) for a in sent])
    return sent
