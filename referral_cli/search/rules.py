"""Filter, rank and explain.

Rules, in the order they apply:

1. **Eligibility is a hard filter.** A provider whose ages, genders or
   trafficking types exclude the person is never a result. A population word
   ("minors", "women") excludes providers whose age range does not overlap it
   or whose genders exclude it; a precise ``age`` must lie inside the range.
   Absent eligibility means everyone; eligibility marked *not stated*
   (``stated: false``, most imported records) excludes no one but is never
   "everyone": such providers say "eligibility not stated — call to check" and,
   when the query names a person, rank after providers known to fit them
   (``stated_only`` leaves them out, with a note).
2. **Named service types and areas are hard filters**: a provider offers at least
   one of the needs asked ("shelter and a lawyer": shelters and legal aid), the
   ones meeting more needs first; each result says which it meets (``meets``).
   Every named area must be among its areas.
3. **Languages and "open now" filter too**, but when nothing is left the search
   says so in ``notes`` and shows what exists without that filter — a filter
   is never dropped silently.
4. **Geography.** With an origin, local providers within the radius are kept;
   remote, statewide and national services whose ``service_area`` covers the
   origin are kept and labelled. When fewer than :data:`MIN_RESULTS` lie within
   the radius, it is widened (doubling) and ``notes`` says so.
5. **Words the tool does not know never filter** a question that names a need, a
   person, a language or a place: a provider whose text holds them ranks higher
   (:func:`words_filter`). Only a question of words alone, with no place, is a
   look-up by text. The caller's words that named a need rank the providers of
   it too ("rape kit", read as medical care: a sexual-assault exam programme
   before a general clinic; :func:`said_words`).
6. **Ranking is deterministic:** match score (higher first), then distance
   (nearer first; area-wide services after local ones at equal score), then name.
   A provider whose primary type (the first of its services) is an asked need
   scores :data:`PRIMARY_SCORE` more than one that lists the need later.
7. **Tonight** (:mod:`referral_cli.records.tonight`): a provider closed or not
   taking referrals is never a result; those the search would have listed are
   named in ``left_out`` with why. For a shelter need, a provider reporting a
   free bed ranks before one that reports nothing (or too long ago), and that
   one before one reporting full (:func:`referral_cli.records.tonight.with_beds`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from referral_cli.errors import ReferralError
from referral_cli.geo.distance import distance_km
from referral_cli.geo.place import Origin
from referral_cli.geo.residency import lives_in
from referral_cli.languages import speaks
from referral_cli.output import FORMAT_VERSION
from referral_cli.query.record import Query, fact_key
from referral_cli.records import hours, tonight
from referral_cli.records.describe import RESIDENTS_OF, who_it_serves
from referral_cli.records.model import (
    FAMILIES,
    UNKNOWN_ELIGIBILITY_TEXT,
    Eligibility,
    Provider,
    ServiceArea,
)
from referral_cli.records.words import SHORTEST_STEM, hits, provider_words, stem, words_of
from referral_cli.taxonomy import Taxonomy, load

MIN_RESULTS = 3
MAX_RADIUS_KM = 1000.0


@dataclass
class Result:
    """A provider listed: its score, distance, reach and the reasons shown for it."""

    provider: Provider
    score: float
    distance_km: float | None
    reach: str  # local | radius | regional | national | remote | unknown
    reasons: list[str]
    meets: list[str] = field(default_factory=list)  # the asked service types it offers

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.provider.id,
            "name": self.provider.name,
            "score": round(self.score, 3),
            "distance_km": self.distance_km,
            "reach": self.reach,
            "meets": self.meets,
            "reasons": self.reasons,
        }
        out.update({k: v for k, v in self.provider.public_dict().items() if k not in out})
        return out


@dataclass
class SearchResult:
    """A search's answer: what was understood, the results, the notes and what was
    relaxed or left out."""

    query: Query
    origin: Origin | None
    radius_km: float | None  # the radius used: the one asked for, or widened
    results: list[Result]
    notes: list[str] = field(default_factory=list)
    understood: str = ""  # "temporary shelter · age 15 · female · near Visalia, CA, US"
    radius_asked_km: float | None = None
    # The filters the search let go of to show something: "language", "open_now",
    # "radius" (widened). A script that must not accept that checks this list.
    relaxed: list[str] = field(default_factory=list)
    # How far the search looked for enough providers (before keeping the asked
    # radius when looking further found none): every provider within it was needed.
    looked_km: float | None = None
    # Providers the search would have listed but that take no referrals (closed,
    # do-not-refer), by name (up to the limit), and how many there were.
    left_out: list[tuple[Provider, str]] = field(default_factory=list)
    left_out_count: int = 0

    def summary(self) -> dict[str, Any]:
        """Everything but the results: what was asked, from where, and the notes."""
        return {
            "format_version": FORMAT_VERSION,
            "query": {
                **self.query.as_dict(),
                "radius_km": self.radius_asked_km,
                "radius_used_km": self.radius_km,
                "understood": self.understood,
            },
            "origin": None
            if self.origin is None
            else {"label": self.origin.label, "lat": self.origin.lat, "lon": self.origin.lon},
            "notes": self.notes,
            "relaxed": self.relaxed,
            "left_out": [
                {"id": p.id, "name": p.name, "why": why, "status": p.status.as_dict()}
                for p, why in self.left_out
                if p.status is not None
            ],
        }

    def as_dict(self) -> dict[str, Any]:
        summary = self.summary()
        notes = {
            "notes": summary.pop("notes"),
            "relaxed": summary.pop("relaxed"),
            "left_out": summary.pop("left_out"),
        }
        return {**summary, "results": [r.as_dict() for r in self.results], **notes}


def public_distance(p: Provider, origin: Origin) -> float | None:
    """Distance in km; for a confidential provider measured from a point
    rounded to about a kilometre and given in whole km, so repeated searches
    from different places cannot pin down the address."""
    if p.lat is None or p.lon is None:
        return None
    if p.confidential:
        d = distance_km(origin.lat, origin.lon, round(p.lat, 2), round(p.lon, 2))
        return float(max(1, round(d)))
    return round(distance_km(origin.lat, origin.lon, p.lat, p.lon), 1)


def _age_range(q: Query, tax: Taxonomy) -> tuple[int | None, int | None, str | None]:
    """The ages and gender the people in the query could have."""
    low: int | None = None
    high: int | None = None
    genders: set[str] = set()
    for key in q.populations:
        pop = tax.populations.get(key)
        if pop is None:
            continue
        if pop.min_age is not None:
            low = pop.min_age if low is None else max(low, pop.min_age)
        if pop.max_age is not None:
            high = pop.max_age if high is None else min(high, pop.max_age)
        if pop.gender:
            genders.add(pop.gender)
    # "boys and girls": words of two genders name no one gender
    return low, high, q.gender or (genders.pop() if len(genders) == 1 else None)


def children_said(q: Query, tax: Taxonomy) -> bool | None:
    """Whether the person has children with them: ``True`` for a parent with
    children ("a woman with 2 kids"), ``False`` when the words deny it ("has no kids
    with her"; not "she's not a minor"), ``None`` when nothing is said."""
    if FAMILIES in q.populations:
        return True
    children = tax.people.get("children", frozenset())
    for n in q.negated:
        words = q.evidence.get("not " + n, "").lower().split()
        if n in _NO_CHILDREN and children.intersection(words):
            return False
    return None


def children_taken(e: Eligibility, q: Query) -> bool | None:
    """Whether every child said to come along is young enough for ``e``: ``None``
    when one may not be (its gender is not said) or the ages are not said at all."""
    if e.boys_max_age is None and e.girls_max_age is None:
        return True
    if not q.household:
        return None
    taken = {e.admits_child(age, q.children_genders.get(age)) for age in q.household}
    return False if False in taken else None if None in taken else True


_WORD = re.compile(r"[\w'’]+")  # "a mom." is a mom
_NO_CHILDREN = frozenset({f"population:{FAMILIES}", "population:minors"})


def alone(q: Query, tax: Taxonomy) -> bool:
    """Whether the person is described as one person with no child along: by age or
    gender ("a man, 45", "she's 19"), no children mentioned, and no word making them
    a parent ("a single mom", "pregnant": a child may come though none is named; not
    "her mom kicked her out")."""
    if children_said(q, tax) is not None:
        return False
    described = q.age is not None or bool(q.gender)
    if not described and not any(
        (pop := tax.populations.get(key)) is not None and (pop.has_ages or pop.gender)
        for key in q.populations
    ):
        return False
    tokens = _WORD.findall((q.text or "").lower())
    parents = tax.people.get("parent_words", frozenset())
    possessives = tax.people.get("possessives", frozenset())
    return not any(
        t in parents and (i == 0 or tokens[i - 1] not in possessives) for i, t in enumerate(tokens)
    )


def families_left(e: Eligibility, q: Query, tax: Taxonomy) -> bool:
    """Whether ``e`` is left out only as it takes a parent with children, and the
    person is alone (:func:`alone`): the answer says how many, never silently."""
    return e.children is True and alone(q, tax) and _eligibility_reason(e, q, tax) is not None


def families_left_note(count: int) -> str:
    return (
        f"{count} match(es) taking only a parent or carer with children left out: no children"
        ' were mentioned; name the children who come along ("with two kids, 4 and 9")'
        " to include them"
    )


def known_to_fit(e: Eligibility, q: Query, tax: Taxonomy) -> bool:
    """Whether a stated eligibility is known to fit the person, not only left open:
    an age limit when nothing of the person's age is said or implied (a minors-only
    service for "she needs a lawyer"; not for "minors" nor "a woman") is as unknown
    as an eligibility not stated, and ranks with it (:func:`rank_key`); so is a
    dimension the provider left unknown (``unstated``) the person's may not fit:
    ages not stated, for someone who may be a minor (:func:`may_be_a_minor`); the
    genders, for anyone whose gender is said; whether children come, for a parent
    with children or a person alone."""
    if not e.stated:
        return False
    low, high, gender = _age_range(q, tax)
    unsure = {
        "ages": may_be_a_minor(q, tax),
        "genders": bool(gender),
        "children": children_said(q, tax) is not None or alone(q, tax),
    }
    if any(unsure[d] for d in e.unstated):
        return False  # "Women and their children" for a girl of 16 alone
    if q.age is not None or (e.min_age is None and e.max_age is None):
        return True
    return (low, high) != (None, None)


def resides(e: Eligibility, origin: Origin | None) -> bool | None:
    """Whether the person lives where ``e`` requires them to (no requirement: yes):
    the place said for them is taken as where they live, the best guess a hotline
    supervisor makes; ``None`` when no place was said for them or the gazetteer
    cannot say. ``False`` leaves the provider out, said (:func:`elsewhere_note`);
    ``None`` keeps it, ranked as if it fitted, with the requirement shown ("check"):
    where a caller lives is rarely said, and a local network's callers mostly live
    where its local services ask."""
    return lives_in(e.residents_of, None if origin is None else origin.lives)


def _residents(e: Eligibility) -> str:
    return RESIDENTS_OF.format(places=" or ".join(e.residents_of))


def elsewhere_note(count: int, areas: Iterable[str], origin: Origin | None) -> str:
    """The matches left out as they serve only residents of places the person is
    not in, said with where the person was taken to be."""
    where = origin.lives.label if origin is not None and origin.lives is not None else "elsewhere"
    named = sorted(set(areas))
    places = " or ".join(named)
    if len(named) > _NAMED_AREAS:  # a line a volunteer can read on a call
        places = f"{', '.join(named[:_NAMED_AREAS])} or {len(named) - _NAMED_AREAS} other places"
    return (
        f"left out: {count} match(es) for residents of {places} only — the person is in"
        f" {where}; ask where they live"
    )


_NAMED_AREAS = 4


def may_be_a_minor(q: Query, tax: Taxonomy) -> bool:
    """Whether the person may be under 18, as far as the words say ("she's 16",
    "youth", or no age at all; not "a woman", "she's 40"). A service that does not
    state its ages serves adults, as services do unless they say otherwise; whether it
    takes a minor is what is not known (:func:`known_to_fit`)."""
    if q.age is not None:
        return q.age < 18
    low = _age_range(q, tax)[0]
    return low is None or low < 18


def fit(e: Eligibility, q: Query, tax: Taxonomy) -> tuple[str | None, float]:
    """Why an eligibility fits the person (``None`` when it excludes them, or takes
    only families and the person is alone: :func:`families_left`), and how much it
    specialises in them (:func:`_specialism`). Most providers share one of a few
    eligibilities: each is judged once per search."""
    reason = _eligibility_reason(e, q, tax)
    if reason is not None and e.children is True and alone(q, tax):
        reason = None
    return reason, 0.0 if reason is None else _specialism(e, q, tax)


def both_parents(q: Query) -> bool:
    """Whether the person is a family with a mother and a father ("mom dad and 3
    kids"): a service for one gender would part them."""
    return FAMILIES in q.populations and {"women", "men"} <= set(q.populations)


def _eligibility_reason(e: Eligibility, q: Query, tax: Taxonomy) -> str | None:
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
    if both_parents(q) and not (e.admits_gender("female") and e.admits_gender("male")):
        return None  # "mom, dad and 3 kids": a women's or a men's shelter parts them
    for kind in q.trafficking:
        if not e.admits_trafficking(kind):
            return None
    with_children = children_said(q, tax) if e.children is not None else None
    if with_children is not None and not e.admits_children(with_children):
        return None  # a parent with her kids at an adults-only shelter, or the other way
    if children_taken(e, q) is False:
        return None  # a mother with her son of 14 where boys stay up to 12
    if not e.stated:
        return UNKNOWN_ELIGIBILITY_TEXT + (f"; {_residents(e)}" if e.residents_of else "")
    who = who_it_serves(e)
    if who == "Everyone":
        return "serves everyone"
    return f"serves: {who[0].lower()}{who[1:]}"


def _specialism(e: Eligibility, q: Query, tax: Taxonomy) -> float:
    """How much a provider specialises in the person: 0.5 for a named population,
    age group, gender or trafficking type it focuses on, 0.25 more when its whole
    age range lies inside the person's (a minors-only shelter for "minors") or it
    focuses on both the person's age and gender, 0.5 more for a named population or
    trafficking type of the person beside their age or gender (an LGBTQ youth
    drop-in for a gay 15-year-old, before a boys' shelter); 1.5, above all these,
    for a provider that takes families, for a parent with children. For a person
    said by age or gender, a provider focused on a group a caller names when it
    applies (``said_when_so`` in taxonomy.yaml: families, LGBTQ people) and not
    named gets 0.75 less: it still serves them, after the specialists in them and
    never before a general provider (a women's shelter before a family shelter for
    a woman alone, general counselling before an LGBTQ youth drop-in for a man of
    19); a shelter for the person's gender that takes mothers' children too is not
    ranked down for the families (a women's shelter still, for a woman alone)."""
    if FAMILIES in q.populations and FAMILIES in e.populations:
        return 1.5  # a parent with children: a place that takes them together comes first
    low, high, gender = _age_range(q, tax)
    pops = [tax.populations[k] for k in q.populations if k in tax.populations]
    named = {pop.population for pop in pops if pop.population}
    said = {p.population for p in tax.populations.values() if p.said_when_so}
    others = (q.age is not None or bool(gender)) and any(
        p in said and p not in named and not (p == FAMILIES and gender in e.genders)
        for p in e.populations
    )
    less = 0.75 if others else 0.0
    has_ages = e.min_age is not None or e.max_age is not None
    age_focus = has_ages and (q.age is not None or any(pop.has_ages for pop in pops))
    gender_focus = bool(gender) and gender in e.genders
    named_focus = any(p in e.populations for p in named) or any(
        k in e.trafficking for k in q.trafficking
    )
    if not (age_focus or gender_focus or named_focus):
        return -less
    inside = (
        (low is not None or high is not None)
        and has_ages
        and (low is None or (e.min_age is not None and e.min_age >= low))
        and (high is None or (e.max_age is not None and e.max_age <= high))
    )
    focus = 0.75 if inside or (age_focus and gender_focus) else 0.5
    return focus + (0.5 if named_focus and (age_focus or gender_focus) else 0.0) - less


def text_hits(p: Provider, terms: Sequence[str]) -> list[str]:
    """The terms that begin a word of the provider's text (:mod:`referral_cli.records.words`)."""
    if not terms:
        return []
    found = provider_words(p)
    return [t for t in terms if hits(found, t)]


def said_words(q: Query, tax: Taxonomy) -> list[tuple[str, str]]:
    """The caller's words that rank providers within the needs asked, each with the
    stem looked for in their text (:func:`referral_cli.records.words.stem`): the
    words that named a need ("T visa" for legal aid: "visa"), less the need's own
    name ("shelter" for temporary shelter says nothing of which) and words too
    short to tell; what providers write for a phrase said (``written_as`` in
    taxonomy.yaml: "rape kit" lifts a sexual-assault exam programme above a
    general clinic, "suicidal" a suicide line above a general hotline). Only
    when a need is asked: the words of a question without one rank as they are
    said (:func:`text_hits`)."""
    if not q.services:
        return []
    skip = tax.stop_words | tax.negations
    roots: dict[str, str] = {}  # stem -> the word as said
    for service in q.services:
        named = q.evidence.get(fact_key("service", service))
        known = tax.service_types.get(service)
        if not named or known is None:
            continue
        label = {stem(w) for w in words_of(known.label)}
        for word in words_of(named):
            root = stem(word)
            if word not in skip and len(root) >= SHORTEST_STEM and root not in label:
                roots.setdefault(root, word)
    for written in _written_as(q.text or "", tax):
        *whole, last = words_of(written)
        roots.setdefault(" ".join([*whole, stem(last)]), written)
    return [(word, root) for root, word in roots.items()]


def _written_as(text: str, tax: Taxonomy) -> list[str]:
    """What providers write (``written_as`` in taxonomy.yaml) for the phrases said in
    ``text``, each phrase a run of its words."""
    said = words_of(text)
    return [
        written
        for written, phrases in tax.written_as.items()
        if any(_says(said, words_of(p)) for p in phrases)
    ]


def _says(said: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    return n > 0 and any(list(said[i : i + n]) == list(phrase) for i in range(len(said) - n + 1))


def said_hits(p: Provider, said: Sequence[tuple[str, str]]) -> list[str]:
    """The words of :func:`said_words` whose stem begins a word of the provider's text."""
    if not said:
        return []
    found = provider_words(p)
    return [word for word, root in said if hits(found, root)]


def mentions(found: Sequence[str], said: Sequence[str]) -> list[str]:
    """The asked words a provider's text holds, then the caller's words of
    :func:`said_words` it holds in some form: what its reason says it mentions."""
    return [*found, *(w for w in said if w not in found)]


def reach_of(sa: ServiceArea | None, origin: Origin) -> tuple[str | None, float | None]:
    """How a service area reaches ``origin`` whatever the distance ("regional",
    "national", "remote"), or else ``None`` and the radius it travels, if any."""
    if sa is None:
        return None, None
    if origin.region and origin.region in sa.regions:
        return "regional", None
    if origin.country and origin.country in sa.countries:
        return "national", None
    if sa.remote and not sa.regions and not sa.countries and sa.radius_km is None:
        return "remote", None  # phone or online with no area named: anywhere
    return None, sa.radius_km


def _coverage(p: Provider, origin: Origin, distance: float | None) -> str | None:
    """How a provider reaches the origin beyond being nearby, if it does."""
    kind, travels = reach_of(p.service_area, origin)
    if kind is None and travels is not None and distance is not None and distance <= travels:
        return "radius"
    return kind


def placed(reach: str | None, distance: float | None, radius_km: float) -> str | None:
    """What a provider is to a search with an origin: area-wide ("regional",
    "national", "remote"), "local" within the radius, "radius" when it travels
    that far, or ``None`` (out of reach)."""
    if reach in ("regional", "national", "remote"):
        return reach
    if distance is not None and distance <= radius_km:
        return "local"
    return reach


def is_open(p: Provider, now: dt.datetime | None = None) -> bool | None:
    """Open at ``now`` (aware), or ``None`` when the hours cannot say."""
    return hours.is_open(p.hours, p.timezone, now)


def _has_all(have: tuple[str, ...], wanted: list[str]) -> bool:
    """``all(w in have for w in wanted)``, without a generator per provider."""
    for w in wanted:  # noqa: SIM110 - a generator per provider costs more than the test
        if w not in have:
            return False
    return True


def meets(have: tuple[str, ...], wanted: list[str]) -> list[str]:
    """The asked service types a provider offers, in the order asked."""
    return [w for w in wanted if w in have]


SERVICE_SCORE = 1.0  # each asked need a provider meets
AREA_SCORE = 0.5
DENIED_SCORE = 1.0  # each need the person said they do not want ("not a shelter")
# A provider whose primary type (the first of its services) is an asked need: a
# legal-aid organisation before a family-law self-help group that lists legal aid
# later, at equal match. Less than the smallest step of the other terms (0.25), so
# it only orders equals; a power of two, so Python and SQLite add it exactly.
PRIMARY_SCORE = 0.125

# The weights a match's score adds up, one list: what each counts, and how much
# one of it adds. The search of a list adds them in Python (:func:`weighed`), the
# index writes the same sum in SQL (:func:`weighed_sql`); each side gives a count
# for every weight (a weight one side misses fails), and the focus of
# :func:`fit` is added to them. Multiples of a power of two: the sums are exact,
# whatever their order.
WEIGHTS: dict[str, float] = {
    "areas": AREA_SCORE,  # each asked area (a match has them all)
    "services": SERVICE_SCORE,
    "denied": -DENIED_SCORE,
    "primary": PRIMARY_SCORE,
    "words": 0.5,  # each asked word its text holds
    "named": 0.25,  # each of those its name holds
    # a text holding some of the caller's words for the needs asked (:func:`said_words`),
    # one or several, as much as an asked word: it orders the providers of a need,
    # never above one meeting more of the needs
    "said": 0.5,
}
# Added when the language filter is kept, to the matches that speak the language.
SPEAKS_SCORE = 0.5


def weighed(counts: dict[str, float]) -> float:
    """The score of these counts, one for each of :data:`WEIGHTS`."""
    if counts.keys() != WEIGHTS.keys():
        raise ValueError(f"counts for {sorted(counts)}, weights for {sorted(WEIGHTS)}")
    return sum(WEIGHTS[name] * n for name, n in counts.items())


def weighed_sql(counts: dict[str, list[str]]) -> str:
    """:func:`weighed` as an SQL expression: each weight times each of the
    expressions that count one of it (none: nothing added)."""
    if counts.keys() != WEIGHTS.keys():
        raise ValueError(f"counts for {sorted(counts)}, weights for {sorted(WEIGHTS)}")
    terms = [f"{WEIGHTS[name]!r} * ({e})" for name, found in counts.items() for e in found]
    return " + ".join(terms) or "0.0"


def primary_asked(have: tuple[str, ...], wanted: list[str]) -> bool:
    """Whether the provider's primary type is one of the asked needs."""
    return bool(have) and have[0] in wanted


def denied(q: Query) -> list[str]:
    """The service types the text denied ("not a shelter, just counselling"): they rank
    a provider lower, never remove it."""
    return [k.partition(":")[2] for k in q.negated if k.startswith("service:")]


def words_filter(q: Query, origin: Origin | None) -> bool:
    """Whether the words of ``q`` narrow the providers: only for a question of words
    alone (no need, area, person, language or place), a look-up by text. Otherwise
    they only rank."""
    return (
        bool(q.terms)
        and origin is None
        and not (q.services or q.areas or q.languages)
        and not (names_person(q))
    )


def unmet_note(q: Query, met: Collection[str], tax: Taxonomy, where: str) -> str | None:
    """The asked needs no result meets, said (the others were listed)."""
    if len(q.services) < 2:
        return None
    missing = [tax.service_types[s].label.lower() for s in q.services if s not in met]
    if not missing or len(missing) == len(q.services):
        return None  # all met, or none: the answer says so
    return f"no {' or '.join(missing)} for this person {where}; listing the other needs asked"


def not_stated_note(count: int) -> str:
    return f"{count} match(es) whose eligibility is not stated left out"


def unmatched_note(terms: Sequence[str], used: Collection[str]) -> str | None:
    unmatched = [t for t in terms if t not in used]
    return "not understood: " + ", ".join(f"'{t}'" for t in unmatched) if unmatched else None


def keep_speaking(
    q: Query, tax: Taxonomy, matches: int, speaking: int, notes: list[str], relaxed: list[str]
) -> bool:
    """Whether to keep only the ``speaking`` of ``matches`` that speak the asked
    languages: not when none does (the filter is let go of, and said so)."""
    names = _language_names(q, tax)
    if speaking:
        if speaking < matches:
            notes.append(f"listing only the matches that speak {names}")
        return True
    if matches:
        notes.append(f"no match speaks {names}; showing results in other languages")
        relaxed.append("language")
    return False


def keep_open(
    matches: int, open_now: int, unknown: int, notes: list[str], relaxed: list[str]
) -> bool:
    """Whether to keep only the ``open_now`` of ``matches``: not when none is known
    to be open (the filter is let go of, and said so)."""
    if open_now:
        if unknown:
            notes.append(f"{unknown} match(es) with unknown hours left out by --open-now")
        return True
    if matches:
        notes.append("none of the matches is known to be open now; showing them all")
        relaxed.append("open_now")
    return False


def widen(
    in_person: Callable[[float], int], radius_km: float, notes: list[str]
) -> tuple[float, float]:
    """The radius to use and the radius looked within: doubled while fewer than
    :data:`MIN_RESULTS` providers a person can reach lie within it, kept as asked
    when looking further found none more."""
    radius = radius_km
    while in_person(radius) < MIN_RESULTS and radius < MAX_RADIUS_KM:
        radius = min(radius * 2, MAX_RADIUS_KM)
    looked = radius
    if in_person(radius) == in_person(radius_km):
        radius = radius_km  # widening found nothing more: keep the asked radius
    if radius != radius_km:
        notes.append(
            f"radius widened from {radius_km:g} km to {radius:g} km: "
            f"fewer than {MIN_RESULTS} matches within {radius_km:g} km"
        )
    return radius, looked


def _language_names(q: Query, tax: Taxonomy) -> str:
    return ", ".join(tax.language_name(c) for c in q.languages)


def explain(
    p: Provider,
    q: Query,
    tax: Taxonomy,
    reason: str,
    focus: float,
    found: Sequence[str],
    filtered: tuple[bool, bool],
    reach: str,
    distance: float | None,
    beds: str | None = None,
) -> list[str]:
    """Why ``p`` is a result: what it offers, whom it serves, its beds tonight
    (``beds``: :func:`referral_cli.records.tonight.availability_text`), what it
    mentions, the language and open-now filters it passed (``filtered``), where it is."""
    reasons = [
        f"offers {tax.service_types[s].label.lower()}" for s in meets(p.services, q.services)
    ]
    reasons += [f"works in {tax.framework(None).area(a).label}" for a in q.areas]
    reasons.append(reason + (" (specialised)" if focus > 0 else ""))
    if beds:
        reasons.append(beds)
    if found:
        reasons.append("mentions " + ", ".join(f"'{h}'" for h in found))
    if filtered[0]:
        reasons.append(f"speaks {_language_names(q, tax)}")
    if filtered[1]:
        reasons.append("open now")
    if reach == "local":
        approximate = p.confidential or p.placed is not None
        reasons.append(f"{distance:g} km away" + (" (approximate)" if approximate else ""))
    elif reach in AREA_WIDE:
        reasons.append(_reach_label(p, reach))
    return reasons


def rank_key(
    reach: str,
    distance: float | None,
    score: float,
    known: bool,
    name: str,
    pid: str,
    asked_km: float,
    person: bool,
) -> tuple[int, int, float, float, int, str, str]:
    """Within the radius asked for first (a widened search only adds to it), then,
    when the query names a person, providers known to fit them before those whose
    eligibility is not stated or not known to fit (:func:`known_to_fit`), then how
    well the need matches, distance, area-wide services after local ones, name."""
    d = distance if distance is not None else math.inf
    return (
        1 if reach == "local" and d > asked_km else 0,
        1 if person and not known else 0,
        -score,
        d,
        1 if reach in ("regional", "national", "remote") else 0,
        name.lower(),
        pid,
    )


def left_out(
    closed: Iterable[Provider],
    origin: Origin | None,
    radius_km: float | None,
    today: dt.date,
    limit: int,
) -> tuple[list[tuple[Provider, str]], int]:
    """Of the matches taking no referrals, those a search with this origin and radius
    would have listed, by name (up to ``limit``, each with why), and how many."""
    kept = []
    for p in closed:
        if origin is not None and radius_km is not None:
            d = public_distance(p, origin)
            if not placed(_coverage(p, origin, d), d, radius_km):
                continue
        kept.append(p)
    kept.sort(key=lambda p: (p.name.lower(), p.id))
    return [(p, tonight.status_text(p.status, today) or "") for p in kept[:limit]], len(kept)


def names_person(q: Query) -> bool:
    return bool(q.age is not None or q.gender or q.populations or q.trafficking)


@dataclass
class _Match:
    """A provider that met the query and what ranks it: the eligibility's reason and
    focus, the words found (:func:`mentions`), the score."""

    provider: Provider
    reason: str
    focus: float
    found: list[str]
    score: float
    known: bool  # known to fit the person (:func:`known_to_fit`)


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
    stated_only: bool = False,
    report_hours: float = tonight.DEFAULT_REPORT_HOURS,
) -> SearchResult:
    """The search of a list of providers, one by one (the index asks the same
    questions of SQLite: :mod:`referral_cli.search.sqlite`)."""
    check_radius(radius_km)
    tax = tax or load()
    at = now or tonight.now()
    closed: list[Provider] = []
    notes: list[str] = []
    relaxed: list[str] = []
    matches: list[_Match] = []
    # each eligibility judged once: (it, why it fits, focus, known to fit, left out only
    # as it takes families and the person is alone, whether the person lives where it asks)
    fit_of: dict[int, tuple[Eligibility, str | None, float, bool, bool, bool | None]] = {}
    not_stated = 0
    for_families = 0
    elsewhere = 0  # matches left out as the person lives elsewhere, and their areas
    areas: set[str] = set()
    narrow = words_filter(q, origin)
    unwanted = denied(q)
    caller_words = said_words(q, tax)
    for p in providers:
        met = meets(p.services, q.services)
        if q.services and not met:
            continue
        if q.areas and not _has_all(p.areas, q.areas):
            continue
        e = p.eligibility
        judged = fit_of.get(id(e))
        if judged is None:  # e kept: its id stays its own
            reason, focus = fit(e, q, tax)
            for_them = reason is None and families_left(e, q, tax)
            lives = resides(e, origin)
            known = known_to_fit(e, q, tax)
            judged = fit_of[id(e)] = (e, reason, focus, known, for_them, lives)
        _, reason, focus, known, families_only, lives = judged
        if reason is None or lives is False:
            if (
                p.refers
                and (families_only or reason is not None)
                and not (narrow and not text_hits(p, q.terms))
            ):
                if reason is None:
                    for_families += 1
                else:
                    elsewhere += 1
                    areas.update(e.residents_of)
            continue
        found = text_hits(p, q.terms)
        if narrow and not found:
            continue
        if stated_only and not e.stated:
            not_stated += 1
            continue
        if not p.refers:
            closed.append(p)
            continue
        # a provider named for the need ("National Human Trafficking Hotline")
        named = words_of(p.name) if found else []
        score = weighed(
            {
                "areas": len(q.areas),
                "services": len(met),
                "denied": len(meets(p.services, unwanted)),
                "primary": primary_asked(p.services, q.services),
                "words": len(found),
                "named": sum(hits(named, t) for t in found),
                "said": bool(spoken := said_hits(p, caller_words)),
            }
        )
        matches.append(_Match(p, reason, focus, mentions(found, spoken), score + focus, known))

    if not_stated:
        notes.append(not_stated_note(not_stated))
    if for_families:
        notes.append(families_left_note(for_families))
    if elsewhere:
        notes.append(elsewhere_note(elsewhere, areas, origin))
    if q.terms and (said := unmatched_note(q.terms, {t for m in matches for t in m.found})):
        notes.append(said)
    speaking = False
    if q.languages:
        with_lang = [
            m for m in matches if all(speaks(m.provider.languages, w) for w in q.languages)
        ]
        speaking = keep_speaking(q, tax, len(matches), len(with_lang), notes, relaxed)
        if speaking:
            matches = with_lang
            for m in matches:
                m.score += SPEAKS_SCORE
    opened = False
    if open_now:
        states = [is_open(m.provider, now) for m in matches]
        is_open_now = [m for m, s in zip(matches, states, strict=True) if s]
        opened = keep_open(len(matches), len(is_open_now), states.count(None), notes, relaxed)
        if opened:
            matches = is_open_now

    found_places, used_radius, looked = _place(matches, origin, radius_km, notes)
    person = names_person(q)
    beds = tonight.asks_for_beds(q.services)
    found_places.sort(
        key=lambda f: tonight.with_beds(
            rank_key(
                f[2],
                f[1],
                f[0].score,
                f[0].known,
                f[0].provider.name,
                f[0].provider.id,
                radius_km,
                person,
            ),
            tonight.tier_of(f[0].provider, at, report_hours) if beds else 0,
        )
    )
    results = [
        Result(
            m.provider,
            m.score,
            d,
            reach,
            explain(
                m.provider,
                q,
                tax,
                m.reason,
                m.focus,
                m.found,
                (speaking, opened),
                reach,
                d,
                tonight.availability_text(m.provider, at, report_hours),
            ),
            meets(m.provider.services, q.services),
        )  # fmt: skip
        for m, d, reach in found_places[:limit]
    ]
    where = "within reach" if origin is not None else "in this directory"
    if said := unmet_note(
        q, {s for m, _, _ in found_places for s in m.provider.services}, tax, where
    ):
        notes.append(said)
    if used_radius is not None and used_radius != radius_km:
        relaxed.append("radius")
    left, left_count = left_out(closed, origin, used_radius, at.date(), limit)
    if left_count:
        notes.append(tonight.left_out_note(left, left_count))
    return SearchResult(
        q,
        origin,
        used_radius,
        results,
        notes,
        radius_asked_km=radius_km,
        relaxed=relaxed,
        looked_km=looked,
        left_out=left,
        left_out_count=left_count,
    )


def check_radius(radius_km: float) -> None:
    if not (math.isfinite(radius_km) and radius_km > 0):
        raise ReferralError(f"the search radius must be a positive number of km, not {radius_km!r}")


def _place(
    matches: list[_Match], origin: Origin | None, radius_km: float, notes: list[str]
) -> tuple[list[tuple[_Match, float | None, str]], float | None, float | None]:
    """The matches within reach of ``origin`` with their distance and reach, the
    radius used and the radius looked within."""
    if origin is None:
        return [(m, None, "unknown") for m in matches], None, None
    measured = []
    for m in matches:
        d = public_distance(m.provider, origin)
        measured.append((m, d, _coverage(m.provider, origin, d)))

    def in_person(radius: float) -> int:
        """Providers a person can reach: within the radius, or travelling to them."""
        return sum(
            1
            for _, d, reach in measured
            if reach == "radius" or (reach is None and d is not None and d <= radius)
        )

    radius, looked = widen(in_person, radius_km, notes)
    kept = [(m, d, out) for m, d, reach in measured if (out := placed(reach, d, radius))]
    return kept, radius, looked


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


AREA_WIDE = ("regional", "national", "remote", "radius")
