"""The ``redline`` command line: thin wrappers around the library's functions."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from redline import __version__
from redline.analyse.alerts import active_rules, load_rules
from redline.analyse.alerts import evaluate as evaluate_alerts
from redline.analyse.network import actor_network, network_json
from redline.analyse.trend import dyad_trend, parse_dyad
from redline.brief import brief_html
from redline.cli_options import DbOption
from redline.data import data_path
from redline.engines import make_engine
from redline.errors import InputError, RedlineError
from redline.evaluation import evaluate
from redline.exchange.cli import compare_command, delete_command, export_command, import_command
from redline.extract import extract_articles
from redline.ingest.inputs import count_articles, read_inputs
from redline.ingest.published import parse_published
from redline.ingest.sources import RECORD_FIELDS, ReadOptions, Rejected, source_named
from redline.nlp import load_gazetteer, shipped_kb
from redline.nlp.gazetteer import search_places
from redline.notify import Notifier
from redline.plots import confusion_png, network_png, trend_png
from redline.progress import IngestProgress, simple_progress
from redline.relate import Pair, make_pair, relate_pairs, relate_sentence
from redline.runner import IngestReport, ingest
from redline.serve.cli import serve
from redline.serve.client import ingest_remote
from redline.settings import actor_files, setting
from redline.store import EventFilter, Store, open_store, table_records
from redline.store.formats import flat_value, write_csv
from redline.store.targets import is_postgres, redacted
from redline.watching import parse_period
from redline.watching import watch as watch_feeds

app = typer.Typer(help="redline: news in, PLOVER political events out.", no_args_is_help=True,
                  add_completion=False)
actors_app = typer.Typer(help="Look up the actor knowledge base.", no_args_is_help=True)
places_app = typer.Typer(help="Look up the offline gazetteer.", no_args_is_help=True)
app.add_typer(actors_app, name="actors")
app.add_typer(places_app, name="places")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

MAX_SHOWN = 5  # events printed under each alert
SMALL_RUN = 64  # articles: fewer are coded in this process whatever --engine pool says
EXIT_REJECTS = 1
EXIT_ERROR = 2


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class EngineName(StrEnum):
    pool = "pool"
    serial = "serial"
    ray = "ray"


class What(StrEnum):
    events = "events"
    quotes = "quotes"


RulesOption = Annotated[Path | None, typer.Option(
    help="Alert rules YAML (default: the store's own rules, set through the REST API, "
    "else redline's).")]
ActorsOption = Annotated[list[Path] | None, typer.Option(
    "--actors", help="Extra actor knowledge-base YAML file (repeatable).")]
MaxMbOption = Annotated[float | None, typer.Option(
    "--max-mb", help="Largest article accepted, in MB (env REDLINE_MAX_MB).")]
PublishedOption = Annotated[str | None, typer.Option(
    "--published", help="Publication date (YYYY-MM-DD) of plain-text input.")]
JsonlOption = Annotated[bool, typer.Option("--jsonl", help="Read inputs as JSON Lines "
                                           "(same as --format jsonl).")]
FormatOption = Annotated[str | None, typer.Option(
    "--format", help="Read every input with this reader (text, jsonl, csv, html, feed, warc), "
    "whatever its suffix.")]
AllowPrivateOption = Annotated[bool, typer.Option(
    "--allow-private", help="Fetch from private, loopback and link-local addresses too.")]
TimeoutOption = Annotated[float, typer.Option(
    "--timeout", min=0.1, help="Seconds a fetch may wait for an answer.")]
FollowOption = Annotated[bool, typer.Option(
    "--follow/--no-follow", help="Fetch the page of each entry of a feed given as a URL "
    "(else the entry's own text).")]
ColumnOption = Annotated[list[str] | None, typer.Option(
    "--column", help="FIELD=NAME: read an article field (text, id, url, title, published, "
    "source) from this CSV column or JSONL key (repeatable).")]
ProgressOption = Annotated[bool, typer.Option("--progress/--no-progress",
                                              help="Show a progress bar.")]


@contextmanager
def errors() -> Iterator[None]:
    """Turn redline's errors into one clear line on stderr and a failing exit status."""
    try:
        yield
    except RedlineError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(EXIT_ERROR) from exc


