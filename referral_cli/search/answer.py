"""A question answered: the place resolved, the index asked, the search explained.

The one entry ``find``, ``find --batch`` and the call session answer through,
so each gives the same results for the same facts. The core of the program: it
never reads options or prints, beyond the one notice that a place is about to
be looked up online.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from typing import Any

from referral_cli import geo, taxonomy
from referral_cli.directory import Directory
from referral_cli.index.store import Near
from referral_cli.output import clean
from referral_cli.query import Query, merge, parse, understood
from referral_cli.search.rules import Origin, SearchResult, phone_services, search
from referral_cli.search.sqlite import search_index

PHONE_RADIUS_KM = 1.0  # phone_services keeps only area-wide services: no radius needed


def _near(origin: Origin | None, radius_km: float) -> Near | None:
    if origin is None:
        return None
    return Near(origin.lat, origin.lon, radius_km, origin.region, origin.country)


def _search(directory: Directory, q: Query, near: Near | None, how: dict[str, Any]) -> SearchResult:
    """The search of the directory's candidates for ``q`` around ``near`` (``how``:
    the rest of :func:`referral_cli.search.rules.search`'s arguments), answered inside
    the index; with repeated ids left out or providers served as confidential
    (which the index does not know), of the candidates' list."""
    if directory.repeats or directory.hidden:
        return search(directory.candidates(q.services, q.areas, q.terms, near), q, **how)
    index = directory.index
    return index.consistently(lambda: search_index(index, q, near=near, **how))


def announce(message: str) -> None:
    """Tell the user, on stderr, before the program does what they must know of."""
    sys.stderr.write(f"referral: {clean(message)}\n")


def resolve_origin(
    q: Query, directory: Directory, home: str | None, online: bool, notes: list[str]
) -> tuple[Origin | None, Query]:
    """Where distances are measured from, and the query with what the place was not.

    "near Fresno blorptastic" tries the whole phrase, then shorter beginnings of
    it ("Fresno"); the words left over are read as part of the need. A phrase that
    names a region ("Kern, TX") is never shortened past it: a place in another
    state is not what was asked, so it stops with the region's message instead.
    """
    place = q.place
    if place is None:
        if not home:
            return None, q
        place = home
        notes.append(f"no place given; using the home place from config: {place}")
    words = place.split()
    for end in range(len(words), 0, -1):
        phrase = " ".join(words[:end])
        try:
            res = geo.resolve(phrase, prefer_countries=directory.countries)
        except geo.UnknownPlace:
            if geo.names_a_region(phrase):
                place = phrase
                break
            continue
        if end < len(words):
            rest = parse(" ".join(words[end:]))
            q = merge(replace(q, place=" ".join(words[:end])), replace(rest, place=None))
        notes.extend(res.notes)
        return Origin(
            res.place.label, res.place.lat, res.place.lon, res.place.country, res.place.region
        ), q
    if not online:
        geo.resolve(place, prefer_countries=directory.countries)  # raises with a suggestion
    announce(
        f"looking up {place!r} online (OpenStreetMap Nominatim): the place text leaves this machine"
    )
    found = geo.geocode_online(place)
    notes.append(f"'{place}' found online")
    return Origin(found.label, found.lat, found.lon, found.country, found.region), q


def answer(
    directory: Directory,
    q: Query,
    *,
    home: str | None,
    radius: float,
    limit: int,
    open_now: bool,
    online: bool,
    stated_only: bool,
    now: dt.datetime | None = None,
) -> SearchResult:
    """The answer to ``q``: resolved, searched, explained."""
    tax = taxonomy.load()
    notes: list[str] = [*directory.notes]
    origin, q = resolve_origin(q, directory, home, online, notes)
    fetched = radius
    how: dict[str, Any] = {
        "origin": origin, "radius_km": radius, "limit": limit, "open_now": open_now,
        "now": now, "tax": tax, "stated_only": stated_only,
    }  # fmt: skip
    while True:
        result = _search(directory, q, _near(origin, fetched), how)
        # Looked further than was fetched (too few within it): ask the index again,
        # that far out. Every provider within each radius up to the fetched one is
        # then a candidate, so the answer is that of a search over every provider.
        if result.looked_km is None or result.looked_km <= fetched:
            break
        fetched = result.looked_km
    result.notes[:0] = notes + q.corrections + q.notes
    result.understood = understood(q, origin, tax)
    if origin is not None and not result.results:
        need = " · ".join(tax.service_types[s].label.lower() for s in q.services) or "match"
        nearby = directory.candidates(near=_near(origin, PHONE_RADIUS_KM))
        result.results = phone_services(nearby, q, origin, limit)
        result.notes.append(
            f"no {need} for this person within reach of {origin.label}; listing the phone"
            " and area-wide services that cover it and admit the person"
            if result.results
            else f"no {need} for this person within reach of {origin.label}, and no phone"
            " or national service in this directory covers it"
        )
    if q.is_empty and origin is None:
        result.notes.append("no need or place given: listing providers by name")
    elif origin is None:
        result.notes.append("no place given: results from anywhere; name a town or ZIP code")
    return result
