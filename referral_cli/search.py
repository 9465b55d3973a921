"""Filter, rank and explain.

Rules, in the order they apply:

1. **Eligibility is a hard filter.** A provider whose ages, genders or
   trafficking types exclude the person is never a result. A population word
   ("minors", "women") excludes providers whose age range does not overlap it
   or whose genders exclude it; a precise ``age`` must lie inside the range.
   Unstated eligibility means everyone.
2. **Named service types and areas are hard filters.**
3. **Languages and "open now" filter too**, but when nothing is left the search
   says so in ``notes`` and shows what exists without that filter — a filter
   is never dropped silently.
4. **Geography.** With an origin, local providers within the radius are kept;
   remote, statewide and national services whose ``service_area`` covers the
   origin are kept and labelled. When fewer than :data:`MIN_RESULTS` lie within
   the radius, it is widened (doubling) and ``notes`` says so.
5. **Ranking is deterministic:** match score (higher first), then distance
   (nearer first; area-wide services after local ones at equal score), then name.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from referral_cli.languages import speaks
from referral_cli.model import Eligibility, Provider
from referral_cli.query import Query
from referral_cli.taxonomy import Taxonomy

MIN_RESULTS = 3
MAX_RADIUS_KM = 1000.0


@dataclass(frozen=True)
class Origin:
    label: str
    lat: float
    lon: float
    country: str | None = None
    region: str | None = None  # ISO 3166-2, e.g. "US-CA"


@dataclass
class Result:
    provider: Provider
    score: float
    distance_km: float | None
    reach: str  # local | radius | regional | national | remote | unknown
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        out = {
            "id": self.provider.id,
            "name": self.provider.name,
            "score": round(self.score, 3),
            "distance_km": self.distance_km,
            "reach": self.reach,
            "reasons": self.reasons,
        }
        out.update({k: v for k, v in self.provider.public_dict().items() if k not in out})
        return out


@dataclass
class SearchResult:
    query: Query
    origin: Origin | None
    radius_km: float | None
    results: list[Result]
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": {**self.query.as_dict(), "radius_km": self.radius_km},
            "origin": None
            if self.origin is None
            else {"label": self.origin.label, "lat": self.origin.lat, "lon": self.origin.lon},
            "results": [r.as_dict() for r in self.results],
            "notes": self.notes,
        }


def public_distance(p: Provider, origin: Origin) -> float | None:
    """Distance in km; for a confidential provider measured from a point
    rounded to about a kilometre and given in whole km, so repeated searches
    from different places cannot pin down the address."""
    if p.lat is None or p.lon is None:
        return None
    from referral_cli.geo import distance_km

    if p.confidential:
        d = distance_km(origin.lat, origin.lon, round(p.lat, 2), round(p.lon, 2))
        return float(max(1, round(d)))
    return round(distance_km(origin.lat, origin.lon, p.lat, p.lon), 1)


def _age_range(q: Query, tax: Taxonomy) -> tuple[int | None, int | None, str | None]:
    """The ages and gender the people in the query could have."""
    low: int | None = None
    high: int | None = None
    gender = q.gender
    for key in q.populations:
        pop = tax.populations.get(key)
        if pop is None:
            continue
        if pop.min_age is not None:
            low = pop.min_age if low is None else max(low, pop.min_age)
        if pop.max_age is not None:
            high = pop.max_age if high is None else min(high, pop.max_age)
        gender = gender or pop.gender
    return low, high, gender


def eligibility_reason(p: Provider, q: Query, tax: Taxonomy) -> str | None:
    """Why a provider fits the person, or ``None`` when its eligibility excludes them."""
    from referral_cli.describe import who_it_serves

    e = p.eligibility
    low, high, gender = _age_range(q, tax)
    if q.age is not None and not e.admits_age(q.age):
        return None
    if low is not None or high is not None:
        lo = low if low is not None else 0
        hi = high if high is not None else 200
        if e.min_age is not None and e.min_age > hi:
            return None
        if e.max_age is not None and e.max_age < lo:
            return None
    if gender and not e.admits_gender(gender):
        return None
    for kind in q.trafficking:
        if not e.admits_trafficking(kind):
            return None
    who = who_it_serves(e)
    if who == "Everyone":
        return "serves everyone"
    return f"serves: {who[0].lower()}{who[1:]}"


def _specialism(p: Provider, q: Query, tax: Taxonomy) -> float:
    """How much a provider specialises in the person: 0.5 for a named population,
    age group, gender or trafficking type it focuses on, 0.25 more when its whole
    age range lies inside the person's (a minors-only shelter for "minors")."""
    e = p.eligibility
    low, high, _ = _age_range(q, tax)
    score = 0.0
    for key in q.populations:
        pop = tax.populations.get(key)
        if pop is None:
            continue
        if (
            (pop.population and pop.population in e.populations)
            or (pop.has_ages and (e.min_age is not None or e.max_age is not None))
            or (pop.gender and pop.gender in e.genders)
        ):
            score = 0.5
    if q.trafficking and any(k in e.trafficking for k in q.trafficking):
        score = 0.5
    if (
        score
        and (low is not None or high is not None)
        and (e.min_age is not None or e.max_age is not None)
        and (low is None or (e.min_age is not None and e.min_age >= low))
        and (high is None or (e.max_age is not None and e.max_age <= high))
    ):
        score += 0.25
    return score


