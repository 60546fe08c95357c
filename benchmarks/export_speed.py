"""Export speed of each format (rows/s) on a store of at least 100,000 events.

    python benchmarks/export_speed.py [--copies 90]

Builds the store as `serve_load.py` does (the sample corpus coded, then copied a
week apart), then exports every event in each format to a temporary folder,
timing each; the baseline, in the same process, is reading the same rows from
DuckDB into Arrow batches without writing them (what every format starts from).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from serve_load import build_store

from redline.exchange.exporters import export
from redline.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=90)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = build_store(Path(folder), args.copies)
        with Store(db) as store:
            started = time.perf_counter()
            rows = sum(b.num_rows for b in store.event_batches())
            base = rows / (time.perf_counter() - started)
            print(f"read into Arrow (baseline): {rows:,} rows, {base:,.0f} rows/s")
            print(f"{'format':<9} {'rows':>9} {'rows/s':>9} {'of baseline':>11} {'MB':>7}")
            for fmt in ("parquet", "csv", "plover", "gdelt", "geojson"):
                out = Path(folder) / f"events.{fmt}"
                report = export(store, fmt, out)
                size = (sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
                        if out.is_dir() else out.stat().st_size)
                rate = report.rows / report.seconds
                print(f"{fmt:<9} {report.rows:>9,} {rate:>9,.0f} {rate / base:>11.3f} "
                      f"{size / 1e6:>7.1f}")


if __name__ == "__main__":
    main()
