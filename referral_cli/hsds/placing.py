"""Where a service with no location of its own is placed (a city-wide hotline, a
family-shelter intake): at its organisation's only location; else in the town all
its organisation's locations share, or the one town or county its service area
names (an approximate place, no street); or nowhere but by phone or online when
its location is a virtual one. The import report counts each way
(``placed_without_own_location``).

A confidential service never borrows a street or a point: it is placed by its
town only, and never reveals the place it would have borrowed.
"""

from __future__ import annotations

import re
from typing import Any

from referral_cli.geo.addresses import place_of
from referral_cli.hsds.links import Links
from referral_cli.hsds.places import Places
from referral_cli.hsds.read import Row, cell
from referral_cli.hsds.report import ProviderReport
from referral_cli.records.model import Address

ORG_LOCATION = "at its organisation's only location"
ORG_TOWN = "in the town of its organisation's locations"
AREA = "in the town or county its service area names"
REMOTE = "by phone or online (a virtual location)"


def is_virtual(loc: Row | None) -> bool:
    """An HSDS 3.0 location of type "virtual": the service works online or by phone."""
    return loc is not None and cell(loc, "location_type").strip().lower() == "virtual"


def organisation_town(links: Links, places: Places, oid: str) -> dict[str, str] | None:
    """The town (city, state, country) every location of the organisation is in,
    when it has several and they share one; never a street."""
    lids = links.org_locations.get(oid, [])
    if len(lids) < 2:
        return None
    towns = set()
    for lid in lids:
        if is_virtual(links.locations.get(lid)):
            continue
        a = places.place(lid, ProviderReport("", "")).address  # its notes are not ours
        towns.add((a.get("city"), a.get("region"), a.get("country")))
    if len(towns) != 1:
        return None
    city, region, country = next(iter(towns))
    if not city:
        return None
    return {k: v for k, v in (("city", city), ("region", region), ("country", country)) if v}


def area_town(names: list[str], home_region: str | None) -> dict[str, str] | None:
    """The one town or county among a service area's names that the gazetteer knows
    in the export's own state ("Miami-Dade County", "Redwood City"), as an address."""
    if not home_region:
        return None
    found = []
    for said in names:
        # "Gwinnett County, GA": the state said after the name is the export's own
        name = re.sub(rf",?\s+(?:{re.escape(home_region)})\.?$", "", said.strip(), flags=re.I)
        for key in ("city", "county"):
            address = {key: name, "region": home_region, "country": "US"}
            if place_of(Address(**address), confidential=True) is not None:
                found.append(address)
                break
    return found[0] if len(found) == 1 else None


def place_elsewhere(
    p: dict[str, Any],
    s: Row,
    loc: Row | None,
    area_words: list[str],
    borrowed: bool,
    places: Places,
) -> str | None:
    """Places ``p`` (a service without a place of its own; ``borrowed``: placed at its
    organisation's only location) and says how, or ``None`` when nothing places it."""
    if borrowed:
        return ORG_LOCATION
    if is_virtual(loc):
        p.setdefault("service_area", {})["remote"] = True
        return REMOTE
    town = organisation_town(places.links, places, s.get("organization_id", ""))
    how = ORG_TOWN
    if town is None:
        town, how = area_town(area_words, places.links.home_region), AREA
    if town is None:
        return None
    p["address"] = town
    return how
