"""Query understanding: a corpus of questions as callers and volunteers say them."""

from __future__ import annotations

import pytest
from conftest import LONG_PROFILE
from hypothesis import given, settings
from hypothesis import strategies as st

from referral_cli.query.parser import parse
from referral_cli.query.record import Query, merge

# (question, expected fields of the parsed query)
CORPUS: list[tuple[str, dict[str, object]]] = [
    (
        "temporary shelter for minors near Fresno",
        {"services": ["temporary-shelter"], "populations": ["minors"], "place": "Fresno"},
    ),
    (
        "safe house for a 16 year old girl in Visalia",
        {
            "services": ["temporary-shelter"],
            "age": 16,
            "populations": ["girls"],
            "place": "Visalia",
        },
    ),
    (
        "emergency bed tonight near Bakersfield",
        {"services": ["temporary-shelter"], "place": "Bakersfield"},
    ),
    ("she needs a lawyer for a T-visa", {"services": ["legal-aid"], "place": None}),
    ("immigration attorney around Houston", {"services": ["legal-aid"], "place": "Houston"}),
    (
        "therapist who speaks Spanish near Fresno",
        {"services": ["counseling"], "languages": ["es"], "place": "Fresno"},
    ),
    (
        "counselor español Fresno County",
        {"services": ["counseling"], "languages": ["es"], "place": "Fresno County"},
    ),
    ("case manager in Tulare County", {"services": ["victim-advocacy"], "place": "Tulare County"}),
    ("GED classes near 93721", {"services": ["education"], "place": "93721"}),
    (
        "ESL for adults in Miami",
        {"services": ["education"], "populations": ["adults"], "place": "Miami"},
    ),
    ("dentist near El Paso", {"services": ["dental"], "place": "El Paso"}),
    (
        "doctor for a 15-year-old near Modesto",
        {"services": ["medical"], "age": 15, "place": "Modesto"},
    ),
    (
        "job training for men in Houston",
        {"services": ["vocational-training"], "populations": ["men"], "place": "Houston"},
    ),
    (
        "labor trafficking lawyer near Immokalee",
        {"services": ["legal-aid"], "trafficking": ["labor"], "place": "Immokalee"},
    ),
    (
        "sex trafficking safe house for women near Orlando",
        {
            "services": ["temporary-shelter"],
            "trafficking": ["sex"],
            "populations": ["women"],
            "place": "Orlando",
        },
    ),
    ("hotline in Punjabi", {"services": ["hotline"], "languages": ["pa"]}),
    (
        "Vietnamese speaking counselor near San Jose",
        {"services": ["counseling"], "languages": ["vi"], "place": "San Jose"},
    ),
    (
        "shelter for LGBTQ youth near Los Angeles",
        {
            "services": ["temporary-shelter"],
            "populations": ["lgbtq", "youth"],
            "place": "Los Angeles",
        },
    ),
    (
        "transitional housing for girls near Sacramento",
        {"services": ["long-term-housing"], "populations": ["girls"], "place": "Sacramento"},
    ),
    (
        "somewhere to sleep for a boy near Merced",
        {"services": ["temporary-shelter"], "populations": ["boys"], "place": "Merced"},
    ),
    ("bus ticket to get home", {"services": ["relocation"]}),
    ("daycare while she works near Fresno", {"services": ["childcare"], "place": "Fresno"}),
    ("mentor for survivors near Tampa", {"services": ["mentoring"], "place": "Tampa"}),
    ("food bank near 33101", {"services": ["vulnerability-support"], "place": "33101"}),
    (
        "police task force Fresno county",
        {"services": ["law-enforcement"], "place": "Fresno county"},
    ),
    ("shelter near 36.74,-119.79", {"services": ["temporary-shelter"], "place": "36.74,-119.79"}),
    (
        "shelter at 36°44'N 119°47'W",
        {"services": ["temporary-shelter"], "place": "36°44'N 119°47'W"},
    ),
    ("restoration services in Tulare County", {"areas": ["restoration"], "place": "Tulare County"}),
    ("prevention programs near Fresno", {"areas": ["prevention"], "place": "Fresno"}),
    ("age 17 shelter Tijuana", {"services": ["temporary-shelter"], "age": 17}),
    (
        "a 12 yo kid needs a safe place to stay near Visalia",
        {
            "services": ["temporary-shelter"],
            "age": 12,
            "populations": ["minors"],
            "place": "Visalia",
        },
    ),
    (
        "legal help for immigrants near McAllen",
        {"services": ["legal-aid"], "populations": ["foreign-nationals"], "place": "McAllen"},
    ),
    ("trauma therapy for teens", {"services": ["counseling"], "populations": ["teens"]}),
    # typos, as typed on a live call
    (
        "temporery sheltr for minors near Fresno",
        {"services": ["temporary-shelter"], "populations": ["minors"], "place": "Fresno"},
    ),
    ("lawer for t visa near Fresno", {"services": ["legal-aid"], "place": "Fresno"}),
    (
        "counseling in spanich near Visalia",
        {"services": ["counseling"], "languages": ["es"], "place": "Visalia"},
    ),
    ("therapsit near Fresno", {"services": ["counseling"], "place": "Fresno"}),
    (
        "shelter for minros near Fresno",
        {"services": ["temporary-shelter"], "populations": ["minors"]},
    ),
    ("job trainning near Houston", {"services": ["vocational-training"], "place": "Houston"}),
    ("dentsit near Bakersfield", {"services": ["dental"], "place": "Bakersfield"}),
    (
        "SAFE HOUSE FOR GIRLS NEAR FRESNO",
        {"services": ["temporary-shelter"], "populations": ["girls"], "place": "FRESNO"},
    ),
    ("shelter in Spanish", {"services": ["temporary-shelter"], "languages": ["es"], "place": None}),
]


