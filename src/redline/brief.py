"""``redline brief``: a one-page situation report on a dyad, as one HTML file
that needs nothing else (the picture is inside it): the trend picture, the
top events with their sentences and sources, who said what, the alerts.
Every piece of article text is escaped."""

from __future__ import annotations

import base64
import tempfile
from datetime import date
from html import escape
from pathlib import Path

from redline import __version__
from redline.analyse.escalation import WEIGHTS
from redline.analyse.events import kind_of
from redline.analyse.trend import dyad_trend
from redline.plots import trend_png
from redline.store import EventFilter, Store, table_records

TOP_EVENTS = 12
TOP_QUOTES = 8
STYLE = """body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:24px auto;color:#222}
h1{font-size:22px;margin:0}h2{font-size:16px;margin:22px 0 6px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}td,th{padding:4px 6px;border-bottom:1px solid #eee;
vertical-align:top;text-align:left}th{font-weight:600}.dim{color:#666}img{width:100%}
.alert{color:#7a0177}"""


def _codes(actors: list[dict]) -> str:
    return ", ".join(a.get("code") or a.get("text") or "?" for a in actors or [])


def _picture(found) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = trend_png(found.series, found.index, found.threshold,
                         [(a.window_end, a.rule) for a in found.alerts],
                         Path(folder) / "trend.png",
                         f"{found.actor} -> {found.recipient}: events per {found.by} and "
                         "escalation index", found.by, window=found.window)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="trend of {escape(found.actor)} to {escape(found.recipient)}" ' \
           f'src="data:image/png;base64,{data}">'


def brief_html(store: Store, actor: str, recipient: str, *, since: date | None = None,
               until: date | None = None, by: str = "week") -> str:
    """The brief on ``actor`` -> ``recipient`` (and back) over the period, as HTML."""
    found = dyad_trend(store, actor, recipient, by=by, since=since, until=until)
    found_events = {r["id"]: r for code in ((actor, recipient), (recipient, actor))
                    for r in table_records(store.events(EventFilter(
                        actor=code[0], recipient=code[1], since=since, until=until)))
                    if r["status"] != "negated"}
    events = list(found_events.values())
    ranked = sorted(events, key=lambda r: (  # the heaviest, the latest of them first
        WEIGHTS[kind_of(r["event"], r["quad_code"] or 0, r["status"])], r["date"] or ""),
        reverse=True)[:TOP_EVENTS]
    articles = {r["id"]: r for r in table_records(store.articles())}
    quotes = [q for q in table_records(store.quotes(since=since, until=until))
              if q["article_id"] in {e["article_id"] for e in events}][:TOP_QUOTES]
    rows = "".join(
        f"<tr><td>{escape(r['date'] or '')}</td><td>{escape(r['event'])}<br>"
        f"<span class=dim>{escape(r['status'])}</span></td>"
        f"<td>{escape(_codes(r['actor']))} &rarr; {escape(_codes(r['recipient']))}</td>"
        f"<td>{escape(r['text'])}<br><span class=dim>{_source(articles.get(r['article_id']))}"
        "</span></td></tr>" for r in sorted(ranked, key=lambda r: r["date"] or ""))
    said = "".join(
        f"<tr><td>{escape(_speaker(q))}</td><td>&ldquo;{escape(q['text'])}&rdquo;<br>"
        f"<span class=dim>{_source(articles.get(q['article_id']))}</span></td></tr>"
        for q in quotes)
    alerts = "".join(
        f"<li class=alert>{escape(str(a.window_end))} {escape(a.rule)}: {escape(a.actor)} "
        f"&rarr; {escape(a.recipient or 'anyone')}, {a.value:g} against a threshold of "
        f"{a.threshold:g} ({len(a.event_ids)} events)</li>" for a in found.alerts)
    period = f"{since or 'the first record'} to {until or 'the latest'}"
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Brief: "
            f"{escape(actor)} and {escape(recipient)}</title><style>{STYLE}</style></head>"
            f"<body><h1>{escape(actor)} and {escape(recipient)}: situation brief</h1>"
            f"<p class=dim>{escape(period)}; {len(events)} events; made by redline "
            f"{escape(__version__)} on {date.today().isoformat()}</p>"
            f"{_picture(found)}<h2>Alerts</h2><ul>{alerts or '<li>none</li>'}</ul>"
            f"<h2>Top events</h2><table><tr><th>date</th><th>event</th><th>who to whom</th>"
            f"<th>sentence and source</th></tr>{rows}</table>"
            f"<h2>Who said what</h2><table>{said or '<tr><td>no quotes</td></tr>'}</table>"
            "</body></html>")


def _speaker(quote: dict) -> str:
    speaker = quote.get("speaker") or {}
    return speaker.get("name") or speaker.get("text") or "unnamed"


def _source(article: dict | None) -> str:
    if not article:
        return ""
    label = escape(article.get("title") or article.get("source") or article["id"][:12])
    url = article.get("url") or ""
    if url.startswith(("http://", "https://")):
        return f'<a href="{escape(url, quote=True)}">{label}</a>'
    return label
