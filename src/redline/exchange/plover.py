"""PLOVER JSON Lines, with the field names of the PLOVER manual's "Data Fields"
chapter: our event records out, other coders' records in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO

from redline.model import plover_categories

CODEBOOK = "PLOVER (redline's reading of the 2021 manual)"
SIZES = {"dead": "dead", "injured": "injured", "arrested": "arrested"}  # ours -> size


def _entity(actor: dict) -> dict:
    entity = {"code": actor.get("code"), "sector": actor.get("sector"),
              "entity_text": actor.get("text"), "identifier_id": actor.get("kb_id"),
              "identifier_text": actor.get("name")}
    return {k: v for k, v in entity.items() if v not in (None, "")}


def _location(place: dict | None) -> dict | None:
    if not place:
        return None
    found = {"extracted_place": place.get("text"), "resolved_place": place.get("name"),
             "geonameid": place.get("geonameid"), "lat": place.get("lat"),
             "lon": place.get("lon"), "province": place.get("admin1"),
             "country_code": place.get("country")}
    return {k: v for k, v in found.items() if v is not None}


def _day(value: object) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else None


def plover_record(row: dict, coder: str) -> dict:
    """One exported event (a record with its article's fields) as a PLOVER record:
    ``date`` the first day of the event's date (``date_precision`` says if it was
    a month or a year), or the publication (else ingest) day of an undated one;
    what PLOVER has no field for (status, claimant, CAMEO code, report counts,
    magnitudes beyond ``size``) keeps our names, as the manual allows."""
    magnitude = row.get("magnitude") or {}
    size = {SIZES[k]: v for k, v in magnitude.items() if k in SIZES}
    record = {
        "id": row["id"], "has_event": True,
        "date": (_day(row.get("date_start")) or _day(row.get("published"))
                 or _day(row.get("ingested_at"))),
        "actor": [_entity(a) for a in row.get("actor") or []],
        "recipient": [_entity(r) for r in row.get("recipient") or []],
        "event": [row["event"]], "event_loc": _location(row.get("event_loc")),
        "event_text": [row["event_text"]], "quad_code": row.get("quad_code"),
        "event_scale": row.get("event_scale"), "mode": row.get("mode") or [],
        "context": row.get("context") or [], "text": row.get("text"),
        "text_info": {"sequence": row.get("sentence_index")},
        "cite_info": {k: v for k, v in {
            "url": row.get("source_url"), "title": row.get("source_title"),
            "publication": row.get("source_name"), "coder": coder, "codebook": CODEBOOK,
            "citation": row.get("article_id")}.items() if v is not None},
        "coder": coder, "coded_date": _day(row.get("ingested_at")),
        "size": size or None,
        # ours, beyond the manual's fields
        "status": row.get("status"), "claimed_by": _entity(row["claimed_by"])
        if row.get("claimed_by") else None, "cameo": row.get("cameo"),
        "date_precision": row.get("date_precision") if row.get("date_start") else None,
        "published": _day(row.get("published")),
        "num_articles": row.get("num_articles"), "num_sources": row.get("num_sources"),
        "magnitude": magnitude or None,
    }
    return {k: v for k, v in record.items() if v is not None}


def write_plover(records: Iterator[dict], stream: IO[str], coder: str) -> int:
    """Write records as PLOVER JSON Lines; how many."""
    count = 0
    for row in records:
        stream.write(json.dumps(plover_record(row, coder), ensure_ascii=False) + "\n")
        count += 1
    return count


def _codes(entities: object, field: str) -> list[str]:
    if not isinstance(entities, list):
        raise ValueError(f"{field!r} must be a list of entity objects")
    codes = []
    for entity in entities:
        code = entity.get("code") if isinstance(entity, dict) else entity
        if isinstance(code, str) and code:
            codes.append(code.upper())
    return codes


def imported_row(record: object, dataset: str) -> dict:
    """A PLOVER record (a parsed JSON line) as a row of ``plover_events``;
    ValueError naming the field that is wrong."""
    if not isinstance(record, dict):
        raise ValueError("a PLOVER record must be a JSON object")
    if not isinstance(record.get("id"), str | int) or record.get("id") in ("", None):
        raise ValueError("no 'id'")
    try:
        day = date.fromisoformat(str(record.get("date"))[:10])
    except ValueError as exc:
        raise ValueError(f"'date' {record.get('date')!r} is not YYYY-MM-DD") from exc
    events = record.get("event")
    events = [events] if isinstance(events, str) else events
    if not isinstance(events, list) or not events:
        raise ValueError("no 'event'")
    mapped = [plover_categories(str(e)) for e in events]
    unknown = [e for e, found in zip(events, mapped, strict=True) if not found]
    if unknown:
        raise ValueError(f"'event' {unknown[0]!r} is not a PLOVER category")
    events = [found[0] for found in mapped]  # YIELD: its first reading, CONCEDE

    def words(name: str) -> list[str]:
        value = record.get(name) or []
        return [str(v) for v in (value if isinstance(value, list) else [value])]

    def number(name: str, kind: type) -> object:
        value = record.get(name)
        if value in (None, ""):
            return None
        try:
            return kind(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name!r} must be a number") from exc

    return {"dataset": dataset, "id": str(record["id"]), "date": day,
            "actor": _codes(record.get("actor") or [], "actor"),
            "recipient": _codes(record.get("recipient") or [], "recipient"),
            "event": events, "mode": words("mode"), "context": words("context"),
            "quad_code": number("quad_code", int), "event_scale": number("event_scale", float),
            "record": json.dumps(record, ensure_ascii=False)}
