"""The offline gazetteer: towns and neighbourhoods of the world, US postal towns,
ZIP codes and counties, second-level divisions elsewhere, regions, countries.

It ships with the tool (``data/gazetteer.sqlite``, built by
``scripts/build_gazetteer.py`` from GeoNames, Census and US ZIP code data; see NOTICE), so
looking a place up never sends it anywhere. It is SQLite holding zlib blocks of
name-sorted lines: opening costs nothing, a look-up inflates one small block, and
nothing here is read until a place is asked for.
"""

from __future__ import annotations

import bisect
import functools
import math
import os
import re
import unicodedata
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from referral_cli.errors import ReferralError
from referral_cli.geo.distance import distance_km
from referral_cli.geo.place import Place, Resolution, UnknownPlace

if TYPE_CHECKING:
    import sqlite3

SCALE = 10_000  # stored coordinates are integers in 1e-4 degree (about 11 m)
# The layout and content version of gazetteer.sqlite (its meta "format"): a rebuild
# that changes what places are known changes this, and so the code digest that
# makes cached indexes (which hold points found in the gazetteer) stale.
FORMAT = 2
# ISO 3166-2 lists these US territories as US subdivisions too; the gazetteer has
# them as countries of their own, as GeoNames and ISO 3166-1 do.
US_TERRITORIES = ("AS", "GU", "MP", "PR", "UM", "VI")
KIND_CODES = {"city": "c", "county": "k", "region": "r", "country": "n"}
KINDS = {v: k for k, v in KIND_CODES.items()}
SCHEMA = """
CREATE TABLE block (first TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE qualifier (key TEXT NOT NULL, country TEXT NOT NULL, region TEXT NOT NULL,
    PRIMARY KEY (key, country, region)) WITHOUT ROWID;
CREATE TABLE zip (prefix INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE cell (cell INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value);
"""
# A block line: key, then either the place (name, kind code, lat, lon, country,
# region code without the country, county, population) or, for another name of a
# place, "=" + its own key, country, region code. Blocks are sorted by key and a
# key's lines are never split between two blocks. A ZIP block holds the ZIP codes
# sharing their first three digits; a cell block the towns of 15,000 people or more
# in one degree of latitude and longitude (lat, lon, name, country, region code).

ZIP_CODE = r"([0-9]{5})(?:-[0-9]{4})?"


_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "mtn": "mountain"}
_WORDS = r"[^\W_]+"  # patterns stay text until used (re caches them): a cheaper import


def norm_key(text: str) -> str:
    """A name as looked up: no accents, case or punctuation; "St." reads "saint"."""
    folded = unicodedata.normalize("NFKD", text.replace("'", "").replace("’", ""))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in re.findall(_WORDS, plain))


Qualifier = frozenset[tuple[str, str]]  # (country, region code or "")


def qualifier(text: str) -> Qualifier:
    key = norm_key(text)
    if not key:
        return frozenset()
    rows = _db().execute("SELECT country, region FROM qualifier WHERE key = ?", (key,))
    return frozenset((c, f"{c}-{r}" if r else "") for c, r in rows)


@functools.lru_cache(maxsize=256)
def region_name(country: str | None, region: str | None) -> str | None:
    """The name of a state or region as people write it ("Baja California" for
    ``MX``/``BC`` or ``MX-BCN``, "California" for ``US``/``CA``), or None when the
    gazetteer does not know it."""
    if not country or not region:
        return None
    country = country.strip().upper()
    code = region.strip().upper().removeprefix(country + "-")
    rows = (
        _db()
        .execute(
            "SELECT region FROM qualifier WHERE key = ? AND country = ?", (norm_key(code), country)
        )
        .fetchall()
    )
    codes = {r[0] for r in rows if r[0]} or {code}
    if len(codes) != 1:
        return None
    (iso,) = codes
    keys = (
        _db()
        .execute("SELECT key FROM qualifier WHERE country = ? AND region = ?", (country, iso))
        .fetchall()
    )
    for (key,) in sorted(keys, key=lambda k: -len(k[0])):
        for place, _ in lookup(key):
            if place.kind == "region" and place.region == f"{country}-{iso}":
                return place.label.rsplit(", ", 1)[0]
    return None


def _db() -> sqlite3.Connection:
    """The gazetteer, opened once per process (a connection must not cross a fork:
    the parsing workers validate addresses too)."""
    return _connect(os.getpid())


