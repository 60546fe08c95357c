"""Offline gazetteer: place names to located places (``data/kb/places.yaml``),
with capitals and countries from the knowledge base as a fallback."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from redline.data import data_path, load_yaml_list
from redline.errors import DataFileError
from redline.model import Place
from redline.nlp.kb import KnowledgeBase, normalise_form


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    name: str
    country: str | None
    geonameid: int | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None

    def place(self, text: str) -> Place:
        return Place(text, self.name, self.geonameid, self.country, self.admin1, self.lat, self.lon)


@dataclass(slots=True)
class Gazetteer:
    names: dict[str, GazetteerEntry] = field(default_factory=dict)
    forms: list[str] = field(default_factory=list)  # as written, for the entity ruler

    def locate(self, text: str, kb: KnowledgeBase | None = None) -> Place | None:
        """The place ``text`` names, or None; states and capitals come from the KB."""
        entry = self.names.get(normalise_form(text))
        if entry is not None:
            return entry.place(text)
        if kb is not None:
            found = kb.lookup(text)
            if found is not None and found.kind in ("state", "capital"):
                name = text if found.kind == "capital" else found.name
                return Place(text, name, None, found.code)
        return None


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process."""
    path = data_path("kb", "places.yaml")
    items = load_yaml_list(path, "places")
    gazetteer = Gazetteer()
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not item.get("name"):
            raise DataFileError(str(path), i, "name", "is required")
        lat, lon = item.get("lat"), item.get("lon")
        if (lat is None) != (lon is None):
            raise DataFileError(str(path), i, "lat/lon", "give both or neither")
        entry = GazetteerEntry(
            item["name"], item.get("country"), item.get("geonameid"), item.get("admin1"),
            None if lat is None else float(lat), None if lon is None else float(lon),
        )
        for form in [item["name"], *(item.get("aliases") or [])]:
            gazetteer.names[normalise_form(form)] = entry
            gazetteer.forms.append(form)
    return gazetteer