def _options(published: str | None, max_mb: float | None,
             columns: list[str] | None = None, *, allow_private: bool = False,
             follow: bool = True, timeout: float = 20.0) -> ReadOptions:
    mapping = {}
    for given in columns or []:
        name, sep, column = given.partition("=")
        if not sep or name not in RECORD_FIELDS or not column:
            raise InputError("--column", f"{given!r}: expected FIELD=NAME with FIELD one of "
                             f"{', '.join(RECORD_FIELDS)}")
        mapping[name] = column
    return ReadOptions(published=parse_published(published, "--published"),
                       max_mb=float(setting("max_mb", max_mb)), columns=mapping,
                       allow_private=allow_private, follow_links=follow, timeout=timeout)


def _reader(fmt: str | None, jsonl: bool) -> str | None:
    """The reader forced by --format or --jsonl (checked to exist), or None."""
    if fmt and jsonl and fmt != "jsonl":
        raise InputError("--jsonl", f"contradicts --format {fmt}: give one of them")
    name = fmt or ("jsonl" if jsonl else None)
    if name is not None:
        source_named(name)
    return name


def _report_rejects(rejects: list[Rejected]) -> None:
    for reject in rejects:
        err.print(f"[yellow]rejected[/yellow] {reject}", highlight=False)


@app.callback(invoke_without_command=True)
def main(version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False
         ) -> None:
    if version:
        out.print(f"redline {__version__}")
        raise typer.Exit()


