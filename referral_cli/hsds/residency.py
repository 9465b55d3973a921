"""Where a service's people must live, read from its own words: "DC residents
only", "Must be a resident of Prince George's County", "Youth ages 14-21 who live in
Prince George's County", "Must live in zip code 22041, 22044 or 22311", and a
service area its source says is one of residents ("Residents of Prince George's
County").

Only an eligibility text or a service area's own words are read: a description
says whom a service is *for* ("for Northern Virginia residents and professionals")
more often than whom it turns away. A phrase is a residency area only when the
gazetteer knows it (:func:`referral_cli.geo.residency.area_place`), written with the
provider's state where that names it ("Montgomery County" of a Maryland provider is
"Montgomery County, MD"), and near the provider; any other is left unread and the
service serves wherever its people live, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from referral_cli.geo.distance import distance_km
from referral_cli.geo.gazetteer import aliases, norm_key, places_named
from referral_cli.geo.residency import area_place

# A place as written: capitalised words ("Prince George's County", "City of
# Fairfax", "DC"), a ward ("Ward 8") or a ZIP code
_WORD = r"(?:[\w'’]|\.(?=\w))*"  # "D.C.", never a sentence's full stop
_NAME = rf"(?:the\s+)?(?:\d{{5}}\b|[A-Z]{_WORD}(?:\s+(?:of\s+(?:the\s+)?)?[A-Z0-9]{_WORD})*)"
_JOIN = r"\s*,\s*(?:or\s+|and\s+|y\s+|o\s+)?|\s+(?:or|and|y|o)\s+"
_LIST = rf"{_NAME}(?:(?:{_JOIN}){_NAME})*"
_ZIPS = r"(?:(?:zip|postal)\s*(?:codes?)?\s*)?"  # read without case: "Zip codes"
# "DC residents only", "Montgomery County residents", "a District resident"
_BEFORE = re.compile(rf"({_NAME})\s+residents?\b")
_PATTERNS = (
    # "residents of Montgomery County", "a resident of zip codes 22041 or 22044"
    re.compile(rf"(?i:\bresidents?\s+of\s+{_ZIPS})({_LIST})"),
    # "who live in Prince George's County", "must live in zip code 22041", "que viven en"
    re.compile(
        rf"(?i:\b(?:lives?|living|resides?|residing|viven?|residen?)\s+(?:in|en)\s+"
        rf"{_ZIPS})({_LIST})"
    ),
    # "serves zip codes 20017, 20018 and 20002": of a pantry, where its people live
    re.compile(
        r"(?i)\bserv(?:es|ing)\s+(?:only\s+)?(?:zip|postal)\s*codes?\s+"
        r"(\d{5}(?:(?:\s*,\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+)\d{5})*)"
    ),
    # "families of Langley Park and Hyattsville", "residentes de Wheaton"
    re.compile(
        rf"(?i:\b(?:families|households|familias|hogares|residentes|vecinos)\s+"
        rf"(?:of|de|del)\s+)({_LIST})"
    ),
    _BEFORE,
    # "Fairfax County youth ages 14-21": a county said before whom it serves
    re.compile(
        rf"((?:[A-Z]{_WORD}\s+)+(?:County|Parish|Borough)|City\s+of\s+[A-Z]{_WORD})\s+"
        r"(?:youth|families|seniors|adults|teens|women|men|households|veterans|children)\b"
    ),
)
_SPLIT = re.compile(_JOIN)
_NEAR_KM = 150.0  # an area farther from the provider is another place of that name


_SENTENCE_START = re.compile(r"(?:^|[.;:!?\n*•]\s*)$")


def phrases(text: str) -> list[str]:
    """The place phrases ``text`` says its people must live in, as written. One
    capitalised word beginning a sentence before "residents" is no place said
    ("Serves residents of ...", "Eligible residents"), unless in capitals ("DC")."""
    out: list[str] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            said = m.group(1)
            if (
                pattern is _BEFORE
                and " " not in said
                and not said.isupper()
                and _SENTENCE_START.search(text[: m.start()])
            ):
                continue
            for part in _SPLIT.split(said):
                name = part.strip(" .")
                if name and name not in out:
                    out.append(name)
    return out


def areas(
    texts: Iterable[str], state: str | None, country: str | None, point: tuple[float, float] | None
) -> list[str]:
    """The residency areas of ``texts`` the gazetteer knows near the provider
    (``state``: its address's state as written, ``country`` its ISO code, ``point``
    where it is), each as written, with the state or country where that names it."""
    out: list[str] = []
    for text in texts:
        for name in phrases(text):
            found = _placed(name, state, country, point)
            if found is not None and found not in out:
                out.append(found)
    return out


def _placed(
    name: str, state: str | None, country: str | None, point: tuple[float, float] | None
) -> str | None:
    """``name`` as written so that the gazetteer finds the place near the provider:
    as said when one place has that name ("Prince George's County", "DC"), else with
    the provider's state ("Montgomery County, MD"); ``None`` when it finds none, or
    one of several of that name with nothing said of which (no state nor point:
    "Montgomery County" may be in any of 18 states)."""
    bare = name if name.lower().startswith("the district") else re.sub(r"^the\s+", "", name)
    one = norm_key(bare) in aliases() or len(places_named(bare)) <= 1
    qualified = [f"{bare}, {q}" for q in (state, country) if q and not bare.isdigit()]
    tries = [bare, *qualified] if one else [*qualified[:1], bare, *qualified[1:]]
    if bare == name and " " not in bare:
        tries.append(f"the {bare}")  # "a District resident": the District, near it
    for written in tries:
        place = area_place(written)
        if place is None or place.country != (country or place.country):
            continue
        if place.kind == "country" and place.country != country:
            continue  # "familias de Guatemala": where they come from, not where they live
        wide = place.kind in ("region", "country", "zip")  # a state's middle may lie far
        if written != bare and wide and area_place(bare) == place:
            written = bare  # "Maryland", not "Maryland, MD"
        if point is None:
            if wide or state or one:
                return written
            continue
        if wide or distance_km(place.lat, place.lon, *point) <= _NEAR_KM:
            return written
    return None


def state_of(names: Iterable[str]) -> str | None:
    """The state of the first of a service's area names the gazetteer places in one
    ("Montgomery County, MD": MD), for a service with no address of its own."""
    for name in names:
        place = area_place(name)
        if place is not None and place.region and place.kind != "country":
            return place.region.partition("-")[2]
    return None
