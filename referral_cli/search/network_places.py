"""A place name read as the network means it.

The directory is the network's own: a name that matches a place inside the area
its providers serve is almost surely meant. The gazetteer's choice stands when
some provider lies within :data:`IN_REACH_KM` of it; when none does, a place of
the same name close to the providers is taken instead ("Capitol Hill" in a
Burnaby directory: Capitol Hill, BC, not the one in DC), or else the place the
providers' own names and descriptions name ("Capitol Hill Counselling" in
Seattle: Seattle's Capitol Hill, which no open gazetteer carries). A name the
gazetteer lacks is looked for there too, and then a place near the providers
whose name is the name said and one word more ("Dupont" in a Washington
directory: Dupont Circle, not DuPont, WA). Each is said in a note, with the others.

A name no one knows, said in a local network's directory (every provider within
:data:`IN_REACH_KM` of one town), is almost surely a part of that area the
gazetteer lacks: :func:`network_town` is where it is measured from, said.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from referral_cli.directory import Directory
from referral_cli.geo.distance import KM_PER_DEGREE, distance_km
from referral_cli.geo.gazetteer import longer_names, nearest_town, places_named
from referral_cli.geo.place import Place, Resolution, UnknownPlace
from referral_cli.geo.resolving import BIG_CITY, names_a_region, resolve
from referral_cli.index.store import located
from referral_cli.records.model import Provider

SERVED_KM = 50.0  # a place this close to a provider's point is served by the network
IN_REACH_KM = 200.0  # as far as the search widens before it says nothing is near
# a town smaller than this, in another state than a local network's, said without its
# state, is more likely a part of the network's town the gazetteer lacks
FAR_TOWN = 50_000
TOWN_VOTES = 100
INSIDE_MARGIN = 0.98  # of the inscribed square: the sphere's distances, not the plane's
POLAR = 85.0  # degrees of latitude past which a box of degrees is no square  # providers' points enough to tell the town a local network is around


def resolve_for(directory: Directory, text: str) -> Resolution:
    """The place ``text`` names, as :func:`~referral_cli.geo.resolving.resolve`
    reads it, unless the network means another (see the module's docstring).

    Raises :class:`UnknownPlace` as ``resolve`` does when neither the gazetteer
    nor the directory knows the name.
    """
    try:
        res = resolve(text, prefer_countries=directory.countries)
    except UnknownPlace:
        named = _named_by_providers(directory, text, [])
        if named is None:
            raise
        return named
    found = res.place
    if (
        found.kind not in ("city", "county")
        or names_a_region(text)
        or _providers_within(directory, found, IN_REACH_KM)
    ):
        return res  # a county, a state, "Capitol Hill, DC": what was asked; or served
    others = [found, *res.alternatives]
    for alt in res.alternatives:
        if alt.kind == found.kind and _providers_within(directory, alt, SERVED_KM):
            rest = "; ".join(o.label for o in others if o != alt)
            note = (
                f"'{text}' taken as {alt.label}, where this directory's providers are; also: {rest}"
            )
            return Resolution(alt, [note], [o for o in others if o != alt])
    if found.kind == "city" and (found.population or 0) < BIG_CITY:
        named = _named_by_providers(directory, text, others) or _named_longer(
            directory, text, others
        )
        if named is not None:
            return named
        town = network_town(directory)
        if town is not None and found.region != town.region and (found.population or 0) < FAR_TOWN:
            # "Sunnyslope" in a Phoenix directory: a part of the network's town the
            # gazetteer lacks, not the small town of that name in another state
            note = (
                f"'{text}' is no place the gazetteer knows near this directory's providers"
                f" ({', '.join(o.label for o in others[:3])} are far from them); they all lie"
                f" around {town.label}, so results are measured from its centre; give the"
                " state to mean one of the others"
            )
            return Resolution(town, [note], others)
    return res


def _named_longer(directory: Directory, text: str, others: list[Place]) -> Resolution | None:
    """The place near the providers whose name is ``text`` and one word more, as
    people shorten it ("Dupont" for Dupont Circle, DC, in a Washington directory,
    rather than DuPont, WA): of several, the most populous."""
    near = [
        place
        for key in longer_names(text)
        for place in places_named(key)
        if place.kind == "city" and _providers_within(directory, place, SERVED_KM)
    ]
    if not near:
        return None
    place = max(near, key=lambda p: p.population or 0)
    also = "; ".join(o.label for o in [*near, *others] if o != place)
    note = f"'{text}' taken as {place.label}, where this directory's providers are" + (
        f"; also: {also}" if also else ""
    )
    return Resolution(place, [note], [o for o in [*near, *others] if o != place])


def served(directory: Directory, place: Place) -> bool:
    """Whether a provider of the directory lies within :data:`SERVED_KM` of ``place``."""
    return _providers_within(directory, place, SERVED_KM)


def _providers_within(directory: Directory, place: Place, km: float) -> bool:
    """Whether a provider's own point lies within ``km`` of ``place`` (a service
    reaching it from afar, such as a national line, does not place the network);
    asked of the index's points, no provider read. One provider in the square
    inside the circle answers at once; only when there is none are the points of
    the box around the circle measured (at a million providers around a town, the
    box holds hundreds of thousands)."""
    if _one_in_the_square(directory, place, km):
        return True
    inside, args = located(place.lat, place.lon, km)
    points = directory.index.rows(
        f"SELECT lat, lon FROM providers WHERE file_id IN ({{files}}) AND rowid IN ({inside})",
        args,
    )
    return any(distance_km(place.lat, place.lon, lat, lon) <= km for lat, lon in points)


def _one_in_the_square(directory: Directory, place: Place, km: float) -> bool:
    """Whether some provider's own point lies in the square inscribed in the circle of
    ``km`` around ``place`` (within it, by a margin), asked with ``LIMIT 1``; no
    answer near a pole or across the antimeridian, where the square is no square."""
    half = km / math.sqrt(2) * INSIDE_MARGIN
    dlat = half / KM_PER_DEGREE
    nearest_equator = max(0.0, abs(place.lat) - dlat)
    dlon = half / (KM_PER_DEGREE * math.cos(math.radians(nearest_equator)))
    if abs(place.lat) + dlat > POLAR or abs(place.lon) + dlon > 180:
        return False
    box = (place.lat - dlat, place.lat + dlat, place.lon - dlon, place.lon + dlon)
    # The points of the square read one by one until a provider of these files
    # is found (a list of every point in it would be hundreds of thousands).
    found = directory.index.rows(
        "SELECT 1 FROM spot s CROSS JOIN providers p ON p.rowid = s.provider"
        " WHERE s.max_lat >= ? AND s.min_lat <= ? AND s.max_lon >= ? AND s.min_lon <= ?"
        " AND p.file_id IN ({files}) AND p.lat BETWEEN ? AND ? AND p.lon BETWEEN ? AND ?"
        " LIMIT 1",
        (box[0], box[1], box[2], box[3], *box),
    )
    return bool(found)


def _named_by_providers(directory: Directory, text: str, others: list[Place]) -> Resolution | None:
    """The town whose providers write ``text`` as a name ("Capitol Hill Wellness",
    "drop-in centre in Station North"), measured from the town's centre: never a
    provider's own point, which may be a confidential one."""
    words = re.findall(r"[^\W_]+", text)
    if not words:
        return None
    written = re.compile(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b", re.IGNORECASE)
    towns: Counter[str] = Counter()
    places: dict[str, tuple[Place, str, str]] = {}
    for p in directory.candidates(terms=[" ".join(words)]):
        name = _proper_name(p, written)
        if name is None or p.lat is None or p.lon is None:
            continue
        near = nearest_town(p.lat, p.lon)
        if near is None:
            continue
        town = near[0]
        towns[town.label] += 1
        places.setdefault(town.label, (town, name, p.name))
    if not towns:
        return None
    label = towns.most_common(1)[0][0]
    town, name, provider = places[label]
    place = Place(f"{name}, {town.label}", town.lat, town.lon, "city", town.country, town.region)
    alternatives = [*(t for t, _, _ in places.values() if t != town), *others]
    also = "; ".join(o.label for o in alternatives[:3])
    note = (
        f"'{text}' taken as {place.label}, as this directory's providers name it ({provider});"
        " distances are from the town's centre" + (f"; also: {also}" if also else "")
    )
    return Resolution(place, [note], alternatives)


def _proper_name(p: Provider, written: re.Pattern[str]) -> str | None:
    """The words as a provider writes them, when written as a name (each word
    capitalised: "Capitol Hill", not "the capitol hill of the state")."""
    for field in (p.name, p.organization, p.description, *p.keywords):
        for m in written.finditer(field or ""):
            said = m.group(0)
            if all(w[:1].isupper() for w in re.findall(r"[^\W_]+", said)):
                return said
    return None


def network_town(directory: Directory) -> Place | None:
    """The town a local network's providers lie around (the one most of them are
    nearest to), or ``None`` when some provider lies further than
    :data:`IN_REACH_KM` from it: a directory of a state or a country has no one town."""
    box = directory.index.rows(
        "SELECT min(lat), max(lat), min(lon), max(lon), count(*) FROM providers"
        " WHERE file_id IN ({files}) AND lat IS NOT NULL"
    )[0]
    south, north, west, east, count = box
    if not count:
        return None
    centre = ((south + north) / 2, (west + east) / 2)
    if distance_km(south, west, north, east) > 2 * IN_REACH_KM:
        return None  # spread too far for any one town to be within reach of all
    step = max(1, count // TOWN_VOTES)
    points = directory.index.rows(
        "SELECT lat, lon FROM providers WHERE file_id IN ({files}) AND lat IS NOT NULL"
        " AND rowid % ? = 0 ORDER BY rowid",
        (step,),
    ) or [centre]
    votes: Counter[Place] = Counter()
    for lat, lon in points:
        found = nearest_town(lat, lon)
        if found is not None:
            votes[found[0]] += 1
    if not votes:
        return None
    town = votes.most_common(1)[0][0]
    corners = [(lat, lon) for lat in (south, north) for lon in (west, east)]
    if any(distance_km(town.lat, town.lon, lat, lon) > IN_REACH_KM for lat, lon in corners):
        return None
    return town
