"""GDELT 2.0 event table rows (tab-separated, the 61 columns of its codebook):
our event records out, GDELT's events in. How our fields fill GDELT's columns is
documented in the README ("GDELT 2.0 export")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import IO

from redline.exchange.countries import country_name, fips, is_country
from redline.store.schema import GDELT_COLUMNS

NAMES = tuple(name for name, _ in GDELT_COLUMNS)
KINDS = dict(GDELT_COLUMNS)


def event_number(event_id: str) -> int:
    """A GDELT GLOBALEVENTID for one of our event ids: its first 15 hex digits (60
    bits, so that it fits the codebook's integer)."""
    return int(event_id[:15], 16)


def _day(row: dict) -> date | None:
    """The first day of the event's date, else its report's publication or ingest."""
    found = row.get("date_start") or row.get("published") or row.get("ingested_at")
    return found.date() if isinstance(found, datetime) else found


def quad_of(root: str) -> int | None:
    """GDELT's quad class of a CAMEO root code (01-05 verbal cooperation, 06-08
    material cooperation, 09-13 verbal conflict, 14-20 material conflict)."""
    if not root.isdigit():
        return None
    number = int(root)
    return 1 if number <= 5 else 2 if number <= 8 else 3 if number <= 13 else 4


def _actor(prefix: str, actors: list[dict]) -> dict:
    first = actors[0] if actors else {}
    code, sector = first.get("code") or "", first.get("sector") or ""
    state = is_country(code)
    return {f"{prefix}Code": code + sector if state else code,
            f"{prefix}Name": (first.get("name") or first.get("text") or "").upper(),
            f"{prefix}CountryCode": code if state else "",
            f"{prefix}KnownGroupCode": "" if state else code,
            f"{prefix}Type1Code": sector}


def _geo(place: dict | None) -> dict:
    if not place or place.get("lat") is None:
        return {}
    country = place.get("country") or ""
    name = place.get("name") or place.get("text") or ""
    whole_country = name == country_name(country)
    region = bool(place.get("admin1")) and name == place.get("admin1")
    us = country == "USA"
    kind = 1 if whole_country else (2 if us else 5) if region else (3 if us else 4)
    full = ", ".join(p for p in (None if whole_country else name, place.get("admin1"),
                                 country_name(country)) if p)
    return {"ActionGeo_Type": kind, "ActionGeo_FullName": full,
            "ActionGeo_CountryCode": fips(country), "ActionGeo_ADM1Code": fips(country),
            "ActionGeo_Lat": place.get("lat"), "ActionGeo_Long": place.get("lon"),
            "ActionGeo_FeatureID": str(place["geonameid"]) if place.get("geonameid") else
            fips(country) if whole_country else ""}


def gdelt_row(row: dict) -> dict:
    """One exported event (record, article fields, report counts) as a GDELT row."""
    day = _day(row)
    cameo = row.get("cameo") or ""
    added = row.get("ingested_at")
    found = {
        "GLOBALEVENTID": event_number(row["id"]),
        "SQLDATE": int(day.strftime("%Y%m%d")) if day else None,
        "MonthYear": int(day.strftime("%Y%m")) if day else None,
        "Year": day.year if day else None,
        "FractionDate": round(day.year + (day.month * 30 + day.day) / 365, 4) if day else None,
        **_actor("Actor1", row.get("actor") or []),
        **_actor("Actor2", row.get("recipient") or []),
        "IsRootEvent": 1 if row.get("sentence_index") == 0 else 0,
        "EventCode": cameo, "EventBaseCode": cameo[:3], "EventRootCode": cameo[:2],
        "QuadClass": quad_of(cameo[:2]) or row.get("quad_code"),
        "GoldsteinScale": row.get("event_scale"),
        "NumMentions": row.get("num_articles"), "NumSources": row.get("num_sources"),
        "NumArticles": row.get("num_articles"),
        **_geo(row.get("event_loc")),
        "DATEADDED": int(added.strftime("%Y%m%d%H%M%S")) if added else None,
        "SOURCEURL": row.get("source_url") or f"redline:{row.get('article_id')}",
    }
    return {name: found.get(name) for name in NAMES}


def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value).replace("\t", " ").replace("\n", " ").replace("\r", " ")


def write_gdelt(records: Iterator[dict], stream: IO[str]) -> int:
    """Write records as GDELT 2.0 event rows (no header, as GDELT's files); how many."""
    count = 0
    for row in records:
        stream.write("\t".join(_cell(v) for v in gdelt_row(row).values()) + "\n")
        count += 1
    return count


def imported_row(line: str, dataset: str) -> dict:
    """One line of a GDELT 2.0 event file as a row of ``gdelt_events``; ValueError
    naming the column that is wrong."""
    cells = line.rstrip("\r\n").split("\t")
    if len(cells) != len(NAMES):
        raise ValueError(f"{len(cells)} columns, not the {len(NAMES)} of a GDELT 2.0 event "
                         "row (GDELT 1.0 files have 57 or 58)")
    row: dict[str, object] = {"dataset": dataset}
    for name, cell in zip(NAMES, cells, strict=True):
        kind = KINDS[name]
        if cell == "":
            row[name] = None
        elif kind in ("INTEGER", "BIGINT"):
            try:
                row[name] = int(cell)
            except ValueError as exc:
                raise ValueError(f"{name} {cell!r} is not a whole number") from exc
        elif kind == "DOUBLE":
            try:
                row[name] = float(cell)
            except ValueError as exc:
                raise ValueError(f"{name} {cell!r} is not a number") from exc
        else:
            row[name] = cell
    if row["GLOBALEVENTID"] is None or row["SQLDATE"] is None:
        raise ValueError("no GLOBALEVENTID or SQLDATE")
    return row

