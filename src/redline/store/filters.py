"""Filters of event queries (``redline events``, the API, exports) and the SQL
they become in each backend's dialect; record order and its cursor key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from redline.store.schema import EVENT_RECORD_COLUMNS, QUOTE_RECORD_COLUMNS

# where an event stands in record order: (publication date, article, sentence,
# trigger offset, id); undated articles last
EventKey = tuple[date, str, int, int, str]
ORDER_KEY = ("coalesce(a.published, DATE '9999-12-31'), e.article_id, e.sentence_index, "
             "coalesce(e.trigger_start, -1), e.id")
LIKE = "ESCAPE '\\'"
PERIODS = ("day", "week", "month")  # what series and counts go by


def like_pattern(text: str) -> str:
    """A pattern matching ``text`` anywhere, its own % and _ taken literally (use
    with ``ESCAPE '\\'``)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one backend writes what the filters need."""

    name: str
    placeholder: str  # "${}" or "%({})s"
    field: str  # a field of a struct or JSON object: "{}.{}" or "{}->>'{}'"
    any_of: str  # some element {a} of list {column} passes {test}
    in_list: str  # {column} is one of the list parameter {param}
    host: str  # the host of the URL in column ``url``

    def param(self, name: str) -> str:
        return self.placeholder.format(name)

    def get(self, value: str, key: str) -> str:
        return self.field.format(value, key)


# an actor of a list is "who" ("a" is the articles table of event queries)
DUCKDB = Dialect("duckdb", "${}", "{}.{}",
                 "len(list_filter({column}, lambda who: {test})) > 0",
                 "list_contains({param}, {column})",
                 "regexp_extract(url, '^[a-z]+://([^/:]+)', 1)")
POSTGRES = Dialect("postgres", "%({})s", "({}->>'{}')",
                   "EXISTS (SELECT 1 FROM jsonb_array_elements({column}) AS who WHERE {test})",
                   "{column} = ANY({param})", "substring(url from '^[a-z]+://([^/:]+)')")
# the article's fields an export batch adds to each record (after its report counts)
ARTICLE_FIELDS = ("a.url AS source_url, a.title AS source_title, a.source AS source_name, "
                  "a.published AS published, a.ingested_at AS ingested_at")


def story_counts(d: Dialect) -> str:
    """Reports and distinct sources (site name, else the URL's host) of each story."""
    return ("SELECT cluster_id, count(*) AS num_articles, greatest(1, count(DISTINCT "
            f"coalesce(source, nullif({d.host}, '')))) AS num_sources FROM articles "
            "WHERE cluster_id IS NOT NULL GROUP BY cluster_id")


def events_sql(filters: EventFilter, d: Dialect, *, counts: bool = False,
               export: bool = False) -> tuple[str, dict]:
    """The query of events in record order: the record's columns, with ``counts``
    the story's report counts, with ``export`` its first day, those and the
    article's fields (``records.EXPORT_COLUMNS``' order)."""
    where, params = filters.where(d)
    columns = ", ".join(f"e.{c}" for c in EVENT_RECORD_COLUMNS)
    joined = ""
    if export:
        columns += ", e.date_start"
    if counts or export:
        columns += (", coalesce(s.num_articles, 1) AS num_articles, "
                    "coalesce(s.num_sources, 1) AS num_sources")
        joined = f" LEFT JOIN ({story_counts(d)}) s ON s.cluster_id = e.article_id"
    if export:
        columns += ", " + ARTICLE_FIELDS
    sql = (f"SELECT {columns} FROM events e JOIN articles a ON a.id = e.article_id"
           f"{joined}{where} ORDER BY {ORDER_KEY}")
    if filters.limit:
        sql += f" LIMIT {int(filters.limit)}"
    return sql, params


@dataclass(slots=True)
class EventFilter:
    """Filters shared by event queries (CLI ``redline events`` and the API)."""

    actor: str | None = None
    recipient: str | None = None
    event: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int | None = None
    article_id: str | None = None
    ids: list[str] | None = None  # these events only
    country: str | None = None  # ISO3 code of the event's place
    place: str | None = None  # part of the place's name
    quad: int | None = None  # quad class 1-4
    text: str | None = None  # words in the sentence
    after: EventKey | None = None  # events after this one in record order (a cursor)

    def where(self, d: Dialect = DUCKDB) -> tuple[str, dict]:
        """The WHERE clause (over ``events e JOIN articles a``) and its parameters."""
        clauses, params = [], {}
        p = d.param
        for name in ("actor", "recipient"):
            value = getattr(self, name)
            if value:
                clauses.append(_actor_clause(d, name, value, params))
        simple = (("event", self.event and self.event.upper(), "e.event"),
                  ("status", self.status and self.status.lower(), "e.status"),
                  ("article_id", self.article_id, "e.article_id"),
                  ("quad", None if self.quad is None else int(self.quad), "e.quad_code"),
                  ("country", self.country and self.country.upper(),
                   d.get("e.event_loc", "country")))
        for name, value, column in simple:
            if value is not None and value != "":
                params[name] = value
                clauses.append(f"{column} = {p(name)}")
        if self.since:
            params["since"] = self.since
            clauses.append(f"e.date_start >= {p('since')}")
        if self.until:
            params["until"] = self.until
            clauses.append(f"e.date_start <= {p('until')}")
        if self.ids is not None:
            params["ids"] = list(self.ids)
            clauses.append(d.in_list.format(param=p("ids"), column="e.id"))
        if self.place:
            params["place"] = like_pattern(self.place)
            clauses.append(f"({d.get('e.event_loc', 'name')} ILIKE {p('place')} {LIKE} OR "
                           f"{d.get('e.event_loc', 'text')} ILIKE {p('place')} {LIKE})")
        if self.text:
            params["text"] = like_pattern(self.text)
            clauses.append(f"e.text ILIKE {p('text')} {LIKE}")
        if self.after is not None:
            names = ("published", "article", "sentence", "trigger", "id")
            params.update({f"after_{n}": v for n, v in zip(names, self.after, strict=True)})
            clauses.append(f"({ORDER_KEY}) > ({', '.join(p(f'after_{n}') for n in names)})")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _actor_clause(d: Dialect, name: str, value: str, params: dict) -> str:
    """"RUS" matches a code, "RUS/MIL" code and sector, anything else a name."""
    code, sector = d.get("who", "code"), d.get("who", "sector")
    if "/" in value:
        params[f"{name}_code"], params[f"{name}_sector"] = value.upper().split("/", 1)
        test = f"{code} = {d.param(name + '_code')} AND {sector} = {d.param(name + '_sector')}"
    elif value.isupper() and value.isalnum() and 2 <= len(value) <= 9:
        params[f"{name}_code"] = value
        test = f"{code} = {d.param(name + '_code')}"
    else:
        params[f"{name}_text"] = like_pattern(value)
        text = d.param(name + "_text")
        test = (f"({d.get('who', 'name')} ILIKE {text} {LIKE} OR "
                f"{d.get('who', 'text')} ILIKE {text} {LIKE})")
    return d.any_of.format(column=f"e.{name}", test=test)


ARTICLE_COLUMNS = ("id", "url", "title", "published", "source", "origin", "n_events",
                   "n_quotes", "contexts", "cluster_id")
UNDATED_LAST = "coalesce({}published, DATE '9999-12-31')"


def articles_page_sql(d: Dialect, *, since: date | None = None, until: date | None = None,
                      source: str | None = None, text: str | None = None,
                      after: tuple | None = None, limit: int | None = None
                      ) -> tuple[str, dict]:
    """Articles in publication order (undated last), filtered, a row more than
    ``limit`` (to tell if a page follows); ``_key`` is each row's sort day."""
    p, key = d.param, UNDATED_LAST.format("")
    clauses, params = [], {}
    for value, name, clause in (
            (since, "since", f"published >= {p('since')}"),
            (until, "until", f"published <= {p('until')}"),
            (source, "source", f"source ILIKE {p('source')} {LIKE}"),
            (text, "text", f"(title ILIKE {p('text')} {LIKE} OR text ILIKE {p('text')} {LIKE})")):
        if value:
            params[name] = like_pattern(value) if name in ("source", "text") else value
            clauses.append(clause)
    if after is not None:
        params["after_published"], params["after_id"] = after
        clauses.append(f"({key}, id) > ({p('after_published')}, {p('after_id')})")
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = (f"SELECT {', '.join(ARTICLE_COLUMNS)}, {key} AS _key FROM articles{where} "
           f"ORDER BY {key}, id")
    return sql + (f" LIMIT {int(limit) + 1}" if limit else ""), params


def quotes_page_sql(d: Dialect, *, speaker: str | None = None, since: date | None = None,
                    until: date | None = None, article_id: str | None = None,
                    after: tuple | None = None, limit: int | None = None) -> tuple[str, dict]:
    """Quotes in text order, filtered, a row more than ``limit``; ``_published`` is
    each row's sort day."""
    p, day = d.param, UNDATED_LAST.format("a.")
    key = f"{day}, q.article_id, q.sentence_index, q.id"
    clauses, params = [], {}
    if speaker:
        params["speaker"], params["speaker_text"] = speaker, like_pattern(speaker)
        clauses.append(f"({d.get('q.speaker', 'code')} = {p('speaker')} OR "
                       f"{d.get('q.speaker', 'name')} ILIKE {p('speaker_text')} {LIKE} OR "
                       f"{d.get('q.speaker', 'text')} ILIKE {p('speaker_text')} {LIKE})")
    for value, name, clause in ((since, "since", f"a.published >= {p('since')}"),
                                (until, "until", f"a.published <= {p('until')}"),
                                (article_id, "article_id", f"q.article_id = {p('article_id')}")):
        if value:
            params[name] = value
            clauses.append(clause)
    if after is not None:
        names = [f"after_{n}" for n in "pasi"]
        params.update(zip(names, after, strict=True))
        clauses.append(f"({key}) > ({', '.join(p(n) for n in names)})")
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    columns = ", ".join(f"q.{c}" for c in QUOTE_RECORD_COLUMNS)
    sql = (f"SELECT {columns}, {day} AS _published FROM quotes q "
           f"JOIN articles a ON a.id = q.article_id{where} ORDER BY {key}")
    return sql + (f" LIMIT {int(limit) + 1}" if limit else ""), params


def split_page(rows: list[dict], limit: int | None, key: tuple[str, ...],
               hidden: str) -> tuple[list[dict], tuple | None]:
    """A page of rows (less the ``hidden`` sort column) and the key of the next page
    (the last row's ``key`` fields), or None on the last page."""
    more = bool(limit) and len(rows) > limit
    rows = rows[:limit] if more else rows
    next_key = tuple(rows[-1][k] for k in key) if more else None
    return [{k: v for k, v in r.items() if k != hidden} for r in rows], next_key