@app.command()
def extract(
    paths: Annotated[list[str] | None, typer.Argument(help="Text or JSONL files; '-' for stdin.")
                     ] = None,
    jsonl: JsonlOption = False,
    reader: FormatOption = None,
    columns: ColumnOption = None,
    published: PublishedOption = None,
    what: Annotated[What, typer.Option("--what", help="Records to write.")] = What.events,
    actors: ActorsOption = None,
    max_mb: MaxMbOption = None,
) -> None:
    """Code texts and write one record a line to stdout; nothing is stored."""
    with errors():
        options = _options(published, max_mb, columns)
        forced = _reader(reader, jsonl)
        rejects: list[Rejected] = []

        def articles():
            for item in read_inputs(paths or ["-"], options, forced=forced):
                if isinstance(item, Rejected):
                    rejects.append(item)
                    _report_rejects([item])
                else:
                    yield item

        def failed(article, error: str) -> None:
            reject = Rejected(article.origin or article.id, f"could not be coded ({error})")
            rejects.append(reject)
            _report_rejects([reject])

        write = sys.stdout.write
        for _article, events, quotes in extract_articles(articles(), actor_files(actors),
                                                         on_error=failed):
            for record in events if what is What.events else quotes:
                write(json.dumps(record.to_record(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    if rejects:
        raise typer.Exit(EXIT_REJECTS)


def _run_ingest(paths: list[str], db: str, options: ReadOptions, forced: str | None,
                actors: tuple[Path, ...], progress: bool, *, engine: str = "serial",
                workers: int | None = None, address: str | None = None,
                rejects_file: Path | None = None) -> IngestReport:
    total = count_articles(paths, forced) if progress or engine == "pool" else None
    if engine == "pool" and total is not None and total < SMALL_RUN:
        engine = "serial"  # starting workers would take longer than the work
    with open_store(db) as store, IngestProgress(err, total, progress) as shown:
        runner = make_engine(engine, workers, actors, address)
        return ingest(paths, store, options, forced=forced, actor_files=actors,
                      engine=runner, on_progress=shown.update, rejects_file=rejects_file)


def _print_report(report: IngestReport, db: str) -> None:
    _report_rejects(report.rejects)
    parts = [f"{report.added} articles added",
             f"{report.copies} copies of stored stories" if report.copies else "",
             f"{report.skipped} already stored",
             f"{report.foreign} not in English" if report.foreign else "",
             f"{report.events} events", f"{report.quotes} quotes",
             f"{len(report.rejects)} rejected"]
    out.print(", ".join(p for p in parts if p) + f" -> {redacted(db)} "
              f"({report.seconds:.1f} s)",
              highlight=False)


def _rejects_path(db: str, given: Path | None) -> Path | None:
    if given is not None:
        return given
    if db == ":memory:":
        return None
    if is_postgres(db):  # beside the working folder, named for the database
        return Path(redacted(db).rsplit("/", 1)[-1].split("?")[0] + ".rejects.jsonl")
    return Path(db).with_suffix(".rejects.jsonl")


app.command("serve")(serve)
app.command("export")(export_command)
app.command("import")(import_command)
app.command("compare")(compare_command)
app.command("delete")(delete_command)


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(
        help="Files, directories, URLs of pages or feeds, or '-' (stdin).")],
    db: DbOption = None,
    jsonl: JsonlOption = False,
    reader: FormatOption = None,
    columns: ColumnOption = None,
    published: PublishedOption = None,
    actors: ActorsOption = None,
    max_mb: MaxMbOption = None,
    allow_private: AllowPrivateOption = False,
    follow: FollowOption = True,
    timeout: TimeoutOption = 20.0,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Worker processes (default: the machine's cores).")] = None,
    engine: Annotated[EngineName, typer.Option(
        "--engine", help="pool (local processes), serial, or ray.")] = EngineName.pool,
    ray_address: Annotated[str | None, typer.Option(
        "--ray-address", help="Ray cluster to join (default: RAY_ADDRESS, else a local "
        "Ray).")] = None,
    rejects: Annotated[Path | None, typer.Option(
        "--rejects", help="Append rejected inputs here as JSON Lines (default: beside the "
        "database, NAME.rejects.jsonl).")] = None,
    progress: ProgressOption = True,
    server: Annotated[str | None, typer.Option(
        "--server", help="Post the articles to this `redline serve` (it codes and stores "
        "them in its database); sends REDLINE_TOKEN.")] = None,
) -> None:
    """Store articles with their events and quotes; running it twice changes nothing,
    and a run interrupted at any point resumes where it stopped."""
    with errors():
        target = setting("db", db)
        options = _options(published, max_mb, columns, allow_private=allow_private,
                           follow=follow, timeout=timeout)
        if server:
            report = _post_to_server(server, paths, options, _reader(reader, jsonl), progress)
            _print_report(report, server)
            if report.rejects:
                raise typer.Exit(EXIT_REJECTS)
            return
        report = _run_ingest(paths, target, options,
                             _reader(reader, jsonl), actor_files(actors), progress,
                             engine=engine.value, workers=workers, address=ray_address,
                             rejects_file=_rejects_path(target, rejects))
        _print_report(report, target)
    if report.rejects:
        out.print(f"rejects: {_rejects_path(target, rejects) or 'see above'}", highlight=False)
        raise typer.Exit(EXIT_REJECTS)


def _post_to_server(server: str, paths: list[str], options: ReadOptions, forced: str | None,
                    progress: bool) -> IngestReport:
    started = time.perf_counter()
    with simple_progress(err, progress) as bar:
        task = bar.add_task(f"posting to {server}", total=count_articles(paths, forced))
        report = ingest_remote(server, setting("token"),
                               read_inputs(paths, options, forced=forced),
                               on_batch=lambda _report, n: bar.advance(task, n))
    report.seconds = time.perf_counter() - started
    return report


def _read_store(db: str | None) -> Store:
    target = setting("db", db)
    return open_store(target, read_only=_exists(target))


@app.command()
def trend(
    dyad: Annotated[str, typer.Option(help="ACTOR:RECIPIENT codes, e.g. RUS:UKR.")],
    by: Annotated[str, typer.Option(help="day, week or month.")] = "week",
    undirected: Annotated[bool, typer.Option(
        help="Count both directions together in the series (the index and alerts stay "
        "those of ACTOR toward RECIPIENT).")] = False,
    since: Annotated[str | None, typer.Option(help="Earliest event date.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date.")] = None,
    rules: RulesOption = None,
    plot: Annotated[Path | None, typer.Option(help="Draw the trend to this PNG.")] = None,
    stack: Annotated[str, typer.Option(help="Stack bars by quad or category.")] = "quad",
    db: DbOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
) -> None:
    """A dyad over time: events by quad class and category per period, the news
    volume, the escalation index against its alert threshold, and alerts."""
    with errors():
        actor, recipient = parse_dyad(dyad)
        if stack not in ("quad", "category"):
            raise InputError("--stack", f"{stack!r}: quad or category")
        with _read_store(db) as store:
            found = dyad_trend(store, actor, recipient, by=by, directed=not undirected,
                               rules=active_rules(store, rules),
                               since=parse_published(since, "--since"),
                               until=parse_published(until, "--until"))
        _write(found.series, fmt, [(c, c) for c in (
            "period", "events", "quad1", "quad2", "quad3", "quad4", "threat", "ASSAULT",
            "MOBILIZE", "scale_mean", "stories", "per_100_stories")])
        for alert in found.alerts:
            err.print(f"alert {alert.rule} {alert.actor}->{alert.recipient or 'anyone'} "
                      f"{alert.window_end}: {alert.value:g} over {alert.threshold:g}",
                      highlight=False)
        if plot is not None:
            arrow = "<->" if undirected else "->"
            path = trend_png(found.series, found.index, found.threshold,
                             [(a.window_end, a.rule) for a in found.alerts], plot,
                             f"{actor} {arrow} {recipient}: events per {by} and escalation "
                             "index (redline)", by, stack, found.window)
            out.print(f"trend: {path}", highlight=False)


class NetworkFormat(StrEnum):
    table = "table"
    json = "json"
    graphml = "graphml"


@app.command()
def network(
    since: Annotated[str | None, typer.Option(help="Earliest event date.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date.")] = None,
    top: Annotated[int, typer.Option(min=1, help="The heaviest edges kept.")] = 60,
    plot: Annotated[Path | None, typer.Option(help="Draw the network to this PNG.")] = None,
    fmt: Annotated[NetworkFormat, typer.Option("--format", help="table, json or graphml.")
                   ] = NetworkFormat.table,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write json or graphml "
                                                  "here (default: stdout).")] = None,
    db: DbOption = None,
) -> None:
    """The actor network of a period: edges weighted by events and coloured by
    cooperation and conflict."""
    with errors():
        with _read_store(db) as store:
            graph = actor_network(store, parse_published(since, "--since"),
                                  parse_published(until, "--until"), top)
        if fmt is NetworkFormat.graphml:
            import networkx as nx

            target = out_file or sys.stdout.buffer
            nx.write_graphml(graph, target)
        elif fmt is NetworkFormat.json:
            text = json.dumps(network_json(graph), indent=2)
            if out_file:
                out_file.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text + "\n")
        else:
            rows = network_json(graph)["edges"]
            _write(rows, Format.table, [(c, c) for c in (
                "source", "target", "weight", "cooperation", "conflict", "tone", "scale")])
        if plot is not None:
            title = (f"Actor network, {since or 'start'} to {until or 'end'} "
                     f"(redline; at most {top} edges)")
            err.print(f"network: {network_png(graph, plot, title)}", highlight=False)


