"""Ages said without "years old" ("in her forties", "an 18-month-old"), and numbers
beside the person that are no age ("it's 20 degrees out"), through the parser."""

from __future__ import annotations

import pytest
from conftest import LONG_PROFILE
from hypothesis import given, settings
from hypothesis import strategies as st

from referral_cli.query.parser import parse
from referral_cli.taxonomy import load

TAX = load()


def _age(text: str) -> int | None:
    return parse(text, TAX, ("US", "MD")).age


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("a homeless woman in her forties needs somewhere warm", 40),
        ("man in his 30s needs a bed", 30),
        ("she's in her early twenties and needs shelter", 20),
        ("dental care for an 18-month-old", 1),
        ("a 6 month old baby and her mom need shelter", None),  # the baby's, beside a parent
    ],
)
def test_ages_said_otherwise(text: str, age: int | None) -> None:
    if age is None:
        assert _age(text) != 6
    else:
        assert _age(text) == age


@settings(max_examples=100 if LONG_PROFILE else 25, deadline=None)
@given(st.integers(min_value=1, max_value=99))
def test_the_weather_is_no_age(n: int) -> None:
    """A fact said another way: the temperature added never becomes the age."""
    for weather in (f"it's {n} degrees out", f"it is {n}°", f"hace {n} grados"):
        assert _age(f"{weather} and a woman, 35, needs shelter") == 35
        assert _age(f"{weather}, a homeless man needs a bed") is None


@pytest.mark.parametrize(
    ("text", "service", "trafficking"),
    [
        ("rape kit for a 17 year old, it happened last night", "medical", None),
        ("tattoo removal for a survivor whose trafficker branded her", "medical", None),
        ("she needs her prostitution charges cleared", "legal-aid", "sex"),
        ("the caller is suicidal and it's 3am", "hotline", None),
        ("counseling for a 15 year old who was sexually exploited", "counseling", "sex"),
    ],
)
def test_needs_said_in_a_callers_words(text: str, service: str, trafficking: str | None) -> None:
    q = parse(text, TAX, ("US", "MD"))
    assert service in q.services
    assert "dental" not in q.services
    if trafficking:
        assert q.trafficking == [trafficking]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("woman in Fresno needs a bus ticket back to her family in Texas", "Fresno"),
        ("Columbus, woman needs safe transport to a shelter in Toledo", "Columbus"),
        ("needs a bus ticket home to her mom in Ohio", None),
        # a shelter asked for in a town: the town is the place
        ("she needs to go to a shelter in Fresno", "Fresno"),
    ],
)
def test_where_the_person_is_going_is_not_where_to_search(text: str, place: str | None) -> None:
    assert parse(text, TAX, ("US", "CA")).place == place


@given(st.sampled_from(["Texas", "Ohio", "Mexico", "Oregon"]))
def test_a_journey_added_keeps_the_place(destination: str) -> None:
    """A fact added: where she wants to go never moves where she is."""
    base = "woman, 30, in Fresno needs shelter"
    assert parse(base, TAX, ("US", "CA")).place == "Fresno"
    longer = f"{base} and a bus ticket home to her family in {destination}"
    assert parse(longer, TAX, ("US", "CA")).place == "Fresno"


@pytest.mark.parametrize(
    ("text", "denied", "wanted"),
    [
        ("she's scared to go to the police, needs a lawyer", "law-enforcement", "legal-aid"),
        ("tiene miedo de ir a la policía, necesita abogado", "law-enforcement", "legal-aid"),
        ("she won't go to a shelter, needs counseling", "temporary-shelter", "counseling"),
        ("he doesn't want to call the police, needs a bed", "law-enforcement", "temporary-shelter"),
    ],
)
def test_a_need_feared_or_refused_is_not_searched(text: str, denied: str, wanted: str) -> None:
    q = parse(text, TAX, ("US", "CA"))
    assert denied not in q.services
    assert wanted in q.services


@pytest.mark.parametrize(
    "text", ["she's scared, needs a shelter", "scared and needs a shelter tonight"]
)
def test_fear_said_alone_denies_no_need(text: str) -> None:
    assert "temporary-shelter" in parse(text, TAX, ("US", "CA")).services
