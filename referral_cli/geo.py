"""Where a place is, offline: towns of the world, US ZIP codes and counties, regions.

The gazetteer ships with the tool (``data/gazetteer.sqlite``, built by
``scripts/build_gazetteer.py`` from GeoNames and US ZIP code data; see NOTICE), so
resolving the caller's place never sends it anywhere. It is SQLite holding zlib
blocks of name-sorted lines: opening costs nothing, a look-up inflates one small
block, and nothing here is imported or read until a place is asked for.

An ambiguous name goes to the most populous place, counting places in the
directory's own countries a hundred times (so "Paris" in a Texas directory is
Paris, TX) and whole regions and countries a tenth; the answer names the others.
A misspelling is corrected only when one name is clearly closest (rapidfuzz, on
the miss path only). Online geocoding (geopy, OpenStreetMap Nominatim) happens
only when the user asks, and its answers are kept in memory only.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from referral_cli.errors import ReferralError

if TYPE_CHECKING:
    import sqlite3

SCALE = 10_000  # stored coordinates are integers in 1e-4 degree (about 11 m)
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

PREFERRED_WEIGHT = 100  # a place in one of the directory's countries
AREA_WEIGHT = 0.01  # a whole region or country, against a town of the same name
OTHER_NAME_WEIGHT = 0.05  # a match on a place's other name (exonym, old name): a town of that very name usually is meant
MAX_TEXT = 200
CLOSE_ENOUGH = 88  # rapidfuzz ratio for reading a misspelt name as another
HINT = "give a ZIP code or lat,lon"


@dataclass(frozen=True)
class Place:
    label: str
    lat: float
    lon: float
    kind: str = "city"  # city | zip | county | region | country | coordinates | online
    country: str | None = None  # ISO 3166-1 alpha-2
    region: str | None = None  # ISO 3166-2, e.g. "US-CA"
    county: str | None = None
    city: str | None = None
    population: int | None = None


@dataclass(frozen=True)
class Resolution:
    place: Place
    notes: list[str] = field(default_factory=list)
    alternatives: list[Place] = field(default_factory=list)
    corrected: bool = False  # the text was misspelt and read as the nearest name


class UnknownPlace(ReferralError):
    pass


EARTH_RADIUS_KM = 6371.0088  # mean radius
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180  # of latitude, or of longitude at the equator


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "mtn": "mountain"}
_WORDS = r"[^\W_]+"  # patterns stay text until used (re caches them): a cheaper import


def norm_key(text: str) -> str:
    """A name as looked up: no accents, case or punctuation; "St." reads "saint"."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", text.replace("'", "").replace("’", ""))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in re.findall(_WORDS, plain))


# ---------------------------------------------------------------- resolving


def resolve(text: str, prefer_countries: Sequence[str] = ()) -> Resolution:
    """The place ``text`` names: a town ("Fresno", "Fresno, TX", "Fresno Texas"),
    a US ZIP code, "X County", a region or country, "lat,lon" or degrees-minutes.

    Raises :class:`UnknownPlace` (one line, with what to do) for any text it cannot
    place; a missing gazetteer file is a :class:`ReferralError`.
    """
    raw = " ".join(str(text).split())
    if not raw:
        raise UnknownPlace(f"no place given; name a town, or {HINT}")
    if len(raw) > MAX_TEXT:
        raise UnknownPlace(f"place text too long ({len(raw)} characters); name a town, or {HINT}")
    point = parse_coordinates(raw)
    if point is not None:
        return _at(*point, kind="coordinates", label=f"{point[0]:.5f}, {point[1]:.5f}")
    m = re.fullmatch(_ZIP, raw)
    if m:
        return Resolution(_zip_place(m.group(1), raw))
    m = re.fullmatch(_TRAILING_ZIP, raw)
    if m:  # "Fresno, CA 93721": the ZIP code is the most precise part
        try:
            return Resolution(_zip_place(m.group(2), raw))
        except UnknownPlace:
            raw = m.group(1)
    return _resolve_name(raw, tuple(c.upper() for c in prefer_countries))


