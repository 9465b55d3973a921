"""The search SQLite answers (index_search) is the search of the list (search).

Random directories and random questions, the one answered both ways: the same
results in the same order with the same scores, distances, reach and reasons,
and the same notes, relaxed filters and radii. The default run tries a few
dozen; the long profile a few thousand.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from referral_cli.directory import served_as_confidential
from referral_cli.geo.place import Origin
from referral_cli.geo.resolving import resolve
from referral_cli.index import database, filing, store
from referral_cli.index.store import Near
from referral_cli.query.parser import parse
from referral_cli.query.record import Query
from referral_cli.records.model import (
    Availability,
    Eligibility,
    Provider,
    ServiceArea,
    Source,
    Status,
)
from referral_cli.search.rules import SearchResult, search, words_filter
from referral_cli.search.sqlite import Serving, search_index
from referral_cli.taxonomy import load

LONG = os.environ.get("REFERRAL_TEST_PROFILE") == "long"
TAX = load()
SERVICES = ["temporary-shelter", "legal-aid", "counseling", "hotline", "medical"]
AREAS = ["restoration", "rescue-exit"]
WORDS = ["hope", "harbor", "safe", "house", "o'brien", "niños", "valley"]
LANGUAGES = ["en", "es", "es-MX", "hmn", "zh-Hant", "vi"]
TOWNS = [(36.7378, -119.7871), (36.3302, -119.2921), (29.7604, -95.3698)]
# where a provider's people must live: a county, a town, a ZIP code, a state of the towns
LIVE_IN = ["Fresno County, CA", "Visalia, CA", "93721", "Texas"]
# where the person is said to be: each area's place, or none said
LIVES = [None, *(resolve(t).place for t in ("Fresno", "Visalia, CA", "Houston", "93721"))]
HOURS: list[object] = [
    None,
    "24/7",
    "call first",
    {"mon-fri": "09:00-17:00"},
    {"sat": "22:00-06:00"},
]
ZONES = [None, "America/Los_Angeles", "America/Chicago"]
NOW = dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)
T = TypeVar("T")


def _some(rng: random.Random, choices: Sequence[T], most: int, least: int = 0) -> tuple[T, ...]:
    """Between ``least`` and ``most`` of ``choices``, none twice, in a random order."""
    return tuple(rng.sample(choices, rng.randint(least, most)))


def _eligibility(rng: random.Random) -> Eligibility:
    if rng.random() < 0.5:
        return Eligibility()
    e = _stated(rng)
    given = {"ages": e.min_age is not None or e.max_age is not None, "genders": bool(e.genders),
             "children": e.children is not None}  # fmt: skip
    left = [d for d, said in given.items() if not said]
    return replace(e, unstated=_some(rng, left, min(2, len(left))) if e.stated else ())


def _stated(rng: random.Random) -> Eligibility:
    return Eligibility(
        min_age=rng.choice([None, rng.randint(0, 30)]),
        max_age=rng.choice([None, rng.randint(10, 99)]),
        genders=_some(rng, ["female", "male", "nonbinary"], 2),
        trafficking=_some(rng, ["labor", "sex"], 1),
        populations=_some(rng, ["lgbtq", "families", "farmworkers"], 2),
        notes=rng.choice([None, "call first"]),
        stated=rng.random() < 0.5,
        children=rng.choice([None, True, False]),
        boys_max_age=rng.choice([None, rng.randint(5, 17)]),
        girls_max_age=rng.choice([None, rng.randint(5, 17)]),
        residents_of=_some(rng, LIVE_IN, 2),
    )


def _service_area(rng: random.Random) -> ServiceArea | None:
    if rng.random() < 0.5:
        return None
    return ServiceArea(
        radius_km=rng.choice([None, 5.0, 25.0, 100.0, 600.0]),
        regions=_some(rng, ["US-CA", "US-TX"], 1),
        countries=_some(rng, ["US"], 1),
        remote=rng.random() < 0.5,
    )


def _availability(rng: random.Random) -> Availability | None:
    """A bed report around the 24 hours a report stays fresh (one exactly on the edge)."""
    if rng.random() < 0.5:
        return None
    hours = rng.choice([1, 23, 24, 25, 72])
    return Availability(
        as_of=(NOW - dt.timedelta(hours=hours)).astimezone(dt.timezone(dt.timedelta(hours=-8))),
        beds_available=rng.choice([None, rng.randint(0, 3)]),
        waitlist=rng.choice([None, rng.randint(0, 2)]),
    )


def _status(rng: random.Random) -> Status | None:
    """None, or one of the statuses that keep a provider from the results."""
    if rng.random() < 0.5:
        return None
    return Status(
        state=rng.choice(["active", "closed", "do-not-refer"]),
        until=rng.choice([None, dt.date(2026, 12, 12)]),
        reason=rng.choice([None, "renovation"]),
    )


def _provider(rng: random.Random, i: int, spread: int) -> Provider:
    """Provider number ``i``; its point within ``spread`` steps of 0.005° of a town."""
    town = rng.choice([*TOWNS, None])
    lat = lon = None
    if town is not None:
        # Points on a 0.005° grid: halves that rounding must treat alike both ways.
        lat = town[0] + rng.randint(-spread, spread) * 0.005
        lon = town[1] + rng.randint(-spread, spread) * 0.005
    words = rng.choices(WORDS, k=rng.randint(1, 3))
    return Provider(
        id=f"p{i}",
        name=" ".join(words).title() + rng.choice(["", " Center", " Ñu"]),
        services=_some(rng, SERVICES, 3, least=1),
        areas=_some(rng, AREAS, 2),
        source=Source("x.yaml", i + 2, 5),
        description=rng.choice(
            [None, "a safe house", "harbor of hope", "sexual assault exams", "hopeful visas"]
        ),
        eligibility=_eligibility(rng),
        languages=_some(rng, LANGUAGES, 3),
        hours=rng.choice(HOURS),  # type: ignore[arg-type]
        timezone=rng.choice(ZONES),
        lat=lat,
        lon=lon,
        confidential=rng.random() < 0.5,
        service_area=_service_area(rng),
        placed=rng.choice([None, ("city", "Fresno, CA, US")]),
        availability=_availability(rng),
        status=_status(rng),
    )


def providers(count: int, spread: int = 200) -> st.SearchStrategy[tuple[Provider, ...]]:
    """``count`` providers, each within ``spread`` steps of 0.005° of a town.

    Made from one drawn seed rather than field by field: with shrinking off, hypothesis
    would only pick among the same choices, and its draws for some forty fields of up
    to 120 providers outweighed the searches compared. A failing directory is printed
    whole.
    """
    return st.integers(0, 2**64 - 1).map(lambda seed: _directory(seed, count, spread))


def _directory(seed: int, count: int, spread: int) -> tuple[Provider, ...]:
    rng = random.Random(seed)  # one for the directory: each provider drawn after the last
    return tuple(_provider(rng, i, spread) for i in range(count))


directories = st.integers(0, 40).flatmap(providers)

queries = st.builds(
    Query,
    services=st.lists(st.sampled_from(SERVICES), max_size=3, unique=True),
    areas=st.lists(st.sampled_from(AREAS), max_size=1),
    negated=st.lists(st.sampled_from([f"service:{s}" for s in SERVICES]), max_size=1),
    age=st.one_of(st.none(), st.integers(5, 70)),
    populations=st.lists(st.sampled_from(["minors", "women", "families", "lgbtq"]), max_size=1),
    gender=st.one_of(st.none(), st.sampled_from(["female", "male"])),
    trafficking=st.lists(st.sampled_from(["labor", "sex"]), max_size=1),
    languages=st.lists(st.sampled_from(["es", "hmn", "zh"]), max_size=1),
    terms=st.lists(st.sampled_from([*WORDS, "safe house", "nope", "'"]), max_size=2, unique=True),
    household=st.lists(st.integers(0, 17), max_size=2),
    children_genders=st.dictionaries(st.integers(0, 17), st.sampled_from(["male", "female"])),
    text=st.sampled_from([None, "a single mom", "her mom", "needs a rape kit"]),
    # the words that named a need rank within it (rules.said_words), in some form
    evidence=st.dictionaries(
        st.sampled_from([f"service:{s}" for s in SERVICES]),
        st.sampled_from(["harbor", "hopeful", "T visa", "safe shelter", "rape kit"]),
        max_size=2,
    ),
)
origins = st.one_of(
    st.none(),
    st.builds(
        Origin,
        label=st.just("here"),
        lat=st.sampled_from([t[0] for t in TOWNS]),
        lon=st.sampled_from([t[1] for t in TOWNS]),
        country=st.sampled_from([None, "US"]),
        region=st.sampled_from([None, "US-CA", "US-TX"]),
        lives=st.sampled_from(LIVES),
    ),
)


# Many providers close to the towns (within about 11 km, or 1.5): a search around a place
# finds its nearest matches in a small circle (search.sqlite._nearest_first).
dense = st.tuples(st.integers(30, 120), st.sampled_from([2, 20])).flatmap(lambda n: providers(*n))
# What ranks by words, then distance: words and a place, nothing else.
worded = st.builds(
    Query,
    terms=st.lists(st.sampled_from([*WORDS, "safe house", "nope", "'"]), max_size=2, unique=True),
)
placed = st.builds(
    Origin,
    label=st.just("here"),
    lat=st.sampled_from([t[0] for t in TOWNS]),
    lon=st.sampled_from([t[1] for t in TOWNS]),
    country=st.sampled_from([None, "US"]),
    region=st.sampled_from([None, "US-CA", "US-TX"]),
)


def index_of(found: tuple[Provider, ...]) -> store.Index:
    """The index of these providers, as one file of a directory would be filed."""
    db = database.connect(memory=True)
    real = Path("/nonexistent/x.yaml")
    file_id, entry = filing.store(db, real, "x.yaml", None, list(found), [])
    return store.Index(db, [database.StoredFile(file_id, Path("x.yaml"), "x.yaml", real)], [entry])


def seen(result: SearchResult) -> tuple[object, ...]:
    return (
        [
            (r.provider.id, r.score, r.distance_km, r.reach, r.reasons, r.meets)
            for r in result.results
        ],
        result.notes,
        result.relaxed,
        result.radius_km,
        result.looked_km,
        [(p.id, why) for p, why in result.left_out],
        result.left_out_count,
    )


@settings(
    max_examples=1500 if LONG else 12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a directory takes long
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    directories,
    queries,
    origins,
    st.sampled_from([1.0, 10.0, 50.0]),
    st.integers(1, 12),
    st.booleans(),
    st.booleans(),
    st.sets(st.integers(0, 40), max_size=3),
    st.sets(st.integers(0, 40), max_size=3),
)
def test_sqlite_answers_what_the_list_search_answers(
    found: tuple[Provider, ...],
    q: Query,
    origin: Origin | None,
    radius: float,
    limit: int,
    open_now: bool,
    stated_only: bool,
    left: set[int],
    hidden: set[int],
) -> None:
    """Also with some providers left out (a repeated id) and some served as
    confidential (at a confidential provider's place), as a directory serves them."""
    how = {
        "origin": origin, "radius_km": radius, "limit": limit, "open_now": open_now,
        "now": NOW, "tax": TAX, "stated_only": stated_only,
    }  # fmt: skip
    serving = _serving(found, left, hidden)
    listed = search(_served(found, serving), q, **how)  # type: ignore[arg-type]
    indexed = index_of(found)
    asked = search_index(indexed, q, near=None, serving=serving, **how)  # type: ignore[arg-type]
    assert seen(asked) == seen(listed)
    if origin is not None:  # around the place, as find asks: the same candidates both ways
        near = Near(origin.lat, origin.lon, radius, origin.region, origin.country)
        terms = q.terms if words_filter(q, origin) else []  # as answer asks: words only rank
        around = _served(indexed.candidates(q.services, q.areas, terms, near), serving)
        listed = search(around, q, **how)  # type: ignore[arg-type]
        asked = search_index(indexed, q, near=near, serving=serving, **how)  # type: ignore[arg-type]
        assert seen(asked) == seen(listed)


def _serving(found: Sequence[Provider], left: set[int], hidden: set[int]) -> Serving:
    """How a directory serves ``found``: the providers numbered ``left`` left out (a
    repeated id), those numbered ``hidden`` served as confidential."""
    at = {i: (p.source.path, p.source.line) for i, p in enumerate(found)}
    return Serving(
        frozenset(at[i] for i in left if i in at),
        frozenset(at[i] for i in hidden - left if i in at),
        served_as_confidential,
    )


def _served(providers: Iterable[Provider], serving: Serving) -> list[Provider]:
    """``providers`` as ``serving`` serves them, for the search of a list."""
    return [
        served_as_confidential(p) if (p.source.path, p.source.line) in serving.hidden else p
        for p in providers
        if (p.source.path, p.source.line) not in serving.left
    ]


@settings(
    max_examples=1500 if LONG else 40,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    dense,
    worded,
    placed,
    st.sampled_from([1.0, 3.0, 10.0, 50.0]),
    st.integers(1, 12),
    st.sets(st.integers(0, 120), max_size=4),
    st.sets(st.integers(0, 120), max_size=6),
)
def test_words_near_a_place_answer_what_the_list_search_answers(
    found: tuple[Provider, ...],
    q: Query,
    origin: Origin,
    radius: float,
    limit: int,
    left: set[int],
    hidden: set[int],
) -> None:
    """Words and a place only, where SQLite ranks the matches some word hits and
    reads the nearest of the others from a small circle, never weighing every
    provider around the place: the same answer as the search of the list, of
    every provider and of the candidates around the place."""
    how = {
        "origin": origin, "radius_km": radius, "limit": limit, "open_now": False,
        "now": NOW, "tax": TAX, "stated_only": False,
    }  # fmt: skip
    serving = _serving(found, left, hidden)
    served = _served(found, serving)
    indexed = index_of(found)
    near = Near(origin.lat, origin.lon, radius, origin.region, origin.country)
    asked = search_index(indexed, q, near=near, serving=serving, **how)  # type: ignore[arg-type]
    listed = search(served, q, **how)  # type: ignore[arg-type]
    if listed.looked_km == radius:  # not widened: every result is a candidate
        # (not the notes: a word only providers far away hold is "not understood"
        # by a search of the candidates, as it always was)
        assert seen(asked)[:1] + seen(asked)[2:] == seen(listed)[:1] + seen(listed)[2:]
    around = indexed.candidates(near=near)
    keep = {(p.source.path, p.source.line) for p in around}
    listed = search([p for p in served if (p.source.path, p.source.line) in keep], q, **how)  # type: ignore[arg-type]
    assert seen(asked) == seen(listed)


def test_words_near_a_place_read_the_nearest_from_a_small_circle() -> None:
    """Around a town dense with providers, words and a place are answered without
    weighing every candidate (the path the test above compares is taken)."""
    fresno = TOWNS[0]
    found = tuple(
        Provider(
            id=f"p{i}",
            name="Hope House" if i % 7 == 0 else "Valley Center",
            services=("counseling",),
            areas=(),
            source=Source("x.yaml", i + 2, 5),
            lat=fresno[0] + (i % 10) * 0.001,
            lon=fresno[1] + (i // 10) * 0.001,
        )
        for i in range(100)
    )
    origin = Origin("here", fresno[0], fresno[1], "US", "US-CA")
    near = Near(origin.lat, origin.lon, 10.0, origin.region, origin.country)
    indexed = index_of(found)
    how = {"origin": origin, "radius_km": 10.0, "limit": 20, "now": NOW, "tax": TAX}
    q = Query(terms=["hope"])
    asked = search_index(indexed, q, near=near, open_now=False, stated_only=False, **how)  # type: ignore[arg-type]
    listed = search(found, q, open_now=False, stated_only=False, **how)  # type: ignore[arg-type]
    assert seen(asked) == seen(listed)
    assert {r.provider.id for r in asked.results[:15]} == {f"p{i}" for i in range(0, 100, 7)}
    sqls: list[str] = []
    indexed._db.set_trace_callback(sqls.append)  # noqa: SLF001 - what SQLite was asked
    search_index(indexed, q, near=near, open_now=False, stated_only=False, **how)  # type: ignore[arg-type]
    copies = [sql for sql in sqls if "CREATE TEMP TABLE scratch AS SELECT p.rowid" in sql]
    assert sqls and not copies  # the candidates are never copied (search_index's other way)


def _north_of_fresno(i: int, metres: float, service: str, description: str = "") -> Provider:
    """Provider ``i``, offering ``service``, ``metres`` north of Fresno's centre."""
    return Provider(
        id=f"p{i}",
        name=f"Provider {i}",
        services=(service,),
        areas=(),
        source=Source("x.yaml", i + 2, 5),
        description=description or None,
        lat=TOWNS[0][0] + metres / 111_195,
        lon=TOWNS[0][1],
    )


def test_a_provider_served_as_confidential_is_ranked_by_its_rounded_distance() -> None:
    """A public provider served as confidential (at a confidential one's place) is
    measured as a confidential one, in whole km from its rounded point: 400 m away
    it ranks as 1 km, after a public provider 600 m away, in SQLite as in the list."""
    fresno = TOWNS[0]
    found = tuple(_north_of_fresno(i, m, "temporary-shelter") for i, m in enumerate((400, 600)))
    serving = Serving(frozenset(), frozenset({("x.yaml", 2)}), served_as_confidential)
    q = Query(services=["temporary-shelter"])
    origin = Origin("here", fresno[0], fresno[1], "US", "US-CA")
    how = {"origin": origin, "radius_km": 10.0, "limit": 5, "now": NOW, "tax": TAX}
    near = Near(origin.lat, origin.lon, 10.0, origin.region, origin.country)
    asked = search_index(
        index_of(found), q, near=near, open_now=False, stated_only=False, serving=serving, **how
    )  # type: ignore[arg-type]
    listed = search([served_as_confidential(found[0]), found[1]], q, **how)  # type: ignore[arg-type]
    assert [(r.provider.id, r.distance_km) for r in asked.results] == [("p1", 0.6), ("p0", 1.0)]
    assert seen(asked) == seen(listed)


def test_a_later_search_decodes_only_the_providers_it_shows_of_those_served_as_confidential(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the providers served as confidential are searched from (their rounded
    points) is worked out once and kept in the index: a later search decodes only
    the one provider it shows, and answers as the first did."""
    fresno = TOWNS[0]
    found = tuple(_north_of_fresno(i, 300 + 100 * i, "temporary-shelter") for i in range(6))
    hidden = frozenset(("x.yaml", i + 2) for i in range(1, 5))
    serving = Serving(frozenset({("x.yaml", 7)}), hidden, served_as_confidential)
    origin = Origin("here", fresno[0], fresno[1], "US", "US-CA")
    near = Near(origin.lat, origin.lon, 10.0, origin.region, origin.country)
    how = {"origin": origin, "radius_km": 10.0, "limit": 1, "now": NOW, "tax": TAX}
    indexed = index_of(found)

    def ask() -> SearchResult:
        return search_index(
            indexed, Query(services=["temporary-shelter"]), near=near, open_now=False,
            stated_only=False, serving=serving, **how,  # type: ignore[arg-type]
        )  # fmt: skip

    first = ask()
    asked: list[int] = []
    with_rowids = indexed.with_rowids

    def counted(rowids: Sequence[int]) -> list[Provider] | None:
        asked.extend(rowids)
        return with_rowids(rowids)

    monkeypatch.setattr(indexed, "with_rowids", counted)
    again = ask()
    assert seen(again) == seen(first)
    assert [r.provider.id for r in again.results] == ["p0"]
    assert len(asked) == 1


def test_the_words_that_named_a_need_rank_alike_in_sqlite_and_the_list() -> None:
    """ "rape kit" is medical care: of three clinics, the one whose text holds what
    providers write for it ("sexual assault") or the caller's word ("rape") ranks
    before a nearer general one, with the same score and reasons both ways."""
    fresno = TOWNS[0]
    found = (
        _north_of_fresno(0, 100, "medical", "Check-ups and vaccinations"),
        _north_of_fresno(1, 900, "medical", "Sexual assault exams"),
        _north_of_fresno(2, 500, "medical", "After a rape, day or night"),
    )
    q = parse("needs a rape kit", TAX)
    origin = Origin("here", fresno[0], fresno[1], "US", "US-CA")
    how = {"origin": origin, "radius_km": 10.0, "limit": 5, "now": NOW, "tax": TAX}
    near = Near(origin.lat, origin.lon, 10.0, origin.region, origin.country)
    asked = search_index(index_of(found), q, near=near, open_now=False, stated_only=False, **how)  # type: ignore[arg-type]
    listed = search(found, q, **how)  # type: ignore[arg-type]
    assert [r.provider.id for r in asked.results] == ["p2", "p1", "p0"]
    assert seen(asked) == seen(listed)