@app.command()
def brief(
    dyad: Annotated[str, typer.Option(help="ACTOR:RECIPIENT codes, e.g. RUS:UKR.")],
    out_file: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    since: Annotated[str | None, typer.Option(help="Earliest event date.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date.")] = None,
    by: Annotated[str, typer.Option(help="day, week or month, for the picture.")] = "week",
    db: DbOption = None,
) -> None:
    """A one-page situation report on a dyad (HTML, self-contained): the trend
    picture, top events with their sentences and sources, who said what, alerts."""
    with errors():
        actor, recipient = parse_dyad(dyad)
        with _read_store(db) as store:
            page = brief_html(store, actor, recipient, by=by,
                              since=parse_published(since, "--since"),
                              until=parse_published(until, "--until"))
        out_file.write_text(page, encoding="utf-8")
        out.print(f"brief: {out_file}", highlight=False)


@app.command()
def alerts(
    rules: RulesOption = None,
    since: Annotated[str | None, typer.Option(help="First day an alert may fire.")] = None,
    until: Annotated[str | None, typer.Option(help="Last day considered.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One alert a line, JSON.")] = False,
    db: DbOption = None,
) -> None:
    """Evaluate the alert rules over the stored events; each alert with the events
    and sentences behind it."""
    with errors():
        with _read_store(db) as store:
            fired = evaluate_alerts(store, active_rules(store, rules),
                                    parse_published(since, "--since"),
                                    parse_published(until, "--until"))
            behind = {r["id"]: r for r in table_records(store.events(EventFilter(
                ids=sorted({i for a in fired for i in a.event_ids}))))} if fired else {}
        if as_json:
            for alert in fired:
                sys.stdout.write(json.dumps(alert.to_record()) + "\n")
            return
        for alert in fired:
            out.print(f"[bold]{alert.window_end}[/bold] {alert.rule}: {alert.actor} -> "
                      f"{alert.recipient or 'anyone'} {alert.value:g} (baseline "
                      f"{alert.baseline:g}, threshold {alert.threshold:g}; window "
                      f"{alert.window_start} to {alert.window_end})", highlight=False)
            for event_id in alert.event_ids[:MAX_SHOWN]:
                record = behind.get(event_id)
                if record:
                    out.print(f"  {record['date']} {record['event']} {flat_value(record['actor'])}"
                              f" -> {flat_value(record['recipient'])}: {record['text']}",
                              highlight=False, style="dim")
            if len(alert.event_ids) > MAX_SHOWN:
                out.print(f"  ... and {len(alert.event_ids) - MAX_SHOWN} more events",
                          style="dim")
        out.print(f"{len(fired)} alerts", style="dim")