_ZIP = r"([0-9]{5})(?:-[0-9]{4})?"
_TRAILING_ZIP = r"(.*?[^\W\d_].*?)[\s,]+([0-9]{5})(?:-[0-9]{4})?"


def _resolve_name(raw: str, prefer: tuple[str, ...]) -> Resolution:
    if not norm_key(raw):
        raise UnknownPlace(f"unknown place '{raw}'; name a town, or {HINT}")
    return _exact(raw, prefer) or _misspelt(raw, prefer)


def resolve_exact(text: str, prefer_countries: Sequence[str] = ()) -> Resolution | None:
    """The town, county, region or country ``text`` names as spelt, or ``None``:
    for words that may or may not be a place ("shelter Fresno CA"), where a
    spelling correction would turn ordinary words into places."""
    raw = " ".join(str(text).split())
    if not norm_key(raw) or len(raw) > MAX_TEXT:
        return None
    return _exact(raw, tuple(c.upper() for c in prefer_countries))


def _exact(raw: str, prefer: tuple[str, ...]) -> Resolution | None:
    found = _lookup(norm_key(raw))
    if not found:
        for name, quals in _splits(raw):
            found = [c for c in _lookup(norm_key(name)) if _fits(c[0], quals)]
            if found:
                break
        else:
            return _as_county(raw, prefer)
    return _choose(raw, found, prefer)


def _as_county(raw: str, prefer: tuple[str, ...]) -> Resolution | None:
    """ "Kern" or "Kern, CA" where no town has the name: the county (or parish) of
    that name, as a volunteer says it."""
    for name, quals in [(raw, ()), *_splits(raw)]:
        for suffix in ("county", "parish"):
            found = [
                c
                for c in _lookup(norm_key(f"{name} {suffix}"))
                if c[0].kind == "county" and _fits(c[0], quals)
            ]
            if found:
                res = _choose(name, found, prefer)
                taken = res.notes[0] if res.notes else f"'{name}' taken as {res.place.label}"
                notes = [f"no town is named '{name}': {taken}", *res.notes[1:]]
                return Resolution(res.place, notes, res.alternatives)
    return None


