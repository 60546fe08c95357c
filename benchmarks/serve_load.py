"""Load on `redline serve`: concurrent clients against `/api/events` and the
dyad series on a store of at least 100,000 events.

    python benchmarks/serve_load.py [--copies 90] [--clients 8] [--seconds 20]

Builds the store once (in a temporary folder): the bundled sample corpus coded,
then copied ``--copies`` times, each copy's articles and events under new ids
and shifted by whole weeks (the same news, spread over years). Starts
`redline serve` on loopback in its own process, warms it, then runs
``--clients`` threads, each sending requests one after another (keep-alive)
for ``--seconds``: event pages with filters and cursors, CSV downloads of a
filtered view, and dyad series and escalation of the busiest dyads. Prints
p50 and p99 latency, requests/s and errors by kind of request, and as a
baseline the mean time of the same queries answered in this process straight
from the store (one thread, no HTTP, no JSON): p50 over it shows what serving
under load costs.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from redline.analyse.series import dyad_series
from redline.analyse.trend import dyad_trend
from redline.data import data_path
from redline.ingest.sources import ReadOptions
from redline.runner import ingest
from redline.store import EventFilter, Store

DYADS = ("RUS:UKR", "USA:RUS", "UKR:RUS", "RUS:USA", "NATO:RUS")
FILTERS = ({}, {"actor": "RUS"}, {"actor": "RUS", "event": "ASSAULT"},
           {"recipient": "UKR", "quad": "4"}, {"country": "UKR", "since": "2023-01-01"},
           {"q": "troops"}, {"status": "asserted", "until": "2024-06-30"})


def build_store(folder: Path, copies: int) -> Path:
    """The sample corpus coded once, then copied ``copies`` times a week apart."""
    db = folder / "load.duckdb"
    with Store(db) as store:
        ingest([str(data_path("corpus", "sample.jsonl"))], store, ReadOptions())
        con = store.con
        con.execute("BEGIN TRANSACTION")
        con.execute(f"""
            INSERT INTO articles SELECT a.* REPLACE (a.id || '-' || k AS id,
                   a.cluster_id || '-' || k AS cluster_id,
                   a.published + CAST(7 * k AS INTEGER) AS published, a.url || '#' || k AS url)
            FROM articles a, range(1, {copies + 1}) t(k)""")
        con.execute(f"""
            INSERT INTO events SELECT e.* REPLACE (e.id || '-' || k AS id,
                   e.article_id || '-' || k AS article_id,
                   e.date_start + CAST(7 * k AS INTEGER) AS date_start,
                   strftime(e.date_start + CAST(7 * k AS INTEGER), '%Y-%m-%d') AS date)
            FROM events e, range(1, {copies + 1}) t(k)""")
        con.execute(f"""
            INSERT INTO quotes SELECT q.* REPLACE (q.id || '-' || k AS id,
                   q.article_id || '-' || k AS article_id)
            FROM quotes q, range(1, {copies + 1}) t(k)""")
        con.execute("COMMIT")
        events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"store: {events:,} events in {db}")
    return db


def requests_mix(rng: random.Random) -> tuple[str, str]:
    """One request: (kind, path)."""
    roll = rng.random()
    if roll < 0.55:
        query = {**rng.choice(FILTERS), "limit": rng.choice((50, 100))}
        return "events page", "/api/events?" + urlencode(query)
    if roll < 0.65:
        query = {**rng.choice(FILTERS[1:]), "format": "csv", "limit": 1000}
        return "events csv", "/api/events?" + urlencode(query)
    if roll < 0.9:
        return "dyad series", "/api/series?" + urlencode({"dyad": rng.choice(DYADS),
                                                          "by": rng.choice(("week", "month"))})
    return "escalation", "/api/escalation?" + urlencode({"dyad": rng.choice(DYADS)})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "redline", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "REDLINE_TOKEN": "benchmark-token-0123456789"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/health")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server did not start: {server.stderr.read().decode()[-2000:]}")


def client(port: int, seconds: float, seed: int, results: list) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cursors: dict[str, str] = {}  # the next page of each query asked
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        kind, path = requests_mix(rng)
        query = path
        if kind == "events page" and query in cursors and rng.random() < 0.5:
            path += "&" + urlencode({"cursor": cursors[query]})
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            ok, body = False, b""
        results.append((kind, time.perf_counter() - started, ok))
        if ok and kind == "events page" and b'"next_cursor": "' in body and path == query:
            cursors[query] = body.split(b'"next_cursor": "')[1].split(b'"')[0].decode()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def direct_baseline(db: Path, seconds: float) -> dict[str, float]:
    """Mean seconds of the same queries answered straight from the store (one thread)."""
    rng, done = random.Random(1), {}
    with Store(db, read_only=True) as store:
        for kind in ("events page", "dyad series", "escalation"):
            count, end = 0, time.monotonic() + seconds / 3
            started = time.perf_counter()
            while time.monotonic() < end:
                if kind == "events page":
                    chosen = dict(rng.choice(FILTERS))
                    quad = chosen.pop("quad", None)
                    text = chosen.pop("q", None)
                    for name in ("since", "until"):
                        if name in chosen:
                            chosen[name] = date.fromisoformat(chosen[name])
                    store.events_page(EventFilter(**chosen, quad=int(quad) if quad else None,
                                                  text=text), 100)
                elif kind == "dyad series":
                    actor, recipient = rng.choice(DYADS).split(":")
                    dyad_series(store, by="week", actor=actor, recipient=recipient)
                else:
                    actor, recipient = rng.choice(DYADS).split(":")
                    dyad_trend(store, actor, recipient)
                count += 1
            done[kind] = (time.perf_counter() - started) / count
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=90)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = build_store(Path(folder), args.copies)
        baseline = direct_baseline(db, min(args.seconds, 15.0))
        port = _free_port()
        server = start_server(db, port)
        try:
            warm: list = []
            client(port, 3.0, 0, warm)
            results: list = []
            threads = [threading.Thread(target=client, args=(port, args.seconds, i, results))
                       for i in range(args.clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{args.clients} clients, {elapsed:.1f} s, {len(results):,} requests, "
          f"{len(results) / elapsed:.1f} requests/s, "
          f"{sum(not ok for _, _, ok in results)} errors")
    print(f"{'request':<13} {'n':>6} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} "
          f"{'direct ms':>9} {'p50/direct':>10}")
    for kind in ("events page", "events csv", "dyad series", "escalation"):
        times = [t for k, t, _ in results if k == kind]
        if not times:
            continue
        errors = sum(1 for k, _, ok in results if k == kind and not ok)
        direct = baseline.get(kind)
        median = statistics.median(times)
        print(f"{kind:<13} {len(times):>6} {len(times) / elapsed:>7.1f} {1000 * median:>8.1f} "
              f"{1000 * percentile(times, 0.99):>8.1f} {errors:>6} "
              f"{1000 * direct if direct else float('nan'):>9.1f} "
              f"{median / direct if direct else float('nan'):>10.2f}")
    every = [t for _, t, _ in results]
    print(f"all: p50 {1000 * statistics.median(every):.1f} ms, "
          f"p99 {1000 * percentile(every, 0.99):.1f} ms")


if __name__ == "__main__":
    main()
