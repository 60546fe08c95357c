"""The PostgreSQL store's views for browsing, analysis and interchange: what
``store/browse.py`` and the DuckDB store's analysis queries give, in
PostgreSQL's SQL (JSONB for actors and places)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date

import psycopg
import pyarrow as pa

from redline.errors import StoreError
from redline.store.filters import (
    ARTICLE_COLUMNS,
    LIKE,
    PERIODS,
    POSTGRES,
    EventFilter,
    articles_page_sql,
    like_pattern,
    quotes_page_sql,
    split_page,
)
from redline.store.records import ACTOR_LIST, ARTICLE_PAGE, QUOTE_ARROW, table_records

QUADS = ", ".join(f"count(*) FILTER (WHERE quad_code = {q}) AS quad{q}" for q in (1, 2, 3, 4))


class PostgresViews:
    """Mixed into ``PostgresStore`` (which gives ``con``, ``_one``, ``_rows``,
    ``_query`` and ``events``)."""

    def _selected(self, filters: EventFilter) -> tuple[str, dict]:
        where, params = filters.where(POSTGRES)
        return f"SELECT e.id FROM events e JOIN articles a ON a.id = e.article_id{where}", params

    def event(self, event_id: str) -> dict | None:
        found = table_records(self.events(EventFilter(ids=[event_id])))
        if not found:
            return None
        found[0]["trigger_start"] = self._one(
            "SELECT trigger_start FROM events WHERE id = %s", [event_id])[0]
        return found[0]

    def article(self, article_id: str) -> dict | None:
        rows = self._rows(f"SELECT {', '.join((*ARTICLE_COLUMNS, 'text'))} FROM articles "
                          "WHERE id = %(id)s", {"id": article_id})
        return rows[0] if rows else None

    def articles_page(self, **chosen: object) -> tuple[pa.Table, tuple | None]:
        sql, params = articles_page_sql(POSTGRES, **chosen)
        rows, next_key = split_page(self._rows(sql, params), chosen.get("limit"),
                                    ("_key", "id"), "_key")
        return pa.Table.from_pylist(rows, schema=ARTICLE_PAGE), next_key

    def quotes_page(self, **chosen: object) -> tuple[pa.Table, tuple | None]:
        sql, params = quotes_page_sql(POSTGRES, **chosen)
        rows, next_key = split_page(self._rows(sql, params), chosen.get("limit"),
                                    ("_published", "article_id", "sentence_index", "id"),
                                    "_published")
        return pa.Table.from_pylist(rows, schema=QUOTE_ARROW), next_key

    def counts_over_time(self, filters: EventFilter, by: str = "week") -> list[dict]:
        selected, params = self._selected(filters)
        return self._rows(
            f"SELECT date_trunc('{PERIODS[PERIODS.index(by)]}', date_start)::DATE AS period, "
            f"count(*) AS events, {QUADS} FROM events WHERE id IN ({selected}) "
            "AND status <> 'negated' AND date_start IS NOT NULL GROUP BY 1 ORDER BY 1", params)

    def actors(self, filters: EventFilter, *, name: str | None = None,
               limit: int | None = None) -> pa.Table:
        selected, params = self._selected(filters)
        clause = ""
        if name:
            params["name"], params["name_code"] = like_pattern(name), name.upper()
            clause = (" WHERE code = %(name_code)s OR EXISTS (SELECT 1 FROM unnest(names) n "
                      f"WHERE n ILIKE %(name)s {LIKE})")
        sql = f"""
            WITH sides AS (
                SELECT w AS who, 'actor' AS side FROM events, jsonb_array_elements(actor) w
                WHERE id IN ({selected})
                UNION ALL
                SELECT w, 'recipient' FROM events, jsonb_array_elements(recipient) w
                WHERE id IN ({selected})),
            grouped AS (
                SELECT who->>'code' AS code,
                       count(*) FILTER (WHERE side = 'actor') AS as_actor,
                       count(*) FILTER (WHERE side = 'recipient') AS as_recipient,
                       array_agg(DISTINCT (who->>'sector') COLLATE "C"
                                 ORDER BY (who->>'sector') COLLATE "C")
                           FILTER (WHERE who->>'sector' IS NOT NULL) AS sectors,
                       array_agg(DISTINCT coalesce(who->>'name', who->>'text') COLLATE "C"
                                 ORDER BY coalesce(who->>'name', who->>'text') COLLATE "C")
                           AS names
                FROM sides WHERE who->>'code' IS NOT NULL GROUP BY 1)
            SELECT * FROM grouped{clause}
            ORDER BY as_actor + as_recipient DESC, code COLLATE "C"
            """
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = self._rows(sql, params)
        for row in rows:
            row["sectors"] = row["sectors"] or []
        return pa.Table.from_pylist(rows, schema=ACTOR_LIST)

    def counterparts(self, code: str, filters: EventFilter | None = None,
                     limit: int = 20) -> list[dict]:
        selected, params = self._selected(filters or EventFilter())
        params["code"] = code.upper()
        counted = ", ".join(f"count(DISTINCT id) FILTER (WHERE quad_code = {q}) AS quad{q}"
                            for q in (1, 2, 3, 4))
        return self._rows(f"""
            SELECT * FROM (
            WITH pairs AS (
                SELECT e.id, e.quad_code, a->>'code' AS actor, r->>'code' AS recipient
                FROM events e, jsonb_array_elements(e.actor) a,
                     jsonb_array_elements(e.recipient) r
                WHERE e.id IN ({selected}) AND e.status <> 'negated')
            SELECT CASE WHEN actor = %(code)s THEN recipient ELSE actor END AS counterpart,
                   CASE WHEN actor = %(code)s THEN 'to' ELSE 'from' END AS direction,
                   count(DISTINCT id) AS events, {counted}
            FROM pairs WHERE (actor = %(code)s OR recipient = %(code)s) AND actor <> recipient
            GROUP BY 1, 2) c
            ORDER BY events DESC, counterpart COLLATE "C", direction LIMIT {int(limit)}""",
                          params)

    def places(self, filters: EventFilter) -> list[dict]:
        selected, params = self._selected(filters)
        return self._rows(f"""
            SELECT * FROM (
            SELECT (event_loc->>'geonameid')::BIGINT AS geonameid,
                   event_loc->>'name' AS name, min(event_loc->>'country') AS country,
                   min((event_loc->>'lat')::DOUBLE PRECISION) AS lat,
                   min((event_loc->>'lon')::DOUBLE PRECISION) AS lon,
                   count(*) AS events, {QUADS}
            FROM events WHERE id IN ({selected}) AND status <> 'negated'
              AND event_loc->>'lat' IS NOT NULL AND event_loc->>'lon' IS NOT NULL
            GROUP BY 1, 2) p ORDER BY events DESC, name COLLATE "C"
            """, params)

    # -- analysis and interchange -------------------------------------------
    def dyad_rows(self, since: date | None, until: date | None,
                  actors: Collection[str] | None) -> list[tuple]:
        return self.con.execute(
            """
            WITH chosen AS (
                SELECT e.id, e.date_start, w->>'code' AS who, e.event, e.quad_code,
                       e.event_scale, e.status, e.recipient
                FROM events e, jsonb_array_elements(e.actor) w
                WHERE e.status <> 'negated' AND e.date_start IS NOT NULL
                  AND (%(since)s::DATE IS NULL OR e.date_start >= %(since)s)
                  AND (%(until)s::DATE IS NULL OR e.date_start <= %(until)s)
                  AND w->>'code' IS NOT NULL
                  AND (%(actors)s::TEXT[] IS NULL OR w->>'code' = ANY(%(actors)s)))
            SELECT c.id, c.date_start, c.who, t->>'code', c.event, c.quad_code,
                   c.event_scale, c.status
            FROM chosen c LEFT JOIN LATERAL jsonb_array_elements(c.recipient) t ON TRUE
            ORDER BY c.date_start, c.id COLLATE "C", c.who COLLATE "C",
                     t->>'code' COLLATE "C" NULLS FIRST
            """, {"since": since, "until": until,
                  "actors": sorted(actors) if actors is not None else None}).fetchall()

    def daily_stories(self) -> dict[date, int]:
        return dict(self.con.execute(
            "SELECT published, count(*) FROM articles WHERE published IS NOT NULL "
            "AND (cluster_id IS NULL OR cluster_id = id) GROUP BY 1").fetchall())

    def import_rows(self, table: str, chunks: Iterator[pa.Table], name: str) -> int:
        """Insert or replace imported rows in one transaction; how many."""
        key = '(dataset, "GLOBALEVENTID")' if table == "gdelt_events" else "(dataset, id)"
        count = 0
        try:
            with self.con.transaction():
                for chunk in chunks:
                    names = [f'"{c}"' for c in chunk.column_names]
                    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in names)
                    with self.con.cursor() as cur:
                        cur.executemany(
                            f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                            f"({', '.join(['%s'] * len(names))}) ON CONFLICT {key} "
                            f"DO UPDATE SET {updates}",
                            [tuple(r.values()) for r in chunk.to_pylist()])
                    count += chunk.num_rows
        except psycopg.Error as exc:
            raise StoreError(f"{name}: could not store the imported rows, nothing kept: "
                             f"{exc}") from exc
        return count

    def imported_counts(self, fmt: str, dataset: str | None, actor: str, recipient: str,
                        by: str, since: date | None, until: date | None
                        ) -> dict[date, tuple[int, float | None]]:
        if fmt == "gdelt":
            day = "to_date(\"SQLDATE\"::TEXT, 'YYYYMMDD')"
            scale, table = '"GoldsteinScale"', "gdelt_events"
            match = ('("Actor1CountryCode" = %(actor)s OR "Actor1KnownGroupCode" = %(actor)s) '
                     'AND ("Actor2CountryCode" = %(recipient)s OR '
                     '"Actor2KnownGroupCode" = %(recipient)s)')
        else:
            day, scale, table = "date", "event_scale", "plover_events"
            match = "%(actor)s = ANY(actor) AND %(recipient)s = ANY(recipient)"
        rows = self.con.execute(
            f"SELECT date_trunc('{PERIODS[PERIODS.index(by)]}', {day})::DATE, count(*), "
            f"avg({scale}) FROM {table} WHERE {match} "
            "AND (%(dataset)s::TEXT IS NULL OR dataset = %(dataset)s) "
            f"AND (%(since)s::DATE IS NULL OR {day} >= %(since)s) "
            f"AND (%(until)s::DATE IS NULL OR {day} <= %(until)s) GROUP BY 1 ORDER BY 1",
            {"actor": actor, "recipient": recipient, "dataset": dataset, "since": since,
             "until": until}).fetchall()
        return {period: (n, mean) for period, n, mean in rows}

