"""Where a provider is and whom it reaches: its address, coordinates (also from
another record at the same street, or the middle of its postal code), an address
the source withholds, and its service area, stated or implied by its own words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from referral_cli.geo.gazetteer import countries as countries_known
from referral_cli.hsds.clean import Cleaner
from referral_cli.hsds.fields import dedupe, split_list, to_float, valid_coords
from referral_cli.hsds.links import Links, street_key
from referral_cli.hsds.mapping import HsdsMap
from referral_cli.hsds.read import Row, cell
from referral_cli.hsds.report import ProviderReport

_WITHHELD = re.compile(r"\b(confidential|undisclosed|not disclosed|withheld)\b", re.I)


@dataclass
class Place:
    """A location as the directory needs it."""

    id: str
    name: str | None
    address: dict[str, str]
    lat: float | None
    lon: float | None
    approximate: str | None = None
    withheld: bool = False  # the source says the address is confidential


class Places:
    """Reads the places of a source's locations."""

    def __init__(self, links: Links, clean: Cleaner, m: HsdsMap, ours: bool):
        self.links = links
        self.clean = clean
        self.m = m
        self.ours = ours  # our own export: no place is guessed

    def place(self, lid: str, rep: ProviderReport) -> Place:
        """The location's address (without a street the source withholds) and coordinates,
        guessed from the same street or the middle of the postal code when missing."""
        loc = self.links.locations[lid]
        rows = self.links.addresses.get(lid, [])
        physical = [
            a for a in rows if a.get("address_type", "physical").lower() in ("", "physical")
        ]
        a = physical[0] if physical else (rows[0] if rows else None)
        address: dict[str, str] = {}
        withheld = False
        if a is not None:
            withheld = bool(_WITHHELD.search(f"{a.get('address_1', '')} {a.get('address_2', '')}"))
            address = self._address(a, street=bool(physical) and not withheld, rep=rep)
        lat, lon = to_float(loc.get("latitude", "")), to_float(loc.get("longitude", ""))
        approximate = None
        if (lat is not None or lon is not None) and not valid_coords(lat, lon):
            rep.drop(
                "location", f"{loc.get('latitude')},{loc.get('longitude')}", "not valid coordinates"
            )
            lat = lon = None
        if lat is None and a is not None and physical and not withheld and not self.ours:
            key = street_key(a)
            if key in self.links.by_street:
                lat, lon = self.links.by_street[key]
                rep.guessed.append("location from another record at the same street address")
            else:
                z = a.get("postal_code", "").strip()[:5]
                if z in self.links.by_zip:
                    lat, lon = self.links.by_zip[z]
                    approximate = f"postal code {z}"
                    rep.guessed.append(f"approximate location: the middle of postal code {z}")
        return Place(
            lid, self.clean.text(loc.get("name")), address, lat, lon, approximate, withheld
        )

    def _address(self, a: Row, street: bool, rep: ProviderReport) -> dict[str, str]:
        c = self.clean
        out: dict[str, str] = {}
        if street:
            line = ", ".join(
                x for x in (c.text(a.get("address_1")), c.text(a.get("address_2"))) if x
            )
            if line:
                out["street"] = line
        city = c.text(a.get("city"))
        if city:
            out["city"] = city
        region_raw = c.text(a.get("region")) or ""
        if re.search(r"\b(county|parish|borough)\b", region_raw, re.I):
            out["county"] = region_raw
        state = c.text(a.get("state_province")) or ""
        states = self.m.us_states
        by_name = {v[0].lower(): k for k, v in states.items()}
        if state.upper() in states:
            state = state.upper()
        elif state.lower() in by_name:
            state = by_name[state.lower()]
        if state:
            out["region"] = state
        if street:
            postal = c.text(a.get("postal_code"))
            if postal:
                out["postal_code"] = postal
        country_raw = c.text(a.get("country")) or ""
        country = self.m.countries.get(country_raw.lower(), country_raw.upper())
        if not country and state in states:
            country = "US"
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            rep.drop("address.country", country_raw, "not an ISO 3166-1 code")
            country = "US" if state in states else ""
        if country:
            out["country"] = country
        return out

    def service_area(self, s: Row) -> tuple[dict[str, Any] | None, list[str]]:
        """Regions, countries and remote service the source's areas state, and the
        area names that are none of those (kept as search words)."""
        names = []
        for r in self.links.service_areas.get(s.get("id", ""), []):
            names.append(self.clean.text(cell(r, "name", "service_area", "description")) or "")
            # HSDS 3.0 extents: a place name or code is read like a name; a geometry
            # (GeoJSON, TopoJSON, KML, WKT) is not read
            if cell(r, "extent_type").lower() not in ("geojson", "topojson", "kml", "wkt"):
                names.append(self.clean.text(cell(r, "extent")) or "")
        names += [self.clean.text(x) or "" for x in split_list(s.get("service_areas", ""))]
        regions: list[str] = []
        countries: list[str] = []
        remote = False
        words: list[str] = []
        states = {v[0].lower(): k for k, v in self.m.us_states.items()}
        for n in (x for x in names if x):
            low = n.lower()
            if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", n):
                regions.append(n)
            elif (
                re.fullmatch(r"[A-Z]{2}", n)
                and n in self.m.us_states
                and n not in countries_known()
            ):
                regions.append(f"US-{n}")  # "DC": the District, not a country
            elif re.fullmatch(r"[A-Z]{2}", n):
                countries.append(n)
            elif low in ("remote", "online", "virtual", "telephone", "phone"):
                remote = True
            elif low in states:
                regions.append(f"US-{states[low]}")
            elif low in ("nationwide", "national", "united states", "usa"):
                countries.append("US")
            else:
                words.append(n)
        out: dict[str, Any] = {}
        if regions:
            out["regions"] = dedupe(regions)
        if countries:
            out["countries"] = dedupe(countries)
        if remote:
            out["remote"] = True
        return (out or None), words