@app.command()
def watch(
    urls: Annotated[list[str], typer.Argument(help="Feed or page URLs (or files).")],
    every: Annotated[str, typer.Option(help="How often: 30s, 15m, 1h, 1d.")] = "15m",
    rounds: Annotated[int | None, typer.Option(
        min=1, help="Stop after this many rounds (default: until Ctrl-C).")] = None,
    db: DbOption = None,
    actors: ActorsOption = None,
    max_mb: MaxMbOption = None,
    allow_private: AllowPrivateOption = False,
    follow: FollowOption = True,
    timeout: TimeoutOption = 20.0,
    rules: Annotated[Path | None, typer.Option(help="Alert rules YAML (default: "
                                               "redline's).")] = None,
    alerts_jsonl: Annotated[Path | None, typer.Option(
        "--alerts-jsonl", help="Also append new alerts to this JSON Lines file.")] = None,
    webhook: Annotated[str | None, typer.Option(
        help="Also POST each new alert as JSON to this URL.")] = None,
    alerts_since: Annotated[str | None, typer.Option(
        help="Send alerts from this day on (default: the last 7 days).")] = None,
) -> None:
    """Ingest feeds on a schedule: each round stores what is new, says so, and sends
    the alerts not sent before (to stdout, and --alerts-jsonl, --webhook)."""
    with errors():
        period = parse_period(every)
        options = _options(None, max_mb, allow_private=allow_private, follow=follow,
                           timeout=timeout)
        target = setting("db", db)
        notifier = Notifier(echo=lambda line: out.print(line, highlight=False),
                            jsonl=alerts_jsonl, webhook=webhook, allow_private=allow_private)
        since = (parse_published(alerts_since, "--alerts-since")
                 or date.today() - timedelta(days=7))

        def said(number: int, report: IngestReport) -> None:
            stamp = datetime.now().isoformat(timespec="seconds")
            out.print(f"{stamp} round {number}: ", end="", highlight=False)
            _print_report(report, target)

        with open_store(target) as store:
            try:
                watch_feeds(urls, store, options, period, rounds=rounds,
                            actor_files=actor_files(actors), on_round=said,
                            rules=load_rules(rules), notifier=notifier, alerts_since=since,
                            on_problem=lambda problem: err.print(
                                f"[yellow]alert not sent[/yellow] {problem}", highlight=False))
            except KeyboardInterrupt:
                out.print("stopped", highlight=False)


