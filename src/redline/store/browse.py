"""The DuckDB store's views for browsing (the REST API and the dashboard): one
article or event, actors, places, counts over time, a page of articles or
quotes. ``Store`` offers each as a method; every query is parameterised; each
returns a ``pyarrow.Table`` or plain records."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from redline.store.filters import (
    ARTICLE_COLUMNS,
    DUCKDB,
    LIKE,
    PERIODS,
    EventFilter,
    articles_page_sql,
    like_pattern,
    quotes_page_sql,
    split_page,
)
from redline.store.records import ARTICLE_PAGE, QUOTE_ARROW, table_records

if TYPE_CHECKING:
    from redline.store.duckdb_store import Store

COUNT_COLUMNS = ("period", "events", "quad1", "quad2", "quad3", "quad4")
PLACE_COLUMNS = ("geonameid", "name", "country", "lat", "lon", "events", "quad1", "quad2",
                 "quad3", "quad4")


def _filtered(filters: EventFilter) -> tuple[str, dict]:
    """The events a filter selects, as a sub-query (``id`` column) and its parameters."""
    where, params = filters.where()
    return f"SELECT e.id FROM events e JOIN articles a ON a.id = e.article_id{where}", params


def event(store: Store, event_id: str) -> dict | None:
    """One event record (with its trigger offset), or None."""
    found = table_records(store.events(EventFilter(ids=[event_id])))
    if not found:
        return None
    record = found[0]
    row = store._one("SELECT trigger_start FROM events WHERE id = ?", [event_id])
    record["trigger_start"] = row[0] if row else None
    return record


def article(store: Store, article_id: str) -> dict | None:
    """One article with its text, or None."""
    columns = ", ".join((*ARTICLE_COLUMNS, "text"))
    rows = store._query(f"SELECT {columns} FROM articles WHERE id = $id",
                        {"id": article_id}).to_pylist()
    return rows[0] if rows else None


def articles_page(store: Store, **chosen: object) -> tuple[pa.Table, tuple | None]:
    """Articles in publication order (undated last), filtered (``articles_page_sql``);
    with ``limit``, a page and the key of the next one (None on the last page)."""
    sql, params = articles_page_sql(DUCKDB, **chosen)
    rows, next_key = split_page(store._query(sql, params).to_pylist(), chosen.get("limit"),
                                ("_key", "id"), "_key")
    return pa.Table.from_pylist(rows, schema=ARTICLE_PAGE), next_key


def quotes_page(store: Store, **chosen: object) -> tuple[pa.Table, tuple | None]:
    """Quotes in text order, filtered (``quotes_page_sql``); with ``limit``, a page
    and the next key."""
    sql, params = quotes_page_sql(DUCKDB, **chosen)
    rows, next_key = split_page(store._query(sql, params).to_pylist(), chosen.get("limit"),
                                ("_published", "article_id", "sentence_index", "id"),
                                "_published")
    return pa.Table.from_pylist(rows, schema=QUOTE_ARROW), next_key


def counts_over_time(store: Store, filters: EventFilter, by: str = "week") -> list[dict]:
    """Events a period (by quad class) among those the filter selects, negated
    events left out: ``{"period", "events", "quad1".."quad4"}`` in period order."""
    selected, params = _filtered(filters)
    rows = store._query(
        f"SELECT date_trunc('{PERIODS[PERIODS.index(by)]}', date_start)::DATE AS period, "
        "count(*) AS events, "
        + ", ".join(f"count(*) FILTER (WHERE quad_code = {q}) AS quad{q}" for q in (1, 2, 3, 4))
        + f" FROM events WHERE id IN ({selected}) AND status <> 'negated' "
        "AND date_start IS NOT NULL GROUP BY 1 ORDER BY 1", params)
    return rows.to_pylist()


def actors(store: Store, filters: EventFilter, *, name: str | None = None,
           limit: int | None = None) -> pa.Table:
    """Actor codes in the selected events: how often each acts and is acted on,
    its sectors and the names it was found under, most active first."""
    selected, params = _filtered(filters)
    clause = ""
    if name:
        params["name"], params["name_code"] = like_pattern(name), name.upper()
        clause = (" WHERE code = $name_code OR "
                  f"len(list_filter(names, lambda n: n ILIKE $name {LIKE})) > 0")
    sql = f"""
        WITH sides AS (
            SELECT unnest(actor) AS who, 'actor' AS side FROM events WHERE id IN ({selected})
            UNION ALL
            SELECT unnest(recipient), 'recipient' FROM events WHERE id IN ({selected})),
        grouped AS (
            SELECT who.code AS code,
                   count(*) FILTER (WHERE side = 'actor') AS as_actor,
                   count(*) FILTER (WHERE side = 'recipient') AS as_recipient,
                   list_sort(list_distinct(list(who.sector))) AS sectors,
                   list_sort(list_distinct(list(coalesce(who.name, who.text)))) AS names
            FROM sides WHERE who.code IS NOT NULL GROUP BY 1)
        SELECT * FROM grouped{clause}
        ORDER BY as_actor + as_recipient DESC, code"""
    if limit:
        sql += f" LIMIT {int(limit)}"
    return store._query(sql, params)


def counterparts(store: Store, code: str, filters: EventFilter | None = None,
                 limit: int = 20) -> list[dict]:
    """Whom ``code`` acts on and who acts on it: per counterpart and direction, the
    events by quad class (negated left out), busiest first."""
    selected, params = _filtered(filters or EventFilter())
    params["code"] = code.upper()
    sql = f"""
        WITH pairs AS (
            SELECT e.id, e.quad_code, a.who.code AS actor, r.whom.code AS recipient
            FROM events e, unnest(e.actor) AS a(who), unnest(e.recipient) AS r(whom)
            WHERE e.id IN ({selected}) AND e.status <> 'negated')
        SELECT CASE WHEN actor = $code THEN recipient ELSE actor END AS counterpart,
               CASE WHEN actor = $code THEN 'to' ELSE 'from' END AS direction,
               count(DISTINCT id) AS events,
               {", ".join(f"count(DISTINCT id) FILTER (WHERE quad_code = {q}) AS quad{q}"
                          for q in (1, 2, 3, 4))}
        FROM pairs WHERE (actor = $code OR recipient = $code) AND actor <> recipient
          AND actor IS NOT NULL AND recipient IS NOT NULL
        GROUP BY 1, 2 ORDER BY events DESC, 1, 2 LIMIT {int(limit)}"""
    return store._query(sql, params).to_pylist()


def places(store: Store, filters: EventFilter) -> list[dict]:
    """Located events grouped by place: name, country, coordinates, events by quad
    class (negated left out), most events first."""
    selected, params = _filtered(filters)
    sql = f"""
        SELECT event_loc.geonameid AS geonameid, event_loc.name AS name,
               any_value(event_loc.country) AS country, any_value(event_loc.lat) AS lat,
               any_value(event_loc.lon) AS lon, count(*) AS events,
               {", ".join(f"count(*) FILTER (WHERE quad_code = {q}) AS quad{q}"
                          for q in (1, 2, 3, 4))}
        FROM events WHERE id IN ({selected}) AND status <> 'negated'
          AND event_loc.lat IS NOT NULL AND event_loc.lon IS NOT NULL
        GROUP BY 1, 2 ORDER BY events DESC, name"""
    return store._query(sql, params).to_pylist()


def places_geojson(found: list[dict]) -> dict:
    """Places (as ``places`` gives them) as a GeoJSON FeatureCollection of points."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
         "properties": {k: v for k, v in p.items() if k not in ("lat", "lon")}}
        for p in found]}