def _choose(raw: str, found: list[tuple[Place, bool]], prefer: tuple[str, ...]) -> Resolution:
    ranked = sorted(found, key=lambda c: -_weight(c[0], c[1], prefer))
    place = ranked[0][0]
    others: list[Place] = []
    labels = {place.label}
    for other, _alt in ranked[1:]:
        if other.label not in labels:
            labels.add(other.label)
            others.append(other)
    notes = []
    if others:
        shown = "; ".join(o.label for o in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        notes.append(f"'{raw}' taken as {place.label}; also: {shown}{more}")
    if place.kind in ("region", "country"):
        notes.append(
            f"{place.label} is a whole {'state or region' if place.kind == 'region' else 'country'}:"
            " distances are from the population centre of its towns"
        )
    return Resolution(place, notes, others[:10])


def _weight(place: Place, alt: bool, prefer: tuple[str, ...]) -> float:
    weight = float(place.population or 1)
    if place.kind in ("region", "country"):
        weight *= AREA_WEIGHT
    if alt:
        weight *= OTHER_NAME_WEIGHT
    if place.country in prefer:
        weight *= PREFERRED_WEIGHT
    return weight


Qualifier = frozenset[tuple[str, str]]  # (country, region code or "")


def names_a_region(text: str) -> bool:
    """Whether ``text`` reads as a name with a state, region or country after it
    ("Kern, TX", "Visalia Florida"): the region is part of what was asked."""
    return bool(_splits(" ".join(str(text).split())))


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
        for place, _ in _lookup(key):
            if place.kind == "region" and place.region == f"{country}-{iso}":
                return place.label.rsplit(", ", 1)[0]
    return None


def _splits(raw: str) -> list[tuple[str, tuple[Qualifier, ...]]]:
    """Ways to read ``raw`` as a name and qualifiers ("Fresno, CA", "Fresno Texas")."""
    out: list[tuple[str, tuple[Qualifier, ...]]] = []
    if "," in raw:
        name, *rest = (p.strip() for p in raw.split(","))
        quals: list[Qualifier] = []
        for part in filter(None, rest):
            q = _qualifier(part)
            if q:
                quals.append(q)
                continue
            each = [_qualifier(w) for w in part.split()]  # "CA US"
            if not all(each):
                return out
            quals.extend(each)
        if name and quals:
            out.append((name, tuple(quals)))
        return out
    words = raw.split()
    for n in range(1, min(3, len(words) - 1) + 1):
        q = _qualifier(" ".join(words[-n:]))
        if q:
            out.append((" ".join(words[:-n]), (q,)))
    return out


def _qualifier(text: str) -> Qualifier:
    key = norm_key(text)
    if not key:
        return frozenset()
    rows = _db().execute("SELECT country, region FROM qualifier WHERE key = ?", (key,))
    return frozenset((c, f"{c}-{r}" if r else "") for c, r in rows)


def _fits(place: Place, quals: Sequence[Qualifier]) -> bool:
    return all(
        any(place.country == c and (not r or place.region == r) for c, r in q) for q in quals
    )


def _misspelt(raw: str, prefer: tuple[str, ...]) -> Resolution:
    """A name not in the gazetteer: corrected when one name is clearly closest."""
    name, quals = raw, tuple[Qualifier, ...]()
    splits = _splits(raw)
    if splits:
        name, quals = splits[0]
    near = _near_names(norm_key(name), quals, prefer)
    if not near:
        elsewhere = _lookup(norm_key(name)) if quals else []
        county = None if elsewhere or not quals else _as_county(name, prefer)
        if elsewhere or county:
            best = county.place if county else _choose(name, elsewhere, prefer).place
            where = raw[len(name) :].strip(" ,")
            raise UnknownPlace(
                f"no place named '{name}' in {where}; did you mean {best.label}? (or {HINT})"
            )
        raise UnknownPlace(
            f"unknown place '{raw}'; check the spelling, or {HINT}"
            " (--online looks it up on OpenStreetMap)"
        )
    (rank, score, place), *rest = near
    runner_up = rest[0][0] if rest else 0.0
    if score >= CLOSE_ENOUGH and rank - runner_up >= 4:
        res = _choose(name, [(place, False)], prefer)
        return Resolution(res.place, [f"'{raw}' read as {place.label}", *res.notes], corrected=True)
    options = " or ".join(p.label for _, _, p in near[:2])
    raise UnknownPlace(f"unknown place '{raw}'; did you mean {options}? (or {HINT})")


def _near_names(
    key: str, quals: Sequence[Qualifier], prefer: tuple[str, ...]
) -> list[tuple[float, float, Place]]:
    """Places whose names are close to ``key``, best first, with a rank (closeness,
    and up to 3 points for size) and the closeness alone (rapidfuzz ratio)."""
    if len(key) < 3:
        return []
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    out: list[tuple[float, float, Place]] = []
    for other, ratio, _ in process.extract(
        key, _all_keys(), scorer=fuzz.ratio, limit=8, score_cutoff=75
    ):
        # One slip of the keyboard (a letter added, lost, changed or two swapped:
        # "Visaila") in a name of five letters or more is as close as a name gets.
        one_slip = len(key) >= 5 and OSA.distance(key, other) <= 1
        score = max(ratio, CLOSE_ENOUGH) if one_slip else ratio
        found = [c for c in _lookup(other) if _fits(c[0], quals)]
        if found:
            best = max(found, key=lambda c: _weight(c[0], c[1], prefer))
            # A big place wins a near tie with a hamlet: up to 3 points for size.
            size = math.log10(_weight(best[0], best[1], prefer) + 1) / 3
            out.append((score + min(3.0, size), score, best[0]))
    unique: dict[str, tuple[float, float, Place]] = {}  # one entry a place, its best
    for entry in sorted(out, key=lambda s: -s[0]):
        unique.setdefault(entry[2].label, entry)
    return list(unique.values())


# ------------------------------------------------------------------ storage


def _db() -> sqlite3.Connection:
    """The gazetteer, opened once per process (a connection must not cross a fork:
    the parsing workers validate addresses too)."""
    import os

    return _connect(os.getpid())


@functools.cache
def _connect(pid: int) -> sqlite3.Connection:
    import sqlite3
    from pathlib import Path

    path = Path(__file__).parent / "data" / "gazetteer.sqlite"
    if not path.is_file():
        raise ReferralError(f"the place gazetteer is missing ({path}); reinstall referral-cli")
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


@functools.lru_cache(maxsize=64)
def _block(first: str) -> dict[str, list[list[str]]]:
    import zlib

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


def _lookup(key: str) -> list[tuple[Place, bool]]:
    """Every place with this name key, each with whether the match is another name."""
    out: list[tuple[Place, bool]] = []
    for fields in _lines(key):
        if fields[0].startswith("="):
            target, country, region = fields
            for own in _lines(target[1:]):
                if not own[0].startswith("=") and own[4] == country and own[5] == region:
                    out.append((_place(own), True))
        else:
            out.append((_place(fields), False))
    return out


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
def _all_keys() -> list[str]:
    import zlib

    row = _db().execute("SELECT value FROM meta WHERE key = 'keys'").fetchone()
    return zlib.decompress(row[0]).decode("utf-8").split("\n")


def _zip_place(code: str, raw: str) -> Place:
    import zlib

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
    return [place for place, other_name in _lookup(norm_key(name)) if not other_name]


def postal_code_place(code: str) -> Place | None:
    """The middle of a US ZIP code, or None when it is not one the gazetteer knows."""
    m = re.fullmatch(_ZIP, code.strip())
    if m is None:
        return None
    try:
        return _zip_place(m.group(1), code)
    except UnknownPlace:
        return None


def codes_named(text: str) -> list[str]:
    """The ISO codes a name of a country or region stands for ("Mexico" -> MX,
    "California" -> US-CA), for suggestions."""
    return sorted(r or c for c, r in _qualifier(text))


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
    import zlib

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


def _at(lat: float, lon: float, kind: str, label: str) -> Resolution:
    """A point given by coordinates, with the country and region of the nearest town."""
    found = nearest_town(lat, lon)
    if found is None:
        return Resolution(Place(label, lat, lon, kind))
    town, km = found
    place = Place(label, lat, lon, kind, town.country, town.region)
    return Resolution(place, [f"{label} is {km:.0f} km from {town.label}"])


# -------------------------------------------------------------- coordinates

_NUMBER = r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]*)?|\.[0-9]+)"
_PAIR = rf"\(?\s*({_NUMBER})\s*(?:[,;]\s*|\s+)({_NUMBER})\s*\)?"
_TOKEN = r"\s*(?:([0-9]{1,3}(?:\.[0-9]+)?)|([NSEWnsew])|([°'\"])|([,;]))"
_SYMBOLS = str.maketrans({"′": "'", "’": "'", "‘": "'", "″": '"', "“": '"', "”": '"', "º": "°"})
_SYMBOLS.update({ord("˚"): "°"})


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """(lat, lon) from "36.74,-119.79", "36.74 -119.79", "36°44'N 119°47'W",
    "36 44 30 N 119 47 0 W", "N 36.74, W 119.79"; ``None`` when ``text`` is not
    coordinates. Out-of-range coordinates raise :class:`UnknownPlace`."""
    m = re.fullmatch(_PAIR, text.strip())
    if m:
        return _checked(float(m.group(1)), float(m.group(2)), text)
    return _parse_dms(text)