def _write(records: list[dict], fmt: Format, columns: list[tuple[str, str]]) -> None:
    if fmt is Format.json:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    elif fmt is Format.csv:
        write_csv(records, sys.stdout)
    else:
        table = Table(show_lines=False)
        for _key, title in columns:
            table.add_column(title, overflow="fold")
        for record in records:
            table.add_row(*(flat_value(record.get(key)) for key, _ in columns))
        out.print(table)
        out.print(f"{len(records)} rows", style="dim")


@app.command()
def events(
    db: DbOption = None,
    actor: Annotated[str | None, typer.Option(help="Actor code (RUS), code/sector (RUS/MIL) "
                                              "or name.")] = None,
    recipient: Annotated[str | None, typer.Option(help="Recipient, as --actor.")] = None,
    event: Annotated[str | None, typer.Option(help="PLOVER category, e.g. ASSAULT.")] = None,
    status: Annotated[str | None, typer.Option(help="asserted, planned, negated, ...")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest event date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date, YYYY-MM-DD.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
    counts: Annotated[bool, typer.Option(
        "--counts", help="Add num_articles and num_sources: the reports of each event's "
        "story, copies included.")] = False,
) -> None:
    """Query stored events."""
    with errors():
        filters = EventFilter(actor, recipient, event, status, parse_published(since, "--since"),
                              parse_published(until, "--until"), limit)
        with _read_store(db) as store:
            records = table_records(store.events(filters, counts=counts))
        shown = [("date", "date"), ("event", "event"), ("status", "status"),
                 ("actor", "actor"), ("recipient", "recipient"), ("event_text", "trigger")]
        if counts:
            shown += [("num_articles", "articles"), ("num_sources", "sources")]
        _write(records, fmt, [*shown, ("text", "sentence")])


def _exists(db: str) -> bool:
    if db == ":memory:" or is_postgres(db):
        return False
    if not Path(db).exists():
        raise InputError(db, "no such database (run `redline ingest` first)")
    return True


@app.command()
def quotes(
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option(help="Speaker code or name.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest publication date.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest publication date.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many quotes.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
) -> None:
    """Query stored quotes (who said what)."""
    with errors():
        with _read_store(db) as store:
            records = table_records(store.quotes(speaker, parse_published(since, "--since"),
                                                 parse_published(until, "--until"), limit))
        _write(records, fmt, [("speaker", "speaker"), ("cue", "cue"), ("direct", "direct"),
                              ("text", "quote")])


@app.command()
def demo(
    db: DbOption = None,
    progress: ProgressOption = True,
) -> None:
    """Ingest the bundled sample corpus and print a summary."""
    with errors():
        target = setting("demo_db", db)
        corpus = data_path("corpus", "sample.jsonl")
        report = _run_ingest([str(corpus)], target, _options(None, None), "jsonl",
                             actor_files(), progress)
        _print_report(report, target)
        with open_store(target) as store:
            summary = store.summary()
        _print_summary(summary, target)


def _print_summary(summary: dict, db: str) -> None:
    out.print(f"[bold]{summary['articles']}[/bold] articles, [bold]{summary['events']}[/bold] "
              f"events, [bold]{summary['quotes']}[/bold] quotes")
    for title, key in (("events by category", "by_event"), ("events by status", "by_status")):
        table = Table(title=title)
        table.add_column(title.split()[-1])
        table.add_column("events", justify="right")
        for name, n in summary[key].items():
            table.add_row(name, str(n))
        out.print(table)
    dyads = Table(title="top dyads (actor -> recipient)")
    for column in ("actor", "recipient", "events"):
        dyads.add_column(column, justify="right" if column == "events" else "left")
    for actor, recipient, n in summary["top_dyads"]:
        dyads.add_row(actor, recipient, str(n))
    out.print(dyads)
    out.print(f"database: {db}\ntry: redline events --db {db} --actor RUS --event MOBILIZE",
              highlight=False)


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(help="PLOVER JSON gold records, or a PLV TSV.")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the figures here.")
                        ] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Draw the confusion matrix "
                                              "to this PNG.")] = None,
    given_related: Annotated[bool, typer.Option(
        "--given-related", help="Relation classification: every gold pair is related, so "
        "name the best category even where 'none' scores higher (as systems that always "
        "name one are scored).")] = False,
) -> None:
    """Score the coder on a gold file: per-category precision, recall, F1, macro-F1,
    the confusion of labels, and actor agreement."""
    with errors():
        figures = evaluate(gold, given_related)
        table = Table(title=f"{figures['task']}: {figures['gold']}")
        for column in ("category", "precision", "recall", "f1", "gold", "predicted"):
            table.add_column(column, justify="left" if column == "category" else "right")
        for name, row in figures["per_category"].items():
            table.add_row(name, *(str(row[c]) for c in ("precision", "recall", "f1", "gold",
                                                        "predicted")))
        out.print(table)
        micro = figures["micro"]
        out.print(f"macro-F1 {figures['macro_f1']:.3f}   micro P {micro['precision']:.3f} "
                  f"R {micro['recall']:.3f} F1 {micro['f1']:.3f}", highlight=False)
        if figures["actor_agreement"] is not None:
            agreement = figures["actor_agreement"]
            out.print(f"actor agreement {agreement['share']:.3f} ({agreement['matched']}/"
                      f"{agreement['total']} gold actors)", highlight=False)
        confused = sorted((c for c in figures["confusion"] if c["gold"] != c["predicted"]),
                          key=lambda c: -c["n"])[:10]
        if confused:
            out.print("most confused (gold -> predicted): " + ", ".join(
                f"{c['gold']}->{c['predicted']} {c['n']}" for c in confused), highlight=False)
        if json_out is not None:
            json_out.write_text(json.dumps(figures, indent=2), encoding="utf-8")
        if plot is not None:
            out.print(f"confusion matrix: {confusion_png(figures, plot)}", highlight=False)


