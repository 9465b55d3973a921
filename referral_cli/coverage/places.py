"""The places of the matrix: which place each provider is located in, how the
places are labelled, and which places a service area reaches.

Only the public part of an address is read (city, county, region, country:
:attr:`Provider.place`), never the street or the coordinates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from referral_cli.coverage.choices import resolve_choice
from referral_cli.coverage.model import BY_CHOICES, UNKNOWN, Place, PlaceKey
from referral_cli.errors import ReferralError
from referral_cli.geo import gazetteer
from referral_cli.records.model import Address, Provider

# The public part of an address, as Provider.place gives it: (city, county, region, country).
PublicPlace = tuple[str | None, str | None, str | None, str | None]
# The (countries, regions) a service area reaches beyond the provider's own place.
ServiceReach = tuple[tuple[str, ...], tuple[str, ...]]


# All that decides where a provider counts: (its place, its service area's reach).
# A plain tuple: it keys the groups counting makes, one per provider.
Where = tuple[PublicPlace | None, ServiceReach | None]


def where_of(p: Provider) -> Where:
    sa = p.service_area
    reach = (sa.countries, sa.regions) if sa is not None and (sa.countries or sa.regions) else None
    return (p.place, reach)


def iso_region(country: str | None, region: str | None) -> str | None:
    """``("US", "CA")`` -> ``"US-CA"``; ``None`` when either is unknown."""
    if not region:
        return None
    r = region.strip().upper()
    if country:
        c = country.strip().upper()
        return r if r.startswith(c + "-") else f"{c}-{r}"
    return r if "-" in r else None


def _short_region(address: Address) -> str | None:
    if not address.region:
        return None
    r = address.region.strip()
    country = (address.country or "").strip().upper()
    if country and r.upper().startswith(country + "-"):
        return r[len(country) + 1 :]
    return r


def _address(place: PublicPlace | None) -> Address | None:
    """The public part of an address (never the street or postal code)."""
    if place is None:
        return None
    return Address(city=place[0], county=place[1], region=place[2], country=place[3])


def _place_key(address: Address | None, by: str) -> tuple[PlaceKey, str] | None:
    """A provider's place identity and display name, or ``None`` without that field."""
    if address is None:
        return None
    country = address.country.strip().upper() if address.country else None
    region = iso_region(country, address.region)
    if by == "country":
        return (PlaceKey(by, country.casefold(), None, country), country) if country else None
    if by == "region":
        short = _short_region(address)
        if not short:
            return None
        return PlaceKey(by, short.casefold(), region, country), short
    value = address.county if by == "county" else address.city
    if not value or not value.strip():
        return None
    name = " ".join(value.split())
    return PlaceKey(by, name.casefold(), region, country), name


def _merge_incomplete(keys: Iterable[PlaceKey]) -> dict[PlaceKey, PlaceKey]:
    """Fold a place missing its region or country into the one complete place of that name."""
    keys = list(keys)
    complete: dict[str, list[PlaceKey]] = {}
    for k in keys:
        if k.complete:
            complete.setdefault(k.name, []).append(k)
    merged = {}
    for k in keys:
        if k.complete:
            continue
        fits = [
            c
            for c in complete.get(k.name, [])
            if k.region in (None, c.region) and k.country in (None, c.country)
        ]
        if len(fits) == 1:
            merged[k] = fits[0]
    return merged


def _labels(names: dict[PlaceKey, str], keys: Sequence[PlaceKey], by: str) -> dict[PlaceKey, str]:
    """The name, told apart by region (then country) when two places share it; with
    its state when the places span several."""
    by_name: dict[str, list[PlaceKey]] = {}
    for k in keys:
        by_name.setdefault(k.name, []).append(k)
    many_regions = len({k.region for k in keys if k.region}) > 1
    many_countries = len({k.country for k in keys if k.country}) > 1
    label_of: dict[PlaceKey, str] = {}
    for group in by_name.values():
        for k in group:
            label = names[k]
            if by == "region":
                label = place_label(
                    region_name(k.country, k.region) or label, k.country, many_countries
                )
                if len(group) > 1 and not many_countries:
                    label = f"{label}, {k.country or '?'}"
            elif len(group) > 1 or (many_regions and by in ("county", "city")):
                region = k.region.split("-", 1)[1] if k.region and "-" in k.region else k.region
                regions = [g.region for g in group]
                if region and regions.count(k.region) == 1:
                    label = f"{label}, {region}"
                else:
                    label = f"{label}, {region or '?'}, {k.country or '?'}"
            label_of[k] = label
    return label_of


