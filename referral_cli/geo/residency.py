"""Whether a person lives inside a provider's residency area ("DC residents only",
"Montgomery County residents", "residents of ZIP 22041").

An area is a place name the gazetteer resolves as written ("Montgomery County, MD",
"District of Columbia", "22041"). A place is inside an area only where the
gazetteer's own parts say so (same county, same region, same ZIP code, same town);
where they cannot say (a person placed by a whole county, an area that is a town
and a person in a neighbourhood of its county), the answer is ``None``: not known,
never "outside".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import replace

from referral_cli.geo.distance import distance_km
from referral_cli.geo.gazetteer import aliases, norm_key, postal_code_place, region_name
from referral_cli.geo.place import Place, UnknownPlace
from referral_cli.geo.resolving import resolve_exact

_ZIP_LABEL = re.compile(r"\b(\d{5}), US$")
_KINDS = ("zip", "city", "county", "region", "country")  # what an area may be


_UNIT = re.compile(r"(?i)\b(?:county|city|parish|borough)\b")


@functools.cache
def area_place(name: str) -> Place | None:
    """The place a residency area names, or ``None`` when the gazetteer does not
    know it as a ZIP code, town, county, region or country with borders. A
    nickname (``aliases.tsv``) says where to measure from, not where an area ends
    ("NoVA" is measured from Fairfax County): it is an area as another name of a
    whole county ("PG County") or of a county that is its whole state ("DC"), or as
    a part of a town's county ("Ward 8", measured from Anacostia), of which
    :func:`inside` says only that a person in another county lives elsewhere."""
    try:
        found = postal_code_place(name) or _named(name)
    except UnknownPlace:
        return None
    if found is None or found.kind not in _KINDS:
        return None
    if norm_key(name.split(",")[0]) in aliases():
        if found.kind == "city":
            return replace(found, city=None)  # inside its county, not known where
        if not (
            found.kind == "county"
            and (_UNIT.search(name) or region_name(found.country, found.region) == found.county)
        ):
            return None
    return found


def _named(name: str) -> Place | None:
    res = resolve_exact(name)
    return None if res is None else res.place


def _zip_code(p: Place) -> str | None:
    m = _ZIP_LABEL.search(p.label)
    return m.group(1) if p.kind == "zip" and m else None


def inside(area: Place, at: Place) -> bool | None:
    """Whether ``at`` (where the person is) lies inside ``area``; ``None`` when the
    gazetteer's parts of the two cannot say."""
    if area.country and at.country and area.country != at.country:
        return False
    if area.kind == "country":
        return True if at.country else None
    if area.region and at.region and area.region != at.region:
        return False
    if area.kind == "region":
        return True if at.region else None
    if at.kind in ("region", "country"):
        return None  # a whole state said: which county is not known
    if area.kind == "county":
        return None if at.county is None else at.county == area.county
    if area.county and at.county and area.county != at.county:
        return False
    if area.kind == "zip":
        code = _zip_code(at)
        if code is not None:
            return code == _zip_code(area)
        return False if _far_apart(area, at) else None
    # a town: the same town, or else not known (a neighbourhood of its county) unless
    # too far apart for that
    if at.city and at.city == area.city:
        return True
    return False if _far_apart(area, at) else None


# how far from its middle a town's people may live, by its people at least: a big
# town's neighbourhoods lie far from its middle, which is all the gazetteer gives
REACH_KM = ((1_000_000, 40.0), (100_000, 25.0), (0, 15.0))
ZIP_REACH_KM = 5.0


def _reach(p: Place) -> float:
    if p.kind == "zip":
        return ZIP_REACH_KM
    return next(km for people, km in REACH_KM if (p.population or 0) >= people)


def _far_apart(area: Place, at: Place) -> bool:
    """Whether ``at`` (a town or neighbourhood, by its middle) and the town or ZIP
    code ``area``, in another postal town, lie too far apart for anyone at ``at`` to
    live in ``area`` ("vivimos en Mesa" and a pantry for west Phoenix ZIP codes, 38
    km away; Mesa and Tolleson, 45 km)."""
    if at.kind != "city" or not at.city or not area.city or at.city == area.city:
        return False
    return distance_km(area.lat, area.lon, at.lat, at.lon) > _reach(area) + _reach(at)


def lives_in(areas: Iterable[str], at: Place | None) -> bool | None:
    """Whether a person at ``at`` lives in one of ``areas`` (no area: anyone lives
    there); ``None`` when where the person lives is not known, or the gazetteer
    cannot say of any area."""
    names = list(areas)
    if not names:
        return True
    if at is None:
        return None
    found = set()
    for name in names:
        area = area_place(name)
        found.add(None if area is None else inside(area, at))
    if True in found:
        return True
    return None if None in found else False