@app.command()
def train(
    data: Annotated[Path | None, typer.Option(
        help="Folder of relations*.jsonl training files (default: the shipped ones).")] = None,
    model_out: Annotated[Path | None, typer.Option(
        "--out", help="Where to write the model (default: the shipped model).")] = None,
) -> None:
    """Rebuild the relation classifier from our training sentences; report held-out scores."""
    from redline.training import load_examples
    from redline.training import train as train_model

    with errors():
        total = len(load_examples(data or data_path("training")))
        with simple_progress(err) as progress:
            task = progress.add_task("parsing training sentences", total=total)
            report = train_model(data, model_out, lambda: progress.advance(task))
        table = Table(title=f"held out: {report.held_out} of {report.examples} sentences")
        for column in ("category", "n", "model F1", "rules F1"):
            table.add_column(column, justify="left" if column == "category" else "right")
        model, rules = report.model.summary(), report.rules.summary()
        for name, figures in model["per_category"].items():
            table.add_row(name, str(figures["gold"]), f"{figures['f1']:.3f}",
                          f"{rules['per_category'][name]['f1']:.3f}")
        table.add_row("macro-F1", "", f"{model['macro_f1']:.3f}", f"{rules['macro_f1']:.3f}")
        out.print(table)
        out.print(f"mode accuracy, given the category: {report.mode_accuracy():.3f}")
        out.print(f"models: {report.path} ({report.features} features)", highlight=False)