@pytest.mark.parametrize(("question", "expected"), CORPUS, ids=[q for q, _ in CORPUS])
def test_corpus(question: str, expected: dict[str, object]) -> None:
    q = parse(question)
    got = q.as_dict()
    for key, value in expected.items():
        if isinstance(value, list):
            assert sorted(got[key]) == sorted(value), (key, got)  # type: ignore[arg-type]
        else:
            assert got[key] == value, (key, got)


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 40
    assert (
        sum(
            1
            for q, _ in CORPUS
            if any(
                w in q
                for w in (
                    "temporery",
                    "lawer",
                    "spanich",
                    "therapsit",
                    "minros",
                    "trainning",
                    "dentsit",
                )
            )
        )
        >= 5
    )


def test_typos_are_reported() -> None:
    q = parse("temporery sheltr near Fresno")
    assert q.corrections and "read as" in q.corrections[0]


def test_unknown_words_become_terms() -> None:
    q = parse("shelter zorblax near Fresno")
    assert q.terms == ["zorblax"]


def test_merge_adds_flags_to_text() -> None:
    flags = Query(services=["counseling"], languages=["es"], age=14)
    q = merge(parse("shelter near Fresno"), flags)
    assert q.services == ["temporary-shelter", "counseling"]
    assert q.languages == ["es"] and q.age == 14 and q.place == "Fresno"


@settings(max_examples=300 if LONG_PROFILE else 100, deadline=None)
@given(st.text(max_size=200))
def test_parse_never_raises(text: str) -> None:
    q = parse(text)
    assert isinstance(q, Query)
    assert all(isinstance(t, str) and t for t in q.terms)


WORDS = st.sampled_from(
    [
        "shelter",
        "lawyer",
        "minors",
        "girls",
        "spanish",
        "counseling",
        "for",
        "a",
        "the",
        "near",
        "in",
    ]
)


@settings(max_examples=200 if LONG_PROFILE else 60, deadline=None)
@given(
    st.lists(WORDS, max_size=8), st.sampled_from(["Fresno", "Visalia", "93721", "Tulare County"])
)
def test_place_at_the_end_is_always_found(words: list[str], place: str) -> None:
    text = " ".join([w for w in words if w not in ("near", "in")] + ["near", place])
    assert parse(text).place == place


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 99))
def test_ages_in_every_form(age: int) -> None:
    for form in (f"{age} year old", f"{age}-year-old", f"age {age}", f"aged {age}", f"{age} yo"):
        assert parse(f"shelter for a {form} near Fresno").age == age, form
