"""Helpers shared by the tests."""

from __future__ import annotations


def codes(actors: list[dict]) -> set[str]:
    """Every code of a record's actors, alone and with its sector ("RUS", "RUS/MIL";
    "-/POL" for police of no known state)."""
    found = set()
    for a in actors:
        if not a["code"] and a["sector"]:
            found.add(f"-/{a['sector']}")
        if a["code"]:
            found.add(a["code"])
            if a["sector"]:
                found.add(f"{a['code']}/{a['sector']}")
    return found


STABLE_ARTICLE_COLUMNS = (
    "id, url, title, published, source, origin, text, n_events, n_quotes, contexts, "
    "content_hash, cluster_id, signature")


def database_content(store) -> tuple:
    """Everything an ingest stores, less what depends on the clock (ingest times, run
    ids): two databases equal here hold the same articles, stories, events and quotes."""
    fetch = store.con.execute
    return (
        fetch(f"SELECT {STABLE_ARTICLE_COLUMNS} FROM articles ORDER BY id").fetchall(),
        fetch("SELECT * FROM events ORDER BY id").fetchall(),
        fetch("SELECT * FROM quotes ORDER BY id").fetchall(),
        # what a sync sees: each event's last change (how many depends on batching)
        fetch("SELECT event_id, arg_max(op, seq) FROM changes GROUP BY 1 ORDER BY 1").fetchall(),
    )


def sample_with_copy(path, count: int, copy_of: int, at: int, extra: tuple[str, ...] = ()):
    """The first ``count`` reports of the sample corpus as JSONL at ``path``, with a
    syndicated copy of report ``copy_of`` (another URL and source) and the ``extra``
    lines put in at position ``at``."""
    import json

    from redline.data import data_path

    lines = data_path("corpus", "sample.jsonl").read_text(encoding="utf-8").splitlines()[:count]
    copy = json.loads(lines[copy_of])
    copy.update(url=f"https://copies.example/{copy_of}", source="Copy Desk")
    path.write_text("\n".join([*lines[:at], json.dumps(copy), *extra, *lines[at:]]) + "\n")
    return path
