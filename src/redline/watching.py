"""``redline watch``: ingest feeds and pages again and again on a schedule,
then send the alerts that are new. Each round stores only what is new
(articles are known by their URL); each alert is sent once."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from redline.analyse.alerts import Rule
from redline.errors import InputError, RedlineError
from redline.ingest.sources import ReadOptions
from redline.notify import Notifier, send_new_alerts
from redline.runner import IngestReport, ingest
from redline.store import Store

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PERIOD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$", re.I)


def parse_period(text: str) -> float:
    """Seconds in a period such as ``30s``, ``15m``, ``1h`` or ``1d``."""
    match = PERIOD.match(text or "")
    if not match or float(match.group(1)) <= 0:
        raise InputError("--every", f"{text!r}: expected a period such as 30s, 15m, 1h or 1d")
    return float(match.group(1)) * UNITS[match.group(2).lower()]


def watch(urls: Iterable[str], store: Store, options: ReadOptions, every: float, *,
          rounds: int | None = None, actor_files: tuple[Path, ...] = (),
          on_round: Callable[[int, IngestReport], None] | None = None,
          rules: list[Rule] | None = None, notifier: Notifier | None = None,
          alerts_since: date | None = None,
          on_problem: Callable[[str], None] | None = None,
          sleep: Callable[[float], None] = time.sleep) -> int:
    """Ingest ``urls`` every ``every`` seconds, ``rounds`` times (None: until
    interrupted); ``on_round(number, report)`` after each. With ``rules`` and a
    ``notifier``, each round then sends the alerts not sent before (from
    ``alerts_since``); an alert that cannot be delivered is told to ``on_problem``
    and tried again next round. Returns the rounds run."""
    urls = list(urls)
    done = 0
    while rounds is None or done < rounds:
        started = time.monotonic()
        report = ingest(urls, store, options, actor_files=actor_files)
        done += 1
        if on_round:
            on_round(done, report)
        if rules and notifier:
            try:
                send_new_alerts(store, rules, notifier, alerts_since)
            except RedlineError as exc:
                if on_problem:
                    on_problem(str(exc))
        if rounds is not None and done >= rounds:
            break
        sleep(max(0.0, every - (time.monotonic() - started)))
    return done