@functools.cache
def _connect(pid: int) -> sqlite3.Connection:
    import sqlite3  # its C library loads only when a place is asked for

    path = Path(__file__).parent.parent / "data" / "gazetteer.sqlite"
    if not path.is_file():
        raise ReferralError(f"the place gazetteer is missing ({path}); reinstall referral-cli")
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


@functools.lru_cache(maxsize=64)
def _block(first: str) -> dict[str, list[list[str]]]:
    row = _db().execute("SELECT data FROM block WHERE first = ?", (first,)).fetchone()
    out: dict[str, list[list[str]]] = {}
    for line in zlib.decompress(row[0]).decode("utf-8").split("\n"):
        key, *rest = line.split("\t")
        out.setdefault(key, []).append(rest)
    return out


def _lines(key: str) -> list[list[str]]:
    row = (
        _db()
        .execute("SELECT first FROM block WHERE first <= ? ORDER BY first DESC LIMIT 1", (key,))
        .fetchone()
    )
    return [] if row is None else _block(row[0]).get(key, [])


def lookup(key: str) -> list[tuple[Place, bool]]:
    """Every place with this name key, each with whether the match is another name
    (an alias of :file:`aliases.tsv` is one: "cbus" is Columbus, OH)."""
    out: list[tuple[Place, bool]] = []
    for fields in [*_lines(key), *_nicknames().get(key, ())]:
        if fields[0].startswith("="):
            target, country, region = fields
            for own in _lines(target[1:]):
                if not own[0].startswith("=") and own[4] == country and own[5] == region:
                    out.append((_place(own), True))
        else:
            out.append((_place(fields), False))
    return out


def postal_town(place: Place) -> bool:
    """Whether ``place`` is a US postal town the town list lacks ("Upper Marlboro",
    700 people): a town with no population. It is found with its state ("Upper
    Marlboro, MD"), as an address's city, with the town it is part of ("Flushing
    Queens"), or by a name of two words or more that means no other place; never
    as an exact match before a misspelt city ("Huston", ID is not Houston's place)
    nor for a word among others ("art": Art, TX)."""
    return place.kind == "city" and place.population is None


def towns(country: str, min_population: int) -> list[Place]:
    """The towns of ``country`` of at least ``min_population`` people (the
    benchmark spreads a national directory over them, as people live)."""
    found = []
    for (data,) in _db().execute("SELECT data FROM block"):
        for line in zlib.decompress(data).decode("utf-8").split("\n"):
            fields = line.split("\t")[1:]
            if (
                len(fields) == 8
                and fields[1] == KIND_CODES["city"]
                and fields[4] == country
                and int(fields[7] or 0) >= min_population
            ):
                found.append(_place(fields))
    return found


def _place(fields: list[str]) -> Place:
    name, code, lat, lon, country, region, county, population = fields
    kind = KINDS[code]
    iso = f"{country}-{region}" if region else None
    parts = [name]
    if region.isalpha() and kind != "region":
        parts.append(region)
    if kind != "country":
        parts.append(country)
    return Place(
        ", ".join(parts),
        int(lat) / SCALE,
        int(lon) / SCALE,
        kind,
        country or None,
        iso,
        county or None,
        name if kind == "city" else None,
        int(population) if population else None,
    )


@functools.cache
def _alias_lines() -> list[list[str]]:
    """The lines of ``aliases.tsv`` beside this module, each split at its tabs."""
    text = Path(__file__).with_name("aliases.tsv").read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and line[0] != "#"]


@functools.cache
def aliases() -> dict[str, str]:
    """The names people say for places: alias key -> the place as the gazetteer
    names it ("Columbus, OH", "Toronto, ON, CA")."""
    return {norm_key(fields[0]): fields[1].strip() for fields in _alias_lines()}


@functools.cache
def town_parts() -> dict[str, str]:
    """Alias key -> the name of the part of its town it names, for a neighbourhood
    the gazetteer lacks ("u district": "University District", of Seattle, WA)."""
    return {norm_key(f[0]): f[2].strip() for f in _alias_lines() if len(f) > 2 and f[2].strip()}


@functools.cache
def _nicknames() -> dict[str, list[list[str]]]:
    """Alias key -> lines naming its place as another name does ("=key", country,
    region): "Cbus" is one more name of Columbus, OH."""
    out: dict[str, list[list[str]]] = {}
    for alias, place in aliases().items():
        name, region, *country = (part.strip() for part in place.split(","))
        line = [f"={norm_key(name)}", country[0] if country else "US", region]
        out.setdefault(alias, []).append(line)
    return out


