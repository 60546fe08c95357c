"""What the dashboard and API show of one actor code: its knowledge-base
entries, the people who held its offices (dated roles), its counterparts and
its events over time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from redline.nlp.kb import KnowledgeBase
from redline.store import EventFilter, Store


@dataclass(slots=True)
class RoleIndex:
    """Knowledge-base entries and dated roles by actor code (built once a server)."""

    entries: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    roles: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, kb: KnowledgeBase) -> RoleIndex:
        index, seen = cls(), set()
        for bucket in kb.forms.values():
            for entry in bucket:
                if entry.kb_id in seen:
                    continue
                seen.add(entry.kb_id)
                if entry.kind != "person" and entry.code:
                    index.entries[entry.code].append(
                        {"kb_id": entry.kb_id, "name": entry.name, "kind": entry.kind,
                         "sector": entry.sector})
                for role in entry.roles:
                    index.roles[role.code].append(
                        {"kb_id": entry.kb_id, "name": entry.name, "title": role.title,
                         "sector": role.sector, "start": role.start, "end": role.end})
        for found in index.roles.values():
            found.sort(key=lambda r: (r["start"], r["name"]))
        for found in index.entries.values():
            found.sort(key=lambda e: (e["kind"] != "state", e["name"]))
        return index


def actor_profile(index: RoleIndex, store: Store, code: str, *, timeline: bool = True,
                  filters: EventFilter | None = None) -> dict:
    """Everything known of ``code``: entries, roles over time, counterparts, and
    (``timeline``) events a month as actor and as recipient — counterparts and
    timeline over the events ``filters`` selects (its actor and recipient aside)."""
    chosen = replace(filters or EventFilter(), actor=None, recipient=None)
    found = {"code": code, "entries": index.entries.get(code, []),
             "roles": index.roles.get(code, []),
             "counterparts": store.counterparts(code, chosen)}
    if timeline:
        found["timeline"] = {
            "as_actor": store.counts_over_time(replace(chosen, actor=code), "month"),
            "as_recipient": store.counts_over_time(replace(chosen, recipient=code), "month")}
    return found