def _checked(lat: float, lon: float, text: str) -> tuple[float, float]:
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        raise UnknownPlace(
            f"coordinates out of range in '{text}': latitude is -90 to 90 and longitude"
            " -180 to 180 (e.g. 36.74,-119.79)"
        )
    return lat, lon


def _parse_dms(text: str) -> tuple[float, float] | None:
    t = text.translate(_SYMBOLS).replace("''", '"').strip()
    token = re.compile(_TOKEN)
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(t):
        m = token.match(t, pos)
        if m is None or m.end() == pos:
            return None
        number, letter, unit, sep = m.groups()
        if number:
            tokens.append(("n", number))
        elif letter:
            tokens.append(("h", letter.upper()))
        elif unit:
            tokens.append(("u", unit))
        else:
            tokens.append(("s", sep))
        pos = m.end()
    hemispheres = [i for i, (kind, _) in enumerate(tokens) if kind == "h"]
    if len(hemispheres) != 2:
        return None
    a, b = hemispheres
    if a == 0:  # "N 36 44, W 119 47": letters first
        groups = [tokens[1:b], tokens[b + 1 :]]
        letters = [tokens[a][1], tokens[b][1]]
    elif b == len(tokens) - 1:  # "36 44 N 119 47 W": letters last
        groups = [tokens[:a], tokens[a + 1 : b]]
        letters = [tokens[a][1], tokens[b][1]]
    else:
        return None
    values = [_angle(g) for g in groups]
    if None in values or {letters[0] in "NS", letters[1] in "NS"} != {True, False}:
        return None
    signed = [v if h in "NE" else -v for v, h in zip(values, letters, strict=True) if v is not None]
    lat, lon = signed if letters[0] in "NS" else signed[::-1]
    return _checked(lat, lon, text)


