"""The parser against a corpus of phrasings as volunteers and callers type them
(tests/corpus/phrasings.yaml): typos, fragments, comma lists, pronouns, Spanish."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import LONG_PROFILE, yaml_of
from hypothesis import given, settings
from hypothesis import strategies as st

from referral_cli.query.parser import parse
from referral_cli.taxonomy import load as load_taxonomy

CORPUS_DIR = Path(__file__).parents[1] / "corpus"
PHRASINGS: list[dict[str, Any]] = yaml_of((CORPUS_DIR / "phrasings.yaml").read_text("utf-8"))[
    "phrasings"
]
SAMPLE_COUNTRIES = ("US", "MX")  # the shipped sample's countries, most providers first
ALWAYS_CHECKED = {"age": None, "gender": None}  # a count must never become an age


@pytest.mark.parametrize("case", PHRASINGS, ids=[c["text"] for c in PHRASINGS])
def test_phrasing(case: dict[str, Any]) -> None:
    q = parse(case["text"], prefer_countries=SAMPLE_COUNTRIES)
    got = q.as_dict()
    expected = {**ALWAYS_CHECKED, **{k: v for k, v in case.items() if k not in ("text", "notes")}}
    for key, value in expected.items():
        if isinstance(value, list):
            assert sorted(got[key]) == sorted(value), (key, got, q.notes)
        else:
            assert got[key] == value, (key, got, q.notes)
    for word in case.get("notes", []):
        assert any(word in note for note in q.notes), (word, q.notes)


def test_corpus_is_large_and_varied() -> None:
    texts = [c["text"] for c in PHRASINGS]
    assert len(set(texts)) == len(texts) >= 200
    spanish = [t for t in texts if any(w in t.split() for w in ("de", "para", "en", "con"))]
    pronouns = [t for t in texts if any(w in t.lower().split() for w in ("she", "he", "her"))]
    commas = [t for t in texts if t.count(",") >= 2]
    assert len(spanish) >= 20 and len(pronouns) >= 20 and len(commas) >= 15


FORMS = [
    "she is {a}", "she's {a}", "he's {a}", "girl {a}", "boy, {a}", "age: {a}", "aged {a}",
    "{a} y/o", "{a} y.o.", "{a}yo", "{a} yo", "{a}yrs old", "{a}-year-old", "{a} años",
    "de {a} años", "tiene {a} años", "female, {a},", "a girl of {a}",
]  # fmt: skip


@settings(max_examples=150 if LONG_PROFILE else 40, deadline=None)
@given(st.integers(1, 99), st.sampled_from(FORMS), st.sampled_from(["shelter", "lawyer"]))
def test_every_form_of_an_age_is_read(age: int, form: str, need: str) -> None:
    text = f"{need} for {form.format(a=age)} near Fresno"
    q = parse(text, prefer_countries=SAMPLE_COUNTRIES)
    assert q.age == age, (text, q.notes)
    assert q.place == "Fresno", text


COUNTED = ["kids", "children", "people", "adults", "victims", "girls", "boys", "personas"]


@settings(max_examples=100 if LONG_PROFILE else 30, deadline=None)
@given(st.integers(2, 12), st.sampled_from(COUNTED), st.sampled_from(["", "a woman with "]))
def test_a_count_is_never_an_age(n: int, noun: str, who: str) -> None:
    text = f"{who}{n} {noun} need shelter near Visalia"
    q = parse(text, prefer_countries=SAMPLE_COUNTRIES)
    assert q.age is None, (text, q.notes)
    assert not any(f"'{n}'" in note for note in q.notes), (text, q.notes)


NEEDS = ["shelter", "a lawyer", "counseling", "food"]


@settings(max_examples=150 if LONG_PROFILE else 40, deadline=None)
@given(
    st.integers(1, 99),
    st.sampled_from(["f", "F", "m", "M"]),
    st.sampled_from(["", " ", ", "]),
    st.booleans(),
    st.integers(0, 2),
)
def test_an_age_with_a_sex_letter_gives_both_anywhere(
    age: int, letter: str, sep: str, letter_first: bool, position: int
) -> None:
    # a letter first needs a space or a comma: "F1" and "M-1" are visas
    said = f"{letter}{sep or ' '}{age}" if letter_first else f"{age}{sep}{letter}"
    pieces = ["Fresno", "needs a bed"]
    pieces.insert(position, said)
    text = ", ".join(pieces)
    q = parse(text, prefer_countries=SAMPLE_COUNTRIES)
    assert q.age == age, (text, q.notes)
    assert q.gender == ("female" if letter.lower() == "f" else "male"), (text, q.notes)
    assert q.services == ["temporary-shelter"], text


CORRECTIONS = [
    "{p} says {p}'s {a} but {p}'s really {b}",
    "{p} told us {p} is {a}, actually {p} is {b}",
    "{p} is {a}, no, {p} is {b}",
    "{p}'s {a}, in fact {p}'s {b}",
    "dice que tiene {a} pero tiene {b}",
    "dice que tiene {a}, en realidad tiene {b}",
]


@settings(max_examples=150 if LONG_PROFILE else 40, deadline=None)
@given(
    st.integers(1, 99),
    st.integers(1, 99),
    st.sampled_from(CORRECTIONS),
    st.sampled_from(["she", "he"]),
    st.sampled_from(NEEDS),
)
def test_a_correction_always_wins(a: int, b: int, form: str, p: str, need: str) -> None:
    text = f"{form.format(p=p, a=a, b=b)}, needs {need}"
    q = parse(text, prefer_countries=SAMPLE_COUNTRIES)
    assert q.age == b, (text, q.notes)
    assert not any(u.startswith("age") for u in q.unsure), (text, q.unsure)


@settings(max_examples=100 if LONG_PROFILE else 30, deadline=None)
@given(
    st.integers(1, 99),
    st.integers(1, 99),
    st.sampled_from(["{p}'s {a}, {p}'s {b}", "{p} is {a} and {p} is {b}", "tiene {a}, tiene {b}"]),
    st.sampled_from(["she", "he"]),
)
def test_two_ages_of_the_person_without_a_correction_bind_neither(
    a: int, b: int, form: str, p: str
) -> None:
    text = f"{form.format(p=p, a=a, b=b)}, needs shelter"
    q = parse(text, prefer_countries=SAMPLE_COUNTRIES)
    if a == b:
        assert q.age == a, (text, q.notes)
    else:
        assert q.age is None, (text, q.notes)
        assert {f"age:{a}", f"age:{b}"} <= set(q.unsure), (text, q.unsure)
        assert any("age not set" in n for n in q.notes), q.notes


EVENTS = sorted(load_taxonomy().people["age_events"])


@settings(max_examples=100 if LONG_PROFILE else 30, deadline=None)
@given(
    st.integers(1, 99),
    st.integers(1, 99),
    st.sampled_from(EVENTS),
    st.sampled_from(["she", "he"]),
    st.booleans(),
)
def test_an_age_at_an_event_gives_way_to_the_age_now(
    then: int, now: int, event: str, p: str, then_first: bool
) -> None:
    said = [f"{event} at {then}", f"{p}'s {now}"]
    text = ", ".join([*(said if then_first else said[::-1]), "needs shelter"])
    q = parse(text, prefer_countries=SAMPLE_COUNTRIES)
    assert q.age == now, (text, q.notes)
    assert parse(f"{event} at {then}, needs shelter").age == then