def locate(wheres: Iterable[Where], by: str) -> tuple[list[Place], dict[Where, str | None]]:
    """The places (columns) and, per place and reach of providers, the label of the
    place they are located in (``None``: a remote service located nowhere in particular)."""
    names: dict[PlaceKey, str] = {}
    key_of: dict[Where, PlaceKey] = {}
    unknown: dict[str, Place] = {}  # providers without the field, by region and country
    located: dict[Where, str | None] = {}
    seen: dict[PublicPlace | None, tuple[PlaceKey, str] | None] = {}
    for where in wheres:  # in the order the providers come
        place, reach = where
        if place in seen:  # most providers share their place with others
            found = seen[place]
        else:
            found = seen[place] = _place_key(_address(place), by)
        if found is None:
            if reach is not None:
                located[where] = None  # a remote service located nowhere in particular
                continue
            unknown_place = _unknown_place(_address(place), by)
            unknown.setdefault(unknown_place.label, unknown_place)
            located[where] = unknown_place.label
            continue
        key, name = found
        names.setdefault(key, name)
        key_of[where] = key
    merged = _merge_incomplete(names)
    finals = [k for k in names if k not in merged]
    label_of = _labels(names, finals, by)
    places = [
        Place(label_of[k], by, k.region if by != "country" else None, k.country) for k in finals
    ]
    places.sort(key=lambda pl: natural(pl.label))
    for where, key in key_of.items():
        located[where] = label_of[merged.get(key, key)]
    places.extend(sorted(unknown.values(), key=lambda pl: natural(pl.label)))
    return places, located


def places_of(providers: Sequence[Provider], by: str) -> tuple[list[Place], list[str | None]]:
    """The places of ``providers`` (as the matrix's columns) and the label of the
    place each one is located in (``None``: a remote service located nowhere)."""
    wheres = [where_of(p) for p in providers]
    places, located = locate(dict.fromkeys(wheres), resolve_choice("by", by, BY_CHOICES))
    return places, [located[w] for w in wheres]


def _unknown_place(address: Address | None, by: str) -> Place:
    """Where a provider without the ``by`` field is counted: its state when the
    address gives one (``Baja California, MX``: Mexican addresses name no county),
    else ``(unknown)``, told apart by what the address gives (``(unknown) in MX``)."""
    country = address.country.strip().upper() if address and address.country else None
    region = iso_region(country, address.region) if address and by in ("county", "city") else None
    if by == "country":
        country = None
    named = region_name(country, region)
    if named:
        return Place(place_label(named, country, True), by, region, country)
    where = [w for w in (region.split("-", 1)[1] if region else None, country) if w]
    label = f"{UNKNOWN} in {', '.join(where)}" if where else UNKNOWN
    return Place(label, by, region, country)


def region_name(country: str | None, region: str | None) -> str | None:
    """ "Baja California" for ``MX``/``MX-BC``; None when unknown (or no gazetteer)."""
    try:
        return gazetteer.region_name(country, region)
    except ReferralError:
        return None


def place_label(name: str, country: str | None, with_country: bool) -> str:
    return f"{name}, {country}" if with_country and country else name


def natural(text: str) -> tuple[Any, ...]:
    """Sort key: "District 2" before "District 10", case ignored."""
    parts = re.split(r"(\d+)", text.casefold())
    return (tuple((0, int(x), "") if x.isdigit() else (1, 0, x) for x in parts), text)


def reach_index(places: Sequence[Place]) -> Callable[[ServiceReach | None], list[Place]]:
    """A function giving the places a service area's ``(countries, regions)`` cover.

    A statewide service reaches the places of its region, and the country as a
    whole when places are countries; a national one every place of its country.
    Looked up by key, so counting stays linear in the number of providers.
    """
    by_country: dict[str, list[Place]] = {}
    by_region: dict[str, list[Place]] = {}
    for pl in places:
        if pl.country:
            by_country.setdefault(pl.country, []).append(pl)
        if pl.region:
            by_region.setdefault(pl.region, []).append(pl)

    def reached(reach: ServiceReach | None) -> list[Place]:
        if reach is None:
            return []
        countries, regions = reach
        hits: dict[str, Place] = {}
        for country in countries:
            for pl in by_country.get(country.upper(), ()):
                hits[pl.label] = pl
        for region in regions:
            code = region.upper()
            for pl in by_region.get(code, ()):
                hits[pl.label] = pl
            for pl in by_country.get(code.split("-", 1)[0], ()) if "-" in code else ():
                if pl.kind == "country":
                    hits[pl.label] = pl
        return list(hits.values())

    return reached