def all_keys() -> list[str]:
    row = _db().execute("SELECT value FROM meta WHERE key = 'keys'").fetchone()
    return zlib.decompress(row[0]).decode("utf-8").split("\n")


def longer_names(name: str) -> list[str]:
    """The name keys of the gazetteer that are ``name``'s and one word more
    ("dupont circle" for "Dupont"): the short name people give a place."""
    key = norm_key(name)
    if not key:
        return []
    keys = all_keys()
    found = []
    for i in range(bisect.bisect_left(keys, key + " "), len(keys)):
        if not keys[i].startswith(key + " "):
            break
        if " " not in keys[i][len(key) + 1 :]:
            found.append(keys[i])
    return found


def zip_place(code: str, raw: str) -> Place:
    number = int(code)
    row = _db().execute("SELECT data FROM zip WHERE prefix = ?", (number // 100,)).fetchone()
    if row is not None:
        for line in zlib.decompress(row[0]).decode("utf-8").split("\n"):
            if int(line[:2]) == number % 100:
                _, lat, lon, city, county, state = line.split("\t")
                return Place(
                    f"{city}, {state} {code}, US",
                    int(lat) / SCALE,
                    int(lon) / SCALE,
                    "zip",
                    "US",
                    f"US-{state}",
                    county or None,
                    city,
                )
    raise UnknownPlace(f"unknown ZIP code '{raw}'; give the town's name, or lat,lon")


def places_named(name: str) -> list[Place]:
    """Every place of the gazetteer with this name (not by another name of it)."""
    return [place for place, other_name in lookup(norm_key(name)) if not other_name]


def postal_code_place(code: str) -> Place | None:
    """The middle of a US ZIP code, or None when it is not one the gazetteer knows."""
    m = re.fullmatch(ZIP_CODE, code.strip())
    if m is None:
        return None
    try:
        return zip_place(m.group(1), code)
    except UnknownPlace:
        return None


def codes_named(text: str) -> list[str]:
    """The ISO codes a name of a country or region stands for ("Mexico" -> MX,
    "California" -> US-CA), for suggestions."""
    return sorted(r or c for c, r in qualifier(text))


@functools.cache
def countries() -> frozenset[str]:
    """The ISO 3166-1 codes of the gazetteer's countries."""
    return frozenset(c for (c,) in _db().execute("SELECT DISTINCT country FROM qualifier"))


@functools.cache
def region_codes(country: str) -> frozenset[str]:
    """The ISO 3166-2 codes ("US-CA") of a country's first-level regions in the gazetteer."""
    rows = _db().execute(
        "SELECT DISTINCT region FROM qualifier WHERE country = ? AND region != ''", (country,)
    )
    return frozenset(f"{country}-{r}" for (r,) in rows)


def cell_of(lat: float, lon: float) -> int:
    """The one-degree cell of a point (its towns are stored together)."""
    return (min(math.floor(lat), 89) + 90) * 360 + (math.floor(lon) + 180) % 360


NEAREST_KM = 100  # farther than this from any town, a point gets no country or region


def nearest_town(lat: float, lon: float) -> tuple[Place, float] | None:
    """The closest town of 5,000 people or more within 100 km, and how far it is."""
    best: tuple[Place, float] | None = None
    cells = {cell_of(lat + dy, lon + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)}
    for (data,) in _db().execute(
        f"SELECT data FROM cell WHERE cell IN ({','.join('?' * len(cells))})", sorted(cells)
    ):
        for line in zlib.decompress(data).decode("utf-8").split("\n"):
            t_lat, t_lon, name, country, region = line.split("\t")
            town = _place([name, "c", t_lat, t_lon, country, region, "", ""])
            km = distance_km(lat, lon, town.lat, town.lon)
            if km <= NEAREST_KM and (best is None or km < best[1]):
                best = (town, km)
    return best


def at_point(lat: float, lon: float, kind: str, label: str) -> Resolution:
    """A point given by coordinates, with the country and region of the nearest town."""
    found = nearest_town(lat, lon)
    if found is None:
        return Resolution(Place(label, lat, lon, kind))
    town, km = found
    place = Place(label, lat, lon, kind, town.country, town.region)
    return Resolution(place, [f"{label} is {km:.0f} km from {town.label}"])
