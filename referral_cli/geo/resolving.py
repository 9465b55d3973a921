"""Reading the place a volunteer typed: a town, a ZIP code, a county, a region.

An ambiguous name goes to the most populous place, counting places in the
directory's own countries a hundred times (so "Paris" in a Texas directory is
Paris, TX) and whole regions and countries a tenth; the answer names the others.
A misspelling is corrected only when one name is clearly closest (rapidfuzz, on
the miss path only).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace

from referral_cli.geo.coordinates import parse_coordinates
from referral_cli.geo.distance import distance_km
from referral_cli.geo.gazetteer import (
    US_TERRITORIES,
    ZIP_CODE,
    Qualifier,
    aliases,
    all_keys,
    at_point,
    lookup,
    norm_key,
    postal_town,
    qualifier,
    town_parts,
    zip_place,
)
from referral_cli.geo.place import HINT, Place, Resolution, UnknownPlace

PREFERRED_WEIGHT = 100  # a place in one of the directory's countries
AREA_WEIGHT = 0.01  # a whole region or country, against a town of the same name
OTHER_NAME_WEIGHT = 0.05  # a match on a place's other name (exonym, old name): a town of that very name usually is meant
MAX_TEXT = 200
# What a US county or county equivalent is called after its name ("Kern County",
# "Orleans Parish", "Matanuska-Susitna Borough", "Bayamón Municipio").
COUNTY_WORDS = ("county", "parish", "borough", "municipio", "census area")
_COUNTY_OF = r"(?i)^(?:city and county|county|parish) of\s+"  # compiled on first use
BIG_CITY = 250_000  # a name typed in a hurry ("Hustn") is read as a city this big only
CLOSE_ENOUGH = 88  # rapidfuzz ratio for reading a misspelt name as another


def resolve(text: str, prefer_countries: Sequence[str] = ()) -> Resolution:
    """The place ``text`` names: a town ("Fresno", "Fresno, TX", "Fresno Texas"),
    a US ZIP code, "X County", a region or country, "lat,lon" or degrees-minutes.

    Raises :class:`UnknownPlace` (one line, with what to do) for any text it cannot
    place; a missing gazetteer file is a :class:`ReferralError`.
    """
    raw = " ".join(str(text).split())
    if not raw:
        raise UnknownPlace(f"no place given; name a town, or {HINT}")
    if len(raw) > MAX_TEXT:
        raise UnknownPlace(f"place text too long ({len(raw)} characters); name a town, or {HINT}")
    point = parse_coordinates(raw)
    if point is not None:
        return at_point(*point, kind="coordinates", label=f"{point[0]:.5f}, {point[1]:.5f}")
    m = re.fullmatch(ZIP_CODE, raw)
    if m:
        return Resolution(zip_place(m.group(1), raw))
    m = re.fullmatch(_TRAILING_ZIP, raw)
    if m:  # "Fresno, CA 93721": the ZIP code is the most precise part
        try:
            return Resolution(zip_place(m.group(2), raw))
        except UnknownPlace:
            raw = m.group(1)
    return _resolve_name(raw, _preferred(prefer_countries))


def _preferred(countries: Sequence[str]) -> tuple[str, ...]:
    """The directory's countries, a US directory's with the US territories (Puerto
    Rico, Guam…: countries of their own in ISO 3166-1, US regions in ISO 3166-2)."""
    codes = tuple(c.upper() for c in countries)
    return (*codes, *US_TERRITORIES) if "US" in codes else codes


_TRAILING_ZIP = r"(.*?[^\W\d_].*?)[\s,]+([0-9]{5})(?:-[0-9]{4})?"


def _resolve_name(raw: str, prefer: tuple[str, ...]) -> Resolution:
    if not norm_key(raw):
        raise UnknownPlace(f"unknown place '{raw}'; name a town, or {HINT}")
    found = _exact(raw, prefer)
    if found is not None:
        return found
    try:
        return _misspelt(raw, prefer)
    except UnknownPlace:
        # "Upper Marlboro": a postal town by its name alone when no other place is
        # meant and the name is no one word ("art" is a word, Art, TX a hamlet)
        postal = [c for c in lookup(norm_key(raw)) if postal_town(c[0])]
        if not postal or " " not in norm_key(raw):
            raise
        return _choose(raw, postal, prefer)


def resolve_exact(text: str, prefer_countries: Sequence[str] = ()) -> Resolution | None:
    """The town, county, region or country ``text`` names as spelt, or ``None``:
    for words that may or may not be a place ("shelter Fresno CA"), where a
    spelling correction would turn ordinary words into places."""
    raw = " ".join(str(text).split())
    if not norm_key(raw) or len(raw) > MAX_TEXT:
        return None
    return _exact(raw, _preferred(prefer_countries))


def _exact(raw: str, prefer: tuple[str, ...], alias: bool = True) -> Resolution | None:
    target = aliases().get(norm_key(raw)) if alias else None
    if target is not None:
        res = _exact(target, prefer, alias=False)
        # a town truly named so in the directory's countries outweighs the name
        # people use when it weighs more as a town than the place meant as another
        # name ("North York" in a US directory: North York, PA; in a Canadian one,
        # Toronto's; "NOLA" is New Orleans wherever a Nola lies abroad)
        towns = [p for p, other_name in lookup(norm_key(raw)) if not other_name]
        towns = [t for t in towns if t.country in prefer and not postal_town(t)]
        heaviest = max((_weight(t, False, prefer) for t in towns), default=0.0)
        if res is not None and heaviest <= _weight(res.place, True, prefer):
            return _as_said(raw, res, towns)
    found = [c for c in lookup(norm_key(raw)) if not postal_town(c[0])]
    if not found:
        for name, quals in _splits(raw):
            found = [c for c in lookup(norm_key(name)) if _fits(c[0], quals)]
            if found:
                break
        else:
            return _as_county(raw, prefer) or _in_town(raw, prefer)
    return _choose(raw, found, prefer)


def _as_said(raw: str, res: Resolution, towns: list[Place]) -> Resolution:
    """The place a name of aliases.tsv names, said in a note with the towns truly
    named so; a neighbourhood is named before its town, measured from the town's
    centre."""
    place, note = res.place, f"'{raw}' taken as {res.place.label} (a name people use for it)"
    part = town_parts().get(norm_key(raw))
    if part is not None:
        place = replace(place, label=f"{part}, {place.label}")
        note = (
            f"'{raw}' taken as {part}, in {res.place.label}: distances are from the town's centre"
        )
    if towns:
        note += "; also: " + "; ".join(t.label for t in towns[:3])
    return Resolution(place, [note, *res.notes[1:]], [*towns, *res.alternatives])


TOWN_KM = 30  # "Kensington Philly": a Kensington this close to Philadelphia
# A side or part of a town, said before it: "South Side Chicago", "West Philly",
# "Uptown Charlotte", "West End Louisville".
_SIDE = (  # compiled on first use
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest|central|inner)"
    r"(?: side| end)?|downtown|uptown|midtown"
)


def _in_town(raw: str, prefer: tuple[str, ...]) -> Resolution | None:
    """A neighbourhood with its town after it ("Kensington Philly", "Flushing
    Queens", "Englewood Chicago"): the place of that name in the town's county or
    within :data:`TOWN_KM` of it; a side of town ("South Side Chicago", "East
    Oakland"): the town itself, with a note that the part is not placed."""
    words = raw.replace(",", " ").split()
    for n in (3, 2, 1):
        if len(words) <= n:
            continue
        part, town_text = " ".join(words[:-n]), " ".join(words[-n:])
        town = _exact(town_text, prefer)
        if town is None or town.place.kind not in ("city", "county"):
            continue
        t = town.place
        inside = [
            p
            for p, _ in lookup(norm_key(part))
            if p.kind == "city"
            and p.region == t.region
            and (
                (p.county is not None and p.county == t.county)
                or distance_km(p.lat, p.lon, t.lat, t.lon) <= TOWN_KM
            )
        ]
        if inside:
            place = max(inside, key=lambda p: p.population or 0)
            if (place.population or 0) > (t.population or 0):
                # "GTA, Sauga": the region said first, its town after; the town is
                # the more precise of the two
                place, t = t, place
            return Resolution(place, [f"'{raw}' taken as {place.label}, in or near {t.label}"])
        if re.fullmatch(_SIDE, norm_key(part)):
            note = f"'{raw}' taken as {t.label} (the {part} of it is not placed more precisely)"
            return Resolution(t, [note])
    return None


def _as_county(raw: str, prefer: tuple[str, ...]) -> Resolution | None:
    """ "Kern" or "Kern, CA" where no town has the name: the county (parish,
    borough, municipio) of that name, as a volunteer says it."""
    bare = re.sub(_COUNTY_OF, "", raw)  # "City and County of Denver": Denver County
    for name, quals in [(bare, ()), *_splits(bare)]:
        for suffix in COUNTY_WORDS:
            found = [
                c
                for c in lookup(norm_key(f"{name} {suffix}"))
                if c[0].kind == "county" and _fits(c[0], quals)
            ]
            if found:
                said = name if bare == raw else raw
                res = _choose(said, found, prefer)
                taken = res.notes[0] if res.notes else f"'{said}' taken as {res.place.label}"
                if bare == raw:
                    taken = f"no town is named '{name}': {taken}"
                return Resolution(res.place, [taken, *res.notes[1:]], res.alternatives)
    return None


def _choose(raw: str, found: list[tuple[Place, bool]], prefer: tuple[str, ...]) -> Resolution:
    ranked = sorted(found, key=lambda c: -_weight(c[0], c[1], prefer))
    place = ranked[0][0]
    others: list[Place] = []
    labels = {place.label}
    for other, _alt in ranked[1:]:
        if other.label not in labels:
            labels.add(other.label)
            others.append(other)
    notes = []
    if others:
        shown = "; ".join(o.label for o in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        notes.append(f"'{raw}' taken as {place.label}; also: {shown}{more}")
    if place.kind in ("region", "country"):
        notes.append(
            f"{place.label} is a whole {'state or region' if place.kind == 'region' else 'country'}:"
            " distances are from the population centre of its towns"
        )
    return Resolution(place, notes, others[:10])


def _weight(place: Place, alt: bool, prefer: tuple[str, ...]) -> float:
    weight = float(place.population or 1)
    if place.kind in ("region", "country"):
        weight *= AREA_WEIGHT
    if alt:
        weight *= OTHER_NAME_WEIGHT
    if place.country in prefer:
        weight *= PREFERRED_WEIGHT
    return weight


def names_a_region(text: str) -> bool:
    """Whether ``text`` reads as a name with a state, region or country after it
    ("Kern, TX", "Visalia Florida"): the region is part of what was asked."""
    return bool(_splits(" ".join(str(text).split())))


def names_a_region_of(text: str, countries: Sequence[str]) -> bool:
    """Whether ``text`` reads as a name with a state, region or country of one of
    ``countries`` after it ("Kern, TX" in a US directory; not "Station North", whose
    North is a region of Cameroon); of any country when none are given."""
    prefer = _preferred(countries)
    return any(
        not prefer or country in prefer
        for _, quals in _splits(" ".join(str(text).split()))
        for q in quals
        for country, _ in q
    )


def _splits(raw: str) -> list[tuple[str, tuple[Qualifier, ...]]]:
    """Ways to read ``raw`` as a name and qualifiers ("Fresno, CA", "Fresno Texas")."""
    out: list[tuple[str, tuple[Qualifier, ...]]] = []
    if "," in raw:
        name, *rest = (p.strip() for p in raw.split(","))
        quals: list[Qualifier] = []
        for part in filter(None, rest):
            q = qualifier(part)
            if q:
                quals.append(q)
                continue
            each = [qualifier(w) for w in part.split()]  # "CA US"
            if not all(each):
                return out
            quals.extend(each)
        if name and quals:
            out.append((name, tuple(quals)))
        return out
    words = raw.split()
    for n in range(1, min(3, len(words) - 1) + 1):
        q = qualifier(" ".join(words[-n:]))
        if q:
            out.append((" ".join(words[:-n]), (q,)))
    return out


def _fits(place: Place, quals: Sequence[Qualifier]) -> bool:
    return all(
        any(place.country == c and (not r or place.region == r) for c, r in q) for q in quals
    )


def _misspelt(raw: str, prefer: tuple[str, ...]) -> Resolution:
    """A name not in the gazetteer: corrected when one name is clearly closest."""
    name, quals = raw, tuple[Qualifier, ...]()
    splits = _splits(raw)
    if splits:
        name, quals = splits[0]
    near = _near_names(norm_key(name), quals, prefer)
    if not near:
        elsewhere = lookup(norm_key(name)) if quals else []
        county = None if elsewhere or not quals else _as_county(name, prefer)
        if elsewhere or county:
            best = county.place if county else _choose(name, elsewhere, prefer).place
            where = raw[len(name) :].strip(" ,")
            raise UnknownPlace(
                f"no place named '{name}' in {where}; did you mean {best.label}? (or {HINT})"
            )
        raise UnknownPlace(
            f"unknown place '{raw}'; check the spelling, or {HINT}"
            " (--online looks it up on OpenStreetMap)"
        )
    place = _clearly_closest(near, prefer) or _fewest_slips(norm_key(name), near, prefer)
    if place is not None:
        res = _choose(name, [(place, False)], prefer)
        return Resolution(res.place, [f"'{raw}' read as {place.label}", *res.notes], corrected=True)
    options = " or ".join(p.label for _, _, p in near[:2])
    raise UnknownPlace(f"unknown place '{raw}'; did you mean {options}? (or {HINT})")


def _clearly_closest(
    near: list[tuple[float, float, Place]], prefer: tuple[str, ...]
) -> Place | None:
    """The place a misspelt name means: the closest when clearly ahead of the next,
    or else the one close enough in the directory's countries when it is the only
    one there ("Colombus": Columbus, OH in a US directory, not Colombes, FR)."""
    (rank, score, place), *rest = near
    runner_up = rest[0][0] if rest else 0.0
    if score >= CLOSE_ENOUGH and rank - runner_up >= 4:
        return place
    at_home = [p for _, s, p in near if s >= CLOSE_ENOUGH and p.country in prefer]
    return at_home[0] if len(at_home) == 1 else None


def _fewest_slips(
    key: str, near: list[tuple[float, float, Place]], prefer: tuple[str, ...]
) -> Place | None:
    """When no name is clearly closest by ratio: the town of the directory's
    countries the fewest slips away, a slip being a letter left out, added, changed
    or two swapped (OSA distance), where a name of five letters or more is at most
    one slip away, or only left out letters of a city of :data:`BIG_CITY` people
    ("Hustn": Houston; two at most, the first letter kept). Of towns equally few slips away, the one ten times as
    populous as the others ("Tornto" is one slip from Toronto, two from Thornton,
    CO; a tie between a city and a hamlet goes to the city); else none."""
    from rapidfuzz.distance import OSA

    slips: list[tuple[int, int, Place]] = []
    for _, _, place in near:
        name = norm_key(place.city or place.label.split(",")[0])
        if place.country not in prefer or place.kind != "city" or name[:1] != key[:1]:
            continue
        distance = OSA.distance(key, name)
        dropped = (
            distance <= 2
            and len(name) - len(key) == distance
            and (place.population or 0) >= BIG_CITY
            and _leaves_out(key, name)
        )
        if distance <= 1 or dropped:
            slips.append((distance, place.population or 0, place))
    if not slips:
        return None
    fewest = min(s[0] for s in slips)
    tied = sorted((s for s in slips if s[0] == fewest), key=lambda s: -s[1])
    if len(tied) == 1 or tied[0][1] >= 10 * tied[1][1]:
        return tied[0][2]
    return None


def _leaves_out(key: str, name: str) -> bool:
    """Whether ``key`` is ``name`` with letters left out ("hustn" of "houston")."""
    letters = iter(name)
    return all(c in letters for c in key)


def corrected(text: str, prefer_countries: Sequence[str]) -> Resolution | None:
    """The town of the directory's countries that a misspelt word means ("Huston",
    "Colombus"), even when the word is also the name of a hamlet somewhere; ``None``
    when no one such town is clearly meant. For a word among others, where the
    spelling is all there is to go on."""
    key = norm_key(" ".join(str(text).split()))
    prefer = _preferred(prefer_countries)
    if len(key) < 5 or len(key) > MAX_TEXT:
        return None
    near = [n for n in _near_names(key, (), prefer) if norm_key(n[2].city or n[2].label) != key]
    place = (_clearly_closest(near, prefer) or _fewest_slips(key, near, prefer)) if near else None
    if place is None or place.country not in prefer:
        return None
    return Resolution(place, [f"'{text}' read as {place.label}"], corrected=True)


def _near_names(
    key: str, quals: Sequence[Qualifier], prefer: tuple[str, ...]
) -> list[tuple[float, float, Place]]:
    """Places whose names are close to ``key``, best first, with a rank (closeness,
    and up to 3 points for size) and the closeness alone (rapidfuzz ratio)."""
    if len(key) < 3:
        return []
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    out: list[tuple[float, float, Place]] = []
    for other, ratio, _ in process.extract(
        key, all_keys(), scorer=fuzz.ratio, limit=8, score_cutoff=75
    ):
        # One slip of the keyboard (a letter added, lost, changed or two swapped:
        # "Visaila") in a name of five letters or more is as close as a name gets.
        one_slip = len(key) >= 5 and OSA.distance(key, other) <= 1
        score = max(ratio, CLOSE_ENOUGH) if one_slip else ratio
        found = [c for c in lookup(other) if _fits(c[0], quals)]
        if found:
            best = max(found, key=lambda c: _weight(c[0], c[1], prefer))
            # A big place wins a near tie with a hamlet: up to 3 points for size.
            size = math.log10(_weight(best[0], best[1], prefer) + 1) / 3
            out.append((score + min(3.0, size), score, best[0]))
    unique: dict[str, tuple[float, float, Place]] = {}  # one entry a place, its best
    for entry in sorted(out, key=lambda s: -s[0]):
        unique.setdefault(entry[2].label, entry)
    return list(unique.values())
