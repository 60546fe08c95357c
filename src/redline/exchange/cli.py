"""``redline export``, ``import``, ``compare`` and ``delete``: thin wrappers
around the exchange functions."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from redline.cli_options import DbOption
from redline.ingest.published import parse_published
from redline.settings import setting
from redline.store import open_store


def export_command(
    fmt: Annotated[str, typer.Option("--format", help="parquet (a folder of month "
                                     "partitions), csv, plover, gdelt or geojson.")],
    out: Annotated[Path, typer.Option("--out", help="File (folder for parquet) to write.")],
    db: DbOption = None,
    actor: Annotated[str | None, typer.Option(help="Actor code, code/sector or name.")] = None,
    recipient: Annotated[str | None, typer.Option(help="Recipient, as --actor.")] = None,
    event: Annotated[str | None, typer.Option(help="PLOVER category.")] = None,
    status: Annotated[str | None, typer.Option(help="asserted, planned, negated, ...")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest event date.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    since_cursor: Annotated[int | None, typer.Option(
        help="Only what changed after this cursor (printed by the last export); ids "
        "deleted since go to OUT.deleted.")] = None,
    cursor_file: Annotated[Path | None, typer.Option(
        help="Read --since-cursor from this file if it exists, and write the new cursor "
        "to it after the export (for a sync on a schedule).")] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace OUT if it exists.")] = False,
) -> None:
    """Export stored events: Parquet by month, CSV, PLOVER JSON Lines, GDELT 2.0 event
    TSV or GeoJSON, with the filters of `redline events`."""
    from redline.cli import _read_store, errors
    from redline.cli import out as console
    from redline.exchange.exporters import export
    from redline.store import EventFilter

    with errors():
        start = since_cursor
        if start is None and cursor_file is not None and cursor_file.exists():
            start = _cursor_in(cursor_file)
        filters = EventFilter(actor, recipient, event, status, parse_published(since, "--since"),
                         parse_published(until, "--until"), limit)
        with _read_store(db) as store:
            report = export(store, fmt, out, filters, since_cursor=start,
                            overwrite=overwrite or cursor_file is not None)
        if cursor_file is not None:
            cursor_file.write_text(f"{report.cursor}\n", encoding="utf-8")
        rate = report.rows / report.seconds if report.seconds else 0
        deleted = (f", {report.deleted} deleted -> {report.deleted_path}"
                   if report.deleted_path else "")
        console.print(f"{report.rows} events -> {out} ({rate:,.0f} rows/s){deleted}; "
                      f"cursor {report.cursor}", highlight=False)


def _cursor_in(path: Path) -> int:
    from redline.errors import InputError

    text = path.read_text(encoding="utf-8").strip()
    if not text.isdigit():
        raise InputError(str(path), f"{text!r} is not a cursor (a whole number)")
    return int(text)


def import_command(
    paths: Annotated[list[Path], typer.Argument(help="Files (.gz and .zip too).")],
    fmt: Annotated[str, typer.Option("--format", help="plover (JSON Lines) or gdelt "
                                     "(GDELT 2.0 event TSV).")],
    dataset: Annotated[str, typer.Option(help="Name to keep these events under, e.g. "
                                         "polecat-2022 or gdelt-feb.")],
    db: DbOption = None,
) -> None:
    """Import another coder's events (PLOVER JSON Lines or GDELT 2.0 event TSV) into
    their own tables, for `redline compare`; importing twice changes nothing."""
    from redline.cli import EXIT_REJECTS, _report_rejects, errors
    from redline.cli import out as console
    from redline.exchange.imports import import_files

    with errors():
        with open_store(setting("db", db)) as store:
            report = import_files(store, fmt, paths, dataset)
        _report_rejects(report.rejects)
        console.print(f"{report.rows} {fmt} events stored as {dataset!r}, "
                      f"{len(report.rejects)} rejected", highlight=False)
    if report.rejects:
        raise typer.Exit(EXIT_REJECTS)


def compare_command(
    dyad: Annotated[str, typer.Option(help="ACTOR:RECIPIENT codes, e.g. RUS:UKR.")],
    against: Annotated[str, typer.Option("--with", help="gdelt or plover (imported), with "
                                         ":DATASET to choose one.")],
    by: Annotated[str, typer.Option(help="day, week or month.")] = "week",
    since: Annotated[str | None, typer.Option(help="Earliest event date.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date.")] = None,
    plot: Annotated[Path | None, typer.Option(help="Draw both series to this PNG.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One period a line, JSON, then "
                                          "the correlations.")] = False,
    db: DbOption = None,
) -> None:
    """Our dyad series beside GDELT's or a PLOVER dataset's: events and mean scale a
    period, and their correlation."""
    from rich.table import Table

    from redline.analyse.trend import parse_dyad
    from redline.cli import _read_store, errors
    from redline.cli import out as console
    from redline.exchange.compare import compare
    from redline.plots import compare_png

    with errors():
        actor, recipient = parse_dyad(dyad)
        with _read_store(db) as store:
            found = compare(store, against, actor, recipient, by=by,
                            since=parse_published(since, "--since"),
                            until=parse_published(until, "--until"))
        if plot:
            compare_png(found, plot)
        if as_json:
            for row in found.rows:
                sys.stdout.write(json.dumps(row, default=str) + "\n")
            sys.stdout.write(json.dumps({"events_r": found.events_r,
                                         "scale_r": found.scale_r}) + "\n")
            return
        table = Table(title=f"{actor} → {recipient}: redline and {against}")
        for title in ("period", "redline events", "redline scale", f"{against} events",
                      f"{against} scale"):
            table.add_column(title, justify="right")
        for r in found.rows:
            table.add_row(str(r["period"]), str(r["ours_events"]), _number(r["ours_scale"]),
                          str(r["theirs_events"]), _number(r["theirs_scale"]))
        console.print(table)
        console.print(f"correlation of events a {by}: {_number(found.events_r)}; of mean "
                      f"scale: {_number(found.scale_r)}", highlight=False)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def delete_command(
    article_ids: Annotated[list[str], typer.Argument(help="Ids of the articles to remove.")],
    db: DbOption = None,
) -> None:
    """Remove articles with their events and quotes (a story with its copies); the
    next `redline export --since-cursor` lists the events as deleted."""
    from redline.cli import errors
    from redline.cli import out as console

    with errors():
        with open_store(setting("db", db)) as store:
            removed = store.delete_articles(article_ids)
        console.print(f"{removed} articles removed", highlight=False)