def _text_hits(p: Provider, terms: list[str]) -> list[str]:
    if not terms:
        return []
    haystack = " ".join(
        x.lower() for x in (p.name, p.organization or "", p.description or "", *p.keywords, p.id)
    )
    return [t for t in terms if t in haystack]


def _coverage(p: Provider, origin: Origin, distance: float | None) -> str | None:
    """How a provider reaches the origin beyond being nearby, if it does."""
    sa = p.service_area
    if sa is None:
        return None
    if origin.region and origin.region in sa.regions:
        return "regional"
    if origin.country and origin.country in sa.countries:
        return "national"
    if sa.remote and not sa.regions and not sa.countries and sa.radius_km is None:
        return "remote"  # phone or online with no area named: anywhere
    if sa.radius_km is not None and distance is not None and distance <= sa.radius_km:
        return "radius"
    return None


def is_open(p: Provider, now: dt.datetime | None = None) -> bool | None:
    """Open at ``now`` (aware), or ``None`` when the hours cannot say."""
    from referral_cli.validate import TIME_RANGE_RE, parse_days

    hours = p.hours
    if hours is None:
        return None
    if isinstance(hours, str):
        if hours.strip().replace(" ", "").lower() in ("24/7", "24x7", "24hours", "always"):
            return True
        return None
    if not p.timezone:
        return None
    from zoneinfo import ZoneInfo

    local = (now or dt.datetime.now(dt.UTC)).astimezone(ZoneInfo(p.timezone))
    minutes = local.hour * 60 + local.minute
    for days, spec in hours.items():
        weekdays = parse_days(days)
        if not weekdays or local.weekday() not in weekdays or spec.lower() == "closed":
            continue
        for part in spec.split(","):
            m = TIME_RANGE_RE.match(part.strip())
            if not m:
                continue
            start = int(m.group(1)) * 60 + int(m.group(2))
            end = int(m.group(3)) * 60 + int(m.group(4))
            if start <= minutes < end or (end < start and (minutes >= start or minutes < end)):
                return True
    return False


def _has_all(have: tuple[str, ...], wanted: list[str]) -> bool:
    """``all(w in have for w in wanted)``, without a generator per provider."""
    for w in wanted:  # noqa: SIM110 - a generator per provider costs more than the test
        if w not in have:
            return False
    return True


