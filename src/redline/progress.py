"""Progress displays (rich). An ingest run's: articles read of the total where it
can be counted, articles/s, tokens/s, rejects, elapsed time and time left."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from redline.runner import IngestReport


def simple_progress(console: Console, enabled: bool = True) -> Progress:
    """A plain bar (count of total, elapsed time) for other long work."""
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                    disable=not enabled, transient=False)


class IngestProgress:
    """A progress bar fed with the run's report (``update`` is ``ingest``'s
    ``on_progress``)."""

    def __init__(self, console: Console, total: int | None, enabled: bool = True) -> None:
        self._bar = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
            MofNCompleteColumn(), TextColumn("{task.fields[rates]}"),
            TextColumn("[yellow]{task.fields[rejects]}"), TimeElapsedColumn(),
            TextColumn("eta"), TimeRemainingColumn(), console=console,
            disable=not enabled, transient=False)
        self._task = self._bar.add_task("ingesting", total=total, rates="", rejects="")

    def __enter__(self) -> IngestProgress:
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)

    def update(self, report: IngestReport) -> None:
        elapsed = self._bar.tasks[0].elapsed or 0.0
        rates = (f"{report.read / elapsed:.1f} articles/s {report.tokens / elapsed:,.0f} "
                 "tokens/s" if elapsed > 0 else "")
        rejects = f"{len(report.rejects)} rejected" if report.rejects else ""
        self._bar.update(self._task, completed=report.read, rates=rates, rejects=rejects)