def _angle(tokens: list[tuple[str, str]]) -> float | None:
    """Degrees from one coordinate's tokens: up to three numbers, each with an
    optional unit mark (° ' ") in that order, separators only at the ends."""
    while tokens and tokens[0][0] == "s":
        tokens = tokens[1:]
    while tokens and tokens[-1][0] == "s":
        tokens = tokens[:-1]
    numbers: list[float] = []
    marked = False  # the last number already has its unit mark
    for kind, value in tokens:
        if kind == "n" and len(numbers) < 3:
            numbers.append(float(value))
            marked = False
        elif kind == "u" and numbers and not marked and "°'\"".index(value) == len(numbers) - 1:
            marked = True
        else:
            return None
    if not numbers or any(x >= 60 for x in numbers[1:]):
        return None
    if any(x != int(x) for x in numbers[:-1]):  # only the last part may have decimals
        return None
    return sum(x / 60**i for i, x in enumerate(numbers))


# ------------------------------------------------------------------- online

# Written by earlier versions (it held the typed place text); removed when seen.
_OLD_ONLINE_CACHE = "places-online.json"
_last_request = [0.0]


@functools.lru_cache(maxsize=32)
def geocode_online(text: str) -> Place:
    """Ask OpenStreetMap Nominatim (only when the user opted in; the place text
    leaves the machine). An answer is remembered in this process only: what a
    volunteer types about a caller is never written to disk."""
    import time

    from referral_cli import __version__

    query = " ".join(str(text).split())
    if not query:
        raise UnknownPlace(f"no place given; name a town, or {HINT}")
    _remove_old_online_cache()
    try:
        from geopy.exc import GeopyError
        from geopy.geocoders import Nominatim
    except ImportError:
        raise UnknownPlace(
            f"unknown place '{query}' and online lookup needs geopy; {HINT}"
        ) from None
    geocoder = Nominatim(
        user_agent=f"referral-cli/{__version__} (+https://pypi.org/project/referral-cli/)",
        timeout=10,
    )
    wait = 1.0 - (time.monotonic() - _last_request[0])  # Nominatim's limit: 1 request/s
    if wait > 0:
        time.sleep(wait)
    try:
        found: Any = geocoder.geocode(query, exactly_one=True)
    except (GeopyError, OSError, ValueError) as exc:
        raise UnknownPlace(
            f"online lookup of '{query}' failed ({type(exc).__name__}); check the connection, or {HINT}"
        ) from None
    finally:
        _last_request[0] = time.monotonic()
    if found is None:
        raise UnknownPlace(f"unknown place '{query}', online too; check the spelling, or {HINT}")
    lat, lon = float(found.latitude), float(found.longitude)
    return _at(lat, lon, kind="online", label=f"{query} (OpenStreetMap)").place


def _remove_old_online_cache() -> None:
    """Delete the place cache older versions kept: it holds callers' places."""
    import contextlib

    from referral_cli.config import cache_dir

    with contextlib.suppress(OSError):
        (cache_dir() / _OLD_ONLINE_CACHE).unlink()


__all__ = [
    "Place",
    "Resolution",
    "UnknownPlace",
    "distance_km",
    "geocode_online",
    "norm_key",
    "parse_coordinates",
    "resolve",
]