def search(
    providers: Iterable[Provider],
    q: Query,
    *,
    origin: Origin | None,
    radius_km: float,
    limit: int = 10,
    open_now: bool = False,
    now: dt.datetime | None = None,
    tax: Taxonomy | None = None,
) -> SearchResult:
    from referral_cli.taxonomy import load

    tax = tax or load()
    notes: list[str] = []
    candidates: list[tuple[Provider, list[str], float]] = []
    offers: list[str] | None = None  # the reasons every candidate shares
    base_score = 1.0 * len(q.services) + 0.5 * len(q.areas)
    # Whether and how well an eligibility fits depends on it alone, and most
    # providers share one of a few: each is judged once.
    fit_of: dict[int, tuple[Eligibility, str | None, float]] = {}
    if q.services or q.areas:
        from referral_cli.facets import facets_of

        facets = facets_of(providers)
        if facets is not None:  # only the providers listing them, from the index
            assert isinstance(providers, list)
            providers = [providers[i] for i in facets.having(q.services, q.areas)]
    for p in providers:
        if q.services and not _has_all(p.services, q.services):
            continue
        if q.areas and not _has_all(p.areas, q.areas):
            continue
        e = p.eligibility
        fit = fit_of.get(id(e))
        if fit is None:
            reason = eligibility_reason(p, q, tax)
            focus = 0.0 if reason is None else _specialism(p, q, tax)
            fit = fit_of[id(e)] = (e, reason, focus)  # e kept: its id stays its own
        _, fits, focus = fit
        if fits is None:
            continue
        hits = _text_hits(p, q.terms)
        if q.terms and not hits and not (q.services or q.areas):
            continue
        score = base_score + 0.5 * len(hits)
        if focus:
            score += focus
            fits += " (specialised)"
        if offers is None:
            offers = [f"offers {tax.service_types[s].label.lower()}" for s in q.services]
            offers += [f"works in {tax.framework(None).area(a).label}" for a in q.areas]
        reasons = [*offers, fits]
        if hits:
            reasons.append("mentions " + ", ".join(f"'{h}'" for h in hits))
        candidates.append((p, reasons, score))

    if q.terms:
        used = {t for p, _, _ in candidates for t in _text_hits(p, q.terms)}
        unmatched = [t for t in q.terms if t not in used]
        if unmatched:
            notes.append("not understood: " + ", ".join(f"'{t}'" for t in unmatched))

    if q.languages:
        with_lang = [c for c in candidates if all(speaks(c[0].languages, w) for w in q.languages)]
        names = ", ".join(tax.language_name(c) for c in q.languages)
        if with_lang:
            if len(with_lang) < len(candidates):
                notes.append(f"listing only the matches that speak {names}")
            candidates = with_lang
            for _, reasons, _ in candidates:
                reasons.append(f"speaks {names}")
            for i, (p, reasons, score) in enumerate(candidates):
                candidates[i] = (p, reasons, score + 0.5)
        elif candidates:
            notes.append(f"no match speaks {names}; showing results in other languages")

    if open_now:
        is_open_now = [c for c in candidates if is_open(c[0], now)]
        if is_open_now:
            unknown = sum(is_open(c[0], now) is None for c in candidates)
            candidates = is_open_now
            for _, reasons, _ in candidates:
                reasons.append("open now")
            if unknown:
                notes.append(f"{unknown} match(es) with unknown hours left out by --open-now")
        elif candidates:
            notes.append("none of the matches is known to be open now; showing them all")

    results, used_radius = _place(candidates, origin, radius_km, notes)
    results.sort(key=lambda r: _rank(r, radius_km))
    return SearchResult(q, origin, used_radius, results[:limit], notes)


def _rank(r: Result, asked_km: float) -> tuple[int, float, float, int, str, str]:
    """Within the radius asked for first (a widened search only adds to it), then
    how well the need matches, distance, area-wide services after local ones, name."""
    distance = r.distance_km if r.distance_km is not None else math.inf
    widened = 1 if r.reach == "local" and distance > asked_km else 0
    area_wide = 1 if r.reach in ("regional", "national", "remote") else 0
    return (widened, -r.score, distance, area_wide, r.provider.name.lower(), r.provider.id)


def _place(
    candidates: list[tuple[Provider, list[str], float]],
    origin: Origin | None,
    radius_km: float,
    notes: list[str],
) -> tuple[list[Result], float | None]:
    if origin is None:
        return [Result(p, s, None, "unknown", reasons) for p, reasons, s in candidates], None
    measured = []
    for p, reasons, score in candidates:
        d = public_distance(p, origin)
        measured.append((p, reasons, score, d, _coverage(p, origin, d)))

    def in_person(radius: float) -> int:
        """Providers a person can reach: within the radius, or travelling to them."""
        return sum(
            1
            for _, _, _, d, reach in measured
            if reach == "radius" or (reach is None and d is not None and d <= radius)
        )

    radius = radius_km
    while in_person(radius) < MIN_RESULTS and radius < MAX_RADIUS_KM:
        radius = min(radius * 2, MAX_RADIUS_KM)
    if in_person(radius) == in_person(radius_km):
        radius = radius_km  # widening found nothing more: keep the asked radius
    if radius != radius_km:
        notes.append(
            f"radius widened from {radius_km:g} km to {radius:g} km: "
            f"fewer than {MIN_RESULTS} matches within {radius_km:g} km"
        )
    results = []
    for p, reasons, score, d, reach in measured:
        if reach in ("regional", "national", "remote"):
            results.append(Result(p, score, d, reach, [*reasons, _reach_label(p, reach)]))
        elif d is not None and d <= radius:
            approximate = p.confidential or p.placed is not None
            where = f"{d:g} km away" + (" (approximate)" if approximate else "")
            results.append(Result(p, score, d, "local", [*reasons, where]))
        elif reach == "radius":
            results.append(Result(p, score, d, reach, [*reasons, _reach_label(p, reach)]))
    return results, radius


def _reach_label(p: Provider, reach: str) -> str:
    sa = p.service_area
    by_phone = " by phone or online" if sa is not None and sa.remote else ""
    if reach == "regional":
        return "statewide service" + by_phone
    if reach == "national":
        return "nationwide service" + by_phone
    if reach == "remote":
        return "by phone or online"
    radius = sa.radius_km if sa is not None and sa.radius_km is not None else 0.0
    if by_phone:
        return f"by phone or online within {radius:g} km"
    return f"travels to you (serves {radius:g} km around)"
