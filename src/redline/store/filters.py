"""Filters of event queries (``redline events``, the API, exports) and the SQL
they become in each backend's dialect; record order and its cursor key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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

    def param(self, name: str) -> str:
        return self.placeholder.format(name)

    def get(self, value: str, key: str) -> str:
        return self.field.format(value, key)


# an actor of a list is "who" ("a" is the articles table of event queries)
DUCKDB = Dialect("duckdb", "${}", "{}.{}",
                 "len(list_filter({column}, lambda who: {test})) > 0",
                 "list_contains({param}, {column})")
POSTGRES = Dialect("postgres", "%({})s", "({}->>'{}')",
                   "EXISTS (SELECT 1 FROM jsonb_array_elements({column}) AS who WHERE {test})",
                   "{column} = ANY({param})")


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
