"""A question answered: the place resolved, the index asked, the search explained.

The one entry ``find``, ``find --batch`` and the call session answer through,
so each gives the same results for the same facts. The core of the program: it
never reads options or prints, beyond the one notice that a place is about to
be looked up online.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from referral_cli import taxonomy
from referral_cli.directory import Directory, served_as_confidential
from referral_cli.geo.gazetteer import lookup, norm_key, places_named
from referral_cli.geo.online import geocode_online
from referral_cli.geo.place import Origin, Place, UnknownPlace
from referral_cli.geo.resolving import names_a_region, names_a_region_of, resolve
from referral_cli.index.store import Near
from referral_cli.output import clean
from referral_cli.query.parser import parse
from referral_cli.query.record import Query, merge, understood
from referral_cli.records.describe import CHILDREN_UP_TO, children_ages_words
from referral_cli.records.model import Provider
from referral_cli.records.tonight import DEFAULT_REPORT_HOURS
from referral_cli.search.network_places import network_town, resolve_for, served
from referral_cli.search.rules import (
    AREA_WIDE,
    Result,
    SearchResult,
    children_said,
    children_taken,
    may_be_a_minor,
    names_person,
    resides,
    search,
)
from referral_cli.search.sqlite import Serving, search_index

PHONE_RADIUS_KM = 1.0  # phone_services keeps only area-wide services: no radius needed


def _near(origin: Origin | None, radius_km: float) -> Near | None:
    if origin is None:
        return None
    return Near(origin.lat, origin.lon, radius_km, origin.region, origin.country)


def _search(directory: Directory, q: Query, near: Near | None, how: dict[str, Any]) -> SearchResult:
    """The search of the directory's candidates for ``q`` around ``near`` (``how``:
    the rest of :func:`referral_cli.search.rules.search`'s arguments), answered inside
    the index, the providers left out as repeats or served as confidential told."""
    index = directory.index
    serving = Serving(directory.repeats, directory.hidden, served_as_confidential)
    return index.consistently(lambda: search_index(index, q, near=near, serving=serving, **how))


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
    q = _local_place(_first_word_place(q, directory, notes), directory, notes)
    place = q.place
    said = place is not None  # the place said is the person's; the home place is not
    if place is None:
        if not home:
            return None, q
        place = home
        notes.append(f"no place given; using the home place from config: {place}")
    words = place.split()
    for end in range(len(words), 0, -1):
        phrase = " ".join(words[:end])
        try:
            res = resolve_for(directory, phrase)
        except UnknownPlace:
            if names_a_region(phrase):
                place = phrase
                break
            continue
        if end < len(words):
            rest = parse(" ".join(words[end:]))
            q = merge(replace(q, place=" ".join(words[:end])), replace(rest, place=None))
        notes.extend(res.notes)
        lives = res.place if said else None
        return Origin(
            res.place.label, res.place.lat, res.place.lon, res.place.country, res.place.region,
            lives,
        ), q  # fmt: skip
    if not online:
        try:
            resolve(place, prefer_countries=directory.countries)  # raises with a suggestion
        except UnknownPlace as exc:
            town = network_town(directory) if _said_unplaced(q, place, directory) else None
            if town is None:
                raise
            notes.append(
                f"{exc}; this directory's providers all lie around {town.label},"
                " so results are measured from its centre"
            )
            return Origin(town.label, town.lat, town.lon, town.country, town.region), q
    announce(
        f"looking up {place!r} online (OpenStreetMap Nominatim): the place text leaves this machine"
    )
    found = geocode_online(place)
    notes.append(f"'{place}' found online")
    return Origin(
        found.label, found.lat, found.lon, found.country, found.region, found if said else None
    ), q


def _first_word_place(q: Query, directory: Directory, notes: list[str]) -> Query:
    """``q`` with its capitalised first word as the place, when the parser read it as
    nothing else (a town said first may be a person's name: "Katy, 22 y/o man",
    "Dupont, woman 25") and it names a town of the gazetteer where this directory's
    providers are, by its own name or one word shorter ("Dupont": Dupont Circle);
    said, with how to give the place if it is a name. A provider's own name
    ("Alpha", found as a place its providers write) stays the words looked up."""
    first = re.match(r"\s*([^\W\d_]+)", q.text or "")
    if q.place is not None or first is None or not first.group(1)[:1].isupper():
        return q
    word = first.group(1)
    if word.lower() not in q.terms:
        return q
    try:
        place = resolve_for(directory, word).place
    except UnknownPlace:
        return q
    gazetteer = places_named(place.label.split(",")[0])  # not a provider's own name
    if not (
        place.kind == "city"
        and place.label.lower().startswith(word.lower())  # no misspelling corrected
        and any((p.lat, p.lon) == (place.lat, place.lon) for p in gazetteer)
        and served(directory, place)
    ):
        return q
    notes.append(f"'{word}' read as the place; if it is a name, give the place with --near")
    return replace(
        q,
        place=word,
        terms=[t for t in q.terms if t != word.lower()],
        evidence={**q.evidence, "place": word},
    )


# "3rd ward": the gazetteer writes the number as a word
_ORDINALS = {
    "1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth",
    "6th": "sixth", "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth",
}  # fmt: skip
SHORTEST_LOCAL_WORD = 5  # a single word shorter than this is too common to be a place


def _local_place(q: Query, directory: Directory, notes: list[str]) -> Query:
    """``q`` with a lowercase phrase of words read as nothing else as its place, when
    no place was said and the phrase names exactly one place of the gazetteer where
    this directory's providers are ("midtown", "in the east end", "3rd ward" in a
    Houston directory): a neighbourhood said as a volunteer types it. Said, with how
    to give the place if it is not one."""
    if q.place is not None or not q.terms:
        return q
    unread = set(q.terms)
    # lowercase as typed: a capitalised word is the parser's to read as a name
    said = [w if w.islower() else "" for w in re.findall(r"[^\W_]+", q.text or "")]
    for n in (3, 2, 1):
        for i in range(len(said) - n + 1):
            span = said[i : i + n]
            if not set(span) <= unread or (n == 1 and len(span[0]) < SHORTEST_LOCAL_WORD):
                continue
            name = " ".join(_ORDINALS.get(w, w) for w in span)
            # a name of the gazetteer or of the providers first: a common word is
            # never looked up, nor a spelling for it guessed
            if not (lookup(norm_key(name)) or _written_as_a_place(directory, name)):
                continue
            try:
                place = resolve_for(directory, name).place
            except UnknownPlace:
                continue
            if not (_named_as_said(place, name) and served(directory, place)):
                continue  # a spelling corrected, or a place far from the network
            words = " ".join(span)
            notes.append(
                f"'{words}' read as the place {place.label}, where this directory's providers"
                " are; if it is not a place, give the place with --near"
            )
            return replace(
                q,
                place=name,
                terms=[t for t in q.terms if t not in span],
                evidence={**q.evidence, "place": words},
            )
    return q


def _written_as_a_place(directory: Directory, name: str) -> bool:
    """Whether a provider writes ``name`` as a place, capitalised: a location's
    part of a name ("Magnolia House - Midtown") or where it works ("a pantry in the
    East End"); not a word of a name ("Canton Maternity Home", "Hope House")."""
    words = r"\W+".join(w.capitalize() for w in name.split())
    written = re.compile(rf"(?: - |\b(?:in|serving|serves) (?:the )?){words}\b")
    return any(
        written.search(text or "")
        for p in directory.candidates(terms=[name])
        for text in (p.name, p.organization, p.description)
    )


def _named_as_said(place: Place, name: str) -> bool:
    """Whether ``place`` is named ``name`` itself or by another name of it in the
    gazetteer ("third ward": Houston), not a spelling corrected nor a longer name
    ("mission": not Mission Bend)."""
    return place.label.split(",")[0].lower() == name or any(
        other and found.label == place.label for found, other in lookup(norm_key(name))
    )


def _said_unplaced(q: Query, place: str, directory: Directory) -> bool:
    """Whether the place no one knows was read from the volunteer's sentence, with
    no state or region of the directory's countries said ("around Station North",
    not "--near X" nor "X, TX"): in a local network's directory it is a part of the
    network's area. ``place`` may be the beginning of what was said, cut before a
    word no one knows ("Station North zorblat")."""
    said = (q.evidence.get("place") or "").split()
    return said[: len(place.split())] == place.split() and not names_a_region_of(
        place, directory.countries
    )


NEAR_ENOUGH = 4  # times the radius asked: as far as a caller may still be taken


def nothing_near(result: SearchResult, radius: float, origin: Origin) -> bool:
    """Whether no result covers the place, nor lies within :data:`NEAR_ENOUGH` times
    the radius asked for in the place's country: the search was widened to find
    them, and too far (Tijuana for a child in Fresno)."""
    return not any(
        r.reach in AREA_WIDE
        or (
            r.distance_km is not None
            and r.distance_km <= NEAR_ENOUGH * radius
            and r.provider.country in (None, origin.country)
        )
        for r in result.results
    )


def _phone_first(
    result: SearchResult, directory: Directory, q: Query, origin: Origin, limit: int,
    radius: float,
) -> None:  # fmt: skip
    """Nothing within reach fits: the phone and area-wide services that cover the
    place and admit the person come first, then the nearest further away, said."""
    nearby = directory.candidates(near=_near(origin, PHONE_RADIUS_KM))
    phones = phone_services(nearby, q, origin, limit)
    shown = {r.provider.id for r in phones}
    result.results = (phones + [r for r in result.results if r.provider.id not in shown])[:limit]
    who = "this person" if names_person(q) else "this need"
    result.notes.append(
        f"nothing within {NEAR_ENOUGH * radius:g} km of {origin.label} fits {who}; "
        + (
            "the phone and area-wide services that cover it come first, then the nearest"
            " further away"
            if phones
            else "no phone or area-wide service in this directory covers it; the nearest"
            " further away are listed"
        )
    )


def _label_borders(result: SearchResult, origin: Origin) -> None:
    """A result in another country than the place says so: a referral across a
    border is rarely what a caller can use."""
    for r in result.results:
        country = r.provider.country
        if origin.country and country and country != origin.country:
            r.reasons.append(f"in another country ({country}), across a national border")


def _mark_unsure(result: SearchResult, q: Query, tax: taxonomy.Taxonomy) -> None:
    """A hard-filter cue the text held but could not bind ("9" said alone, gender words
    that disagree, "trafficked" with no kind), or a limit the words say nothing of (a
    family shelter, when no children were mentioned; where the person lives, when no
    place was said for them or the gazetteer cannot say): each result that would be
    excluded if it applied says "check", never listed silently as a fit."""
    for r in result.results:
        e = r.provider.eligibility
        for cue in q.unsure:
            kind, _, value = cue.partition(":")
            if kind == "age" and not e.admits_age(int(value)):
                r.reasons.append(f"check: not for age {value}, if that is the person's age")
            elif kind == "gender" and e.genders:
                r.reasons.append(f"check: serves {', '.join(e.genders)} only")
            elif kind == "trafficking" and e.trafficking:
                r.reasons.append(f"check: {', '.join(e.trafficking)} trafficking only")
        if e.children is True and children_said(q, tax) is None:
            r.reasons.append("check: takes only a parent or carer with children")
        if children_said(q, tax) and children_taken(e, q) is None:
            limits = ", ".join(children_ages_words(e, *CHILDREN_UP_TO))
            r.reasons.append(f"check: each child's age and gender ({limits})")
        if "ages" in e.unstated and q.age is not None and may_be_a_minor(q, tax):
            r.reasons.append(f"check: ages not stated; ask whether it takes someone of {q.age}")
        if resides(e, result.origin) is None:
            places = " or ".join(e.residents_of)
            r.reasons.append(f"check: for residents of {places} only; ask where the person lives")


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
    report_hours: float = DEFAULT_REPORT_HOURS,
) -> SearchResult:
    """The answer to ``q``: resolved, searched, explained."""
    tax = taxonomy.load()
    notes: list[str] = [*directory.notes]
    origin, q = resolve_origin(q, directory, home, online, notes)
    fetched = radius
    how: dict[str, Any] = {
        "origin": origin, "radius_km": radius, "limit": limit, "open_now": open_now,
        "now": now, "tax": tax, "stated_only": stated_only, "report_hours": report_hours,
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
    if origin is not None and result.results and nothing_near(result, radius, origin):
        _phone_first(result, directory, q, origin, limit, radius)
    if origin is not None:
        _label_borders(result, origin)
    _mark_unsure(result, q, tax)
    if origin is not None and not result.results:
        need = " or ".join(tax.service_types[s].label.lower() for s in q.services) or "match"
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


def phone_services(
    providers: Iterable[Provider], q: Query, origin: Origin, limit: int
) -> list[Result]:
    """For when nothing eligible lies within reach: the phone, statewide and national
    services that cover ``origin`` and admit the person, whatever they offer, so the
    volunteer still has a number to call."""
    everyone = list(providers)
    anyone = replace(q, services=[], areas=[], terms=[], languages=[])
    wider = search(everyone, anyone, origin=origin, radius_km=1.0, limit=len(everyone))
    return [r for r in wider.results if r.reach in AREA_WIDE and _by_phone(r.provider)][:limit]


def _by_phone(p: Provider) -> bool:
    """Reachable by phone wherever the caller is: remote, or a hotline."""
    sa = p.service_area
    return bool(p.hotline or "hotline" in p.services or (sa is not None and sa.remote))