# ---------------------------------------------------------------- reach

_NATIONAL = re.compile(
    r"\b(?:anywhere in|across|throughout|serves) the (?:united states|u\.s\.|us|country|nation)\b"
    r"|\bnation(?:al|wide),? (?:toll[- ]free )?(?:hotline|helpline|crisis line)\b"
    r"|\bnationwide (?:hotline|helpline|service)\b",
    re.IGNORECASE,
)
_STATEWIDE = re.compile(
    r"\bstatewide (?:hotline|helpline|crisis line|toll[- ]free)\b"
    r"|\b(?:anywhere in|throughout) the state\b|\bstatewide\b",
    re.IGNORECASE,
)
_TOLL_FREE = re.compile(r"^\+1 8(?:00|33|44|55|66|77|88)-")
_NO_STREET = re.compile(r"^\s*(?:p\.?\s*o\.?\s*box|post office box)\b", re.IGNORECASE)


def guess_reach(
    *,
    name: str,
    description: str,
    services: list[str],
    phone: str | None,
    street: str | None,
    country: str | None,
    region: str | None,
    home_region: str | None,
) -> tuple[dict[str, object], str] | None:
    """The service area a phone or national service's own data implies, and why.

    Only services that work by phone (a hotline, or a toll-free number with no
    street to visit) are read this way: a day-care centre that mentions
    "statewide" funding is not a statewide service. A toll-free line with no
    street is read as statewide in the export's own state (``home_region``, the
    state most of its addresses are in) and as national from any other state: a
    Miami directory lists a Texas toll-free line because Floridians can call it.
    """
    toll_free = bool(phone and _TOLL_FREE.match(phone))
    no_street = not street or bool(_NO_STREET.match(street))
    by_phone = "hotline" in services or (toll_free and no_street)
    if not by_phone:
        return None
    text = f"{name}\n{description}"
    us = country in (None, "US")
    found = _NATIONAL.search(text)
    if found and us:
        return {"countries": ["US"], "remote": True}, f"national: the text says {found.group(0)!r}"
    if us and toll_free and name.strip().lower().startswith("national "):
        return {"countries": ["US"], "remote": True}, "national: a 'National …' toll-free line"
    state = f"US-{region}" if us and region and re.fullmatch(r"[A-Z]{2}", region) else None
    found = _STATEWIDE.search(text)
    if found and state:
        return {"regions": [state], "remote": True}, f"statewide: the text says {found.group(0)!r}"
    if toll_free and no_street and state and region == home_region:
        return (
            {"regions": [state], "remote": True},
            "statewide: a toll-free line with no street address",
        )
    if toll_free and no_street and us and region:
        return (
            {"countries": ["US"], "remote": True},
            f"national: a toll-free line with no street, listed from {region}",
        )
    return None
