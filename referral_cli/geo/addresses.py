"""Addresses against the offline gazetteer: their codes checked, their point found.

A provider written with an address and no ``location`` (as the maintainers'
guide shows it) is placed at an approximate point: the middle of its postal
code, else of its city (in its region and country), else of its county, with
that precision recorded, so that ``find … near X`` can list it ("approximate")
and ``show`` can say how it was placed. A confidential provider is never placed
by its postal code, which is as private as its street: its town is shown
anyway. Region and country codes are checked against the gazetteer's own lists,
so a typo (``US-ZZ``, ``XX``) is caught with a suggestion.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from referral_cli.blake2 import blake2b
from referral_cli.geo import gazetteer
from referral_cli.geo.gazetteer import (
    US_TERRITORIES,
    codes_named,
    norm_key,
    places_named,
    postal_code_place,
    region_codes,
)
from referral_cli.geo.place import Place
from referral_cli.records.model import Address
from referral_cli.suggest import closest

# Every current ISO 3166-2 subdivision by code and name (scripts/build_regions.py).
REGIONS = Path(__file__).parent.parent / "data" / "regions.json"
# Words ISO appends to a region's name that people leave out ("Bagmati Province").
_KIND_SUFFIX = re.compile(
    r"\s+(province|state|region|district|department|prefecture|governorate|county|oblast)$"
)


@dataclass(frozen=True, slots=True)
class Placement:
    """An approximate point of an address, and what it is the middle of."""

    lat: float
    lon: float
    precision: str  # "postal code" | "city" | "county"
    label: str  # the place, e.g. "Fresno, CA, US"


def country_problem(code: str) -> str | None:
    """Why ``code`` is not a country the gazetteer knows, or None when it is one."""
    known = gazetteer.countries()
    if code in known:
        return None
    return f"unknown country '{code}'{_hint(_suggested(code, known, False))} (an ISO 3166-1 code such as US or MX)"


def region_problem(code: str, written: str | None = None) -> str | None:
    """Why an ISO 3166-2 code ("US-CA") is not a region the gazetteer knows, or None.
    ``written``: the region as the directory wrote it ("CA" of an address in the US);
    a suggestion is then given in that form too."""
    country, _, region = code.partition("-")
    if country not in gazetteer.countries():
        return f"region '{written or code}': {country_problem(country)}"
    known = region_codes(country)
    if code in known or (country == "US" and region in US_TERRITORIES):
        return None
    suggested = _suggested(code, known, True)
    if suggested and written is not None and "-" not in written:
        suggested = suggested.partition("-")[2]
    return (
        f"unknown region '{written or code}' in {country}{_hint(suggested)}"
        f" (an ISO 3166-2 code such as US-CA{', or its part after the dash' if written else ''})"
    )


def _hint(code: str | None) -> str:
    return f"; did you mean '{code}'?" if code else ""


def _suggested(text: str, known: frozenset[str], regions: bool) -> str | None:
    """The code of a name ("USA", "California"), else the closest known code."""
    name = text.partition("-")[2] if regions else text
    named = [c for c in codes_named(name) if ("-" in c) == regions and c in known]
    if named:
        return named[0]
    return closest(text, sorted(known))


def region_key(name: str) -> str:
    """A region's name as the ISO table keys it: lowercase, accents, punctuation and
    a trailing kind ("Province", "State") dropped, so "Bagmati Province" is "bagmati"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _KIND_SUFFIX.sub("", re.sub(r"[^a-z0-9]+", " ", text.lower()).strip())


@functools.cache
def _iso_regions() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = json.loads(REGIONS.read_text("utf-8"))
    return table


def iso_region(region: str, country: str) -> str | None:
    """The ISO 3166-2 code of a region written by its code or name in ``country``
    ("P3", "NP-P3", "Bagmati" in Nepal -> NP-P3), whether or not the gazetteer has it."""
    names = _iso_regions().get(country, {})
    written = region.partition("-")[2] if region.startswith(f"{country}-") else region
    return names.get(written.lower()) or names.get(region_key(written))


def region_code(region: str, country: str | None) -> str | None:
    """An address's region as its ISO 3166-2 code, as the gazetteer reads it: "CA"
    in the US is US-CA, "BC" or "Baja California" in Mexico is MX-BCN; None when
    the gazetteer knows no such region there (or there is no country to say where)."""
    if not country:
        return region if "-" in region and region_problem(region) is None else None
    code = region if region.startswith(f"{country}-") else f"{country}-{region}"
    if region_problem(code) is None:
        return code
    named = [c for c in codes_named(region) if c.startswith(f"{country}-")]
    return named[0] if named else iso_region(region, country)


def place_of(address: Address, *, confidential: bool) -> Placement | None:
    """The approximate point of an address, or None when no part of it resolves."""
    return _place(
        None if confidential else address.postal_code,
        address.city,
        address.county,
        region_code(address.region, address.country) if address.region else None,
        address.country,
    )


@functools.cache
def _place(
    postal_code: str | None,
    city: str | None,
    county: str | None,
    region: str | None,
    country: str | None,
) -> Placement | None:
    if postal_code and country in (None, "US"):
        zip_place = postal_code_place(postal_code)
        if zip_place is not None and _fits(zip_place, region, "US"):
            return Placement(zip_place.lat, zip_place.lon, "postal code", zip_place.label)
    for name, kind, precision in ((city, "city", "city"), (county, "county", "county")):
        if not name:
            continue
        names = [name]
        if kind == "county" and not name.lower().endswith((" county", " parish")):
            names.append(f"{name} County")
        found = [
            p
            for n in names
            for p in places_named(n)
            if p.kind == kind and _fits(p, region, country)
        ]
        if kind == "city" and county:  # the town of that name in the address's county
            in_county = [p for p in found if p.county and norm_key(p.county) in _counties(county)]
            found = in_county or found
        if found:
            best = max(found, key=lambda p: p.population or 0)
            return Placement(best.lat, best.lon, precision, best.label)
    return None


def _counties(county: str) -> set[str]:
    key = norm_key(county)
    return {key, key.removesuffix(" county"), f"{key} county"}


def _fits(place: Place, region: str | None, country: str | None) -> bool:
    return (country is None or place.country == country) and (
        region is None or place.region == region
    )


# Two ways of writing the same street ("123 N. Main Street" and "123 north main
# st") must give the same key: a public provider at a confidential provider's
# street and postal code reveals it, however each was written.
_STREET_WORDS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "drive": "dr",
    "boulevard": "blvd",
    "lane": "ln",
    "place": "pl",
    "court": "ct",
    "highway": "hwy",
    "suite": "ste",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "calle": "c",
}


def street_key(street: str | None, postal_code: str | None) -> str | None:
    """A short digest that two addresses share exactly when their street and postal
    code are the same once case, punctuation and the usual abbreviations are set
    aside; ``None`` without both. A digest, so that the index's column is no
    readable copy of a confidential street."""
    if not street or not postal_code:
        return None
    words = re.findall(r"[^\W_]+", street.casefold())
    postal = "".join(re.findall(r"[^\W_]+", postal_code.casefold()))
    if postal.isdigit() and len(postal) == 9:  # ZIP+4: the ZIP is the place
        postal = postal[:5]
    if not words or not postal:
        return None
    text = " ".join(_STREET_WORDS.get(w, w) for w in words) + "|" + postal
    return blake2b(text.encode(), digest_size=12).hexdigest()
