"""The same service-and-place query answered by an embedded engine, for scale.

    python benchmarks/reference.py DB LAT LON RADIUS_KM SERVICE MIN_AGE MAX_AGE REGION COUNTRY [--all]

A fresh Python process opens a SQLite file (built once from the generated
directory by :func:`build`, not timed) with an R*Tree on lat/lon and plain
indexes on service and on the areas a provider serves as a whole, and answers
what ``referral find "temporary shelter for minors near Fresno"`` answers:
providers offering the service whose ages admit the person, within the radius
(or within their own service radius) or serving the origin's region or country
or anywhere remotely; confidential ones measured from a rounded point in whole
km, as find does. It prints the ten nearest (``--all``: every match), one
``distance<TAB>id`` a line. Only the standard library is imported here; the
build reads the directory with :mod:`bare_parse`.
"""

from __future__ import annotations

import math
import sqlite3
import sys
from pathlib import Path
from typing import Any

EARTH_RADIUS_KM = 6371.0088  # as referral_cli.geo
KM_PER_DEGREE = 2 * math.pi * EARTH_RADIUS_KM / 360
ANYWHERE = "*"  # the area of a remote service that names none

SCHEMA = """
CREATE TABLE provider (
    id INTEGER PRIMARY KEY, slug TEXT NOT NULL, lat REAL, lon REAL,
    confidential INTEGER NOT NULL, min_age INTEGER, max_age INTEGER, reach_km REAL);
CREATE TABLE offers (service TEXT NOT NULL, provider INTEGER NOT NULL);
CREATE INDEX offers_by_service ON offers (service, provider);
CREATE TABLE serves_area (area TEXT NOT NULL, provider INTEGER NOT NULL);
CREATE INDEX serves_area_by_area ON serves_area (area, provider);
CREATE VIRTUAL TABLE place USING rtree (id, min_lat, max_lat, min_lon, max_lon);
CREATE TABLE meta (key TEXT PRIMARY KEY, value);
"""

ADMITS = """p.id IN (SELECT provider FROM offers WHERE service = :service)
    AND (p.min_age IS NULL OR p.min_age <= :max_age)
    AND (p.max_age IS NULL OR p.max_age >= :min_age)"""
NEARBY = f"""SELECT p.slug, p.lat, p.lon, p.confidential, p.reach_km FROM place r
    JOIN provider p ON p.id = r.id
    WHERE r.min_lat <= :north AND r.max_lat >= :south
    AND r.min_lon <= :east AND r.max_lon >= :west AND {ADMITS}"""
AREA_WIDE = f"""SELECT p.slug, p.lat, p.lon, p.confidential FROM serves_area a
    JOIN provider p ON p.id = a.provider
    WHERE a.area IN (:region, :country, '{ANYWHERE}') AND {ADMITS}"""


def _rows(provider: dict[str, Any], i: int) -> tuple[tuple[Any, ...], list[str], list[str]]:
    """The provider row, its services and the areas it serves as a whole."""
    location = provider.get("location") or {}
    lat, lon = location.get("lat"), location.get("lon")
    confidential = bool(provider.get("confidential"))
    if confidential and lat is not None and lon is not None:
        lat, lon = round(lat, 2), round(lon, 2)  # find measures from a rounded point
    ages = (provider.get("eligibility") or {}).get("ages") or [None, None]
    area = provider.get("service_area") or {}
    regions = list(area.get("regions") or []) + list(area.get("countries") or [])
    if area.get("remote") and not regions and area.get("radius_km") is None:
        regions = [ANYWHERE]
    row = (i, provider["id"], lat, lon, confidential, ages[0], ages[1], area.get("radius_km"))
    return row, list(provider.get("services") or []), regions


def build(directory: Path, db: Path) -> None:
    """The reference database of a generated directory (a file or a folder of files)."""
    from bare_parse import providers

    making = db.with_name(f"{db.name}.part")  # renamed when whole
    making.unlink(missing_ok=True)
    files = sorted(directory.glob("*.yaml")) if directory.is_dir() else [directory]
    con = sqlite3.connect(making)
    con.executescript(SCHEMA)
    widest = 0.0
    i = 0
    for path in files:
        for provider in providers(path):
            i += 1
            row, services, areas = _rows(provider, i)
            _, _, lat, lon, *_, reach_km = row
            con.execute("INSERT INTO provider VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
            con.executemany("INSERT INTO offers VALUES (?, ?)", [(s, i) for s in services])
            con.executemany("INSERT INTO serves_area VALUES (?, ?)", [(a, i) for a in areas])
            if lat is not None and lon is not None:  # a point: the box is the point
                con.execute("INSERT INTO place VALUES (?, ?, ?, ?, ?)", (i, lat, lat, lon, lon))
            widest = max(widest, float(reach_km or 0))
    con.execute("INSERT INTO meta VALUES ('widest_reach_km', ?)", (widest,))
    con.commit()
    con.execute("ANALYZE")
    con.close()
    making.replace(db)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """referral_cli.geo.distance's haversine, written here again: importing the package
    would put its start-up into the engine's figure."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def answer(
    con: sqlite3.Connection, lat: float, lon: float, radius: float, **need: object
) -> list[tuple[float, str]]:
    """(distance, id) of every match, nearest first."""
    widest = con.execute("SELECT value FROM meta WHERE key = 'widest_reach_km'").fetchone()[0]
    box = max(radius, widest) + 1  # +1 km: confidential points are rounded
    dlat = box / KM_PER_DEGREE
    dlon = dlat / max(0.01, math.cos(math.radians(min(89.0, abs(lat) + dlat))))
    bounds = {"north": lat + dlat, "south": lat - dlat, "east": lon + dlon, "west": lon - dlon}
    found: dict[str, float] = {}

    def measured(plat: float | None, plon: float | None, confidential: int) -> float:
        if plat is None or plon is None:
            return math.inf
        d = distance_km(lat, lon, plat, plon)
        return float(max(1, round(d))) if confidential else round(d, 1)

    for slug, plat, plon, confidential, reach in con.execute(NEARBY, {**bounds, **need}):
        d = measured(plat, plon, confidential)
        if d <= radius or (reach is not None and d <= reach):
            found[slug] = d
    for slug, plat, plon, confidential in con.execute(AREA_WIDE, need):
        found[slug] = measured(plat, plon, confidential)
    return sorted((d, slug) for slug, d in found.items())


def main() -> None:
    db, lat, lon, radius, service, min_age, max_age, region, country = sys.argv[1:10]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    matches = answer(
        con,
        float(lat),
        float(lon),
        float(radius),
        service=service,
        min_age=int(min_age),
        max_age=int(max_age),
        region=region,
        country=country,
    )
    shown = matches if "--all" in sys.argv[10:] else matches[:10]
    sys.stdout.write("".join(f"{d:g}\t{slug}\n" for d, slug in shown))


if __name__ == "__main__":
    main()