@app.command()
def relate(
    sentence: Annotated[str | None, typer.Argument(
        help="The sentence; may mark <s>actor</s> and <t>recipient</t>.")] = None,
    source: Annotated[str | None, typer.Option(help="The acting mention.")] = None,
    target: Annotated[str | None, typer.Option(help="The mention acted upon.")] = None,
    published: PublishedOption = None,
    jsonl: Annotated[bool, typer.Option(
        "--jsonl", help='Read lines {"sentence", "source", "target"} or {"marked_sentence"} '
        'from stdin; write {"event", "scores"} for each, in order.')] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Write JSON.")] = False,
) -> None:
    """The PLOVER category between two actors of a sentence, or none, with scores."""
    with errors():
        day = parse_published(published, "--published")
        if jsonl:
            pairs = [_jsonl_pair(line, n, day) for n, line in enumerate(sys.stdin, 1)
                     if line.strip()]
            for found in relate_pairs(pairs):
                sys.stdout.write(json.dumps(found) + "\n")
            return
        if sentence is None:
            raise InputError("sentence", "give a sentence, or --jsonl to read them from stdin")
        found = relate_sentence(sentence, source, target, day)
        if as_json:
            sys.stdout.write(json.dumps(found) + "\n")
            return
        out.print(f"[bold]{found['event'] or 'none'}[/bold]  "
                  f"({found['source']} -> {found['target']})", highlight=False)
        for name, score in found["scores"].items():
            out.print(f"  {name:10} {score:.2f}", highlight=False)


def _jsonl_pair(line: str, number: int, day: date | None) -> Pair:
    where = f"stdin line {number}"
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"not JSON: {exc.msg}") from exc
    if not isinstance(item, dict):
        raise InputError(where, "each line must be a JSON object")
    sentence = item.get("marked_sentence") or item.get("sentence")
    if not isinstance(sentence, str):
        raise InputError(where, 'needs "sentence" (with "source" and "target") or '
                                '"marked_sentence"')
    return make_pair(sentence, item.get("source"), item.get("target"), day, where)


@actors_app.command("search")
def actors_search(
    text: Annotated[str, typer.Argument(help="A name or part of one.")],
    on: Annotated[str | None, typer.Option("--on", help="Code as of this date (YYYY-MM-DD).")
                  ] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 20,
    actors: ActorsOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
) -> None:
    """Find actors by name: id, kind, and code and sector (on a date)."""
    with errors():
        day = parse_published(on, "--on")
        kb = shipped_kb(actor_files(actors))
        records = []
        for entry in kb.search(text, limit):
            code, sector, title = entry.at(day)
            records.append({"id": entry.kb_id, "name": entry.name, "kind": entry.kind,
                            "code": code, "sector": sector, "title": title})
        _write(records, fmt, [("id", "id"), ("name", "name"), ("kind", "kind"),
                              ("code", "code"), ("sector", "sector"), ("title", "role")])


@actors_app.command("show")
def actors_show(
    kb_id: Annotated[str, typer.Argument(help="Actor id, e.g. person:vladimir-putin.")],
    actors: ActorsOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
) -> None:
    """One actor with its roles over time."""
    with errors():
        entry = shipped_kb(actor_files(actors)).entry_by_id(kb_id)
        if entry is None:
            raise InputError(kb_id, "no such actor (try `redline actors search NAME`)")
        records = [{"title": r.title, "code": r.code, "sector": r.sector,
                    "start": r.start.isoformat(), "end": r.end.isoformat() if r.end else None,
                    "office": r.office} for r in entry.roles] or [
            {"title": entry.kind, "code": entry.code, "sector": entry.sector, "start": None,
             "end": None, "office": None}]
        if fmt is Format.table:
            out.print(f"[bold]{entry.name}[/bold] ({entry.kb_id})")
        _write(records, fmt, [("title", "role"), ("code", "code"), ("sector", "sector"),
                              ("start", "from"), ("end", "until"), ("office", "office")])


@places_app.command("search")
def places_search(
    text: Annotated[str, typer.Argument(help="A place name or its beginning.")],
    limit: Annotated[int, typer.Option(help="At most this many.")] = 20,
    fmt: Annotated[Format, typer.Option("--format", help="table, json or csv.")] = Format.table,
) -> None:
    """Find places in the offline gazetteer."""
    with errors():
        records = [p.to_record() for p in search_places(load_gazetteer(), text, limit)]
        _write(records, fmt, [("name", "name"), ("country", "country"), ("admin1", "region"),
                              ("geonameid", "geonameid"), ("lat", "lat"), ("lon", "lon")])
