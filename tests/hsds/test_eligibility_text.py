"""referral_cli.hsds.eligibility_text: who a service is for, from its own words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from referral_cli.hsds.eligibility_text import Reading, combine, read_terms, read_text
from referral_cli.taxonomy import load

TAX = load()


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("Age 55 or over", (55, None)),
        ("ages 12-17", (12, 17)),
        ("Youth aged 12 to 17 years", (12, 17)),
        ("under 18", (None, 17)),
        ("18 and older", (18, None)),
        ("eighteen and older", (18, None)),
        ("children 5 years and under", (None, 5)),
        ("youth", (None, 24)),
        ("Seniors", (55, None)),
        ("Age 55 or over for most programs, age 60 or over for lunch program", (55, None)),
        ("All girls, 5-17 years old. Adult members over 18 years old.", (5, None)),
        ("Children 6 months to 5 years", (None, 5)),
        ("must be 21 or older", (21, None)),
        ("Youth under 21", (None, 20)),
        ("from birth through 18 years old", (None, 18)),
    ],
)
def test_ages(text: str, ages: tuple[int | None, int | None]) -> None:
    found = read_text(text, TAX)
    if found.ages is None:
        found = read_terms([text], TAX)
    assert found.ages == ages
    assert not found.unread


@pytest.mark.parametrize(
    "text",
    [
        "None",
        "Low-income families with children",
        "Resident of California",
        "below 32 degrees Fahrenheit",
        "72 hours drug-free",
        "Income below 200% of the poverty level",
        "Serving the community for over 30 years",
        "Stay up to 90 days",
        "100+ beds for homeless people",
        "Clients must be 6 months sober",
        "under $500 in savings",
    ],
)
def test_numbers_that_are_not_ages(text: str) -> None:
    assert read_text(text, TAX, prose=True).ages is None


@pytest.mark.parametrize(
    ("text", "genders", "ages"),
    [
        ("Men ages 18 and over", ("male",), (18, None)),
        ("Youth must be male and be between 17 and 21", ("male",), (17, 21)),
        ("Women ages 18-64", ("female",), (18, 64)),
        ("Single men, single women and families", (), None),
        ("Boys & Girls club for kids 6-18", (), (6, 18)),
        ("Victims must not have contributed to his or her own injuries", None, None),
        ("Services for male abusers are elsewhere", None, None),
        ("Pregnant women", ("female",), None),
    ],
)
def test_gender_is_read_with_the_age(
    text: str, genders: tuple[str, ...] | None, ages: tuple[int | None, int | None] | None
) -> None:
    found = read_text(text, TAX)
    assert (found.genders, found.ages) == (genders, ages)


def test_families_and_dependents() -> None:
    assert read_text("Women and their children", TAX).families is True
    assert read_text("Women and their children", TAX).genders == ("female",)
    assert read_text("No dependents. Single adults 18+", TAX).families is False
    assert read_text("Families with children", TAX).families is True


def test_trafficking_type() -> None:
    text = "Adult females (18 years old +) who are victims of commercial sexual exploitation"
    found = read_text(text, TAX)
    assert (found.trafficking, found.genders, found.ages) == (("sex",), ("female",), (18, None))
    assert read_text("sex trafficking and labor trafficking", TAX).trafficking == ()


def test_a_limit_not_understood_is_unread() -> None:
    assert read_text("applicants 62 years of age", TAX).unread == ["ages"]
    assert read_text("Gender-specific programme", TAX).unread == ["genders"]
    assert read_text("An age requirement applies", TAX).unread == ["ages"]


def test_terms() -> None:
    # a service's target populations: genders and families only
    found = read_terms(["Women", "Families With Children"], TAX, ages=False)
    assert (found.ages, found.genders, found.families) == (None, ("female",), True)
    assert read_terms(["Women", "Men"], TAX, ages=False).genders == ()
    assert read_terms(["Food Pantries"], TAX) == Reading()
    # eligibility terms: each a whole group served, widening each other
    assert (read_terms(["Teens"], TAX).ages, read_terms(["Teens"], TAX).genders) == ((13, 19), ())
    girls = read_terms(["Women/Girls"], TAX)
    assert (girls.ages, girls.genders) == (None, ("female",))
    assert read_terms(["Teens", "Women/Girls"], TAX).genders == ()


def test_combine_is_or() -> None:
    both = combine([Reading(ages=(18, None)), Reading(ages=(12, 17), unread=["genders"])])
    assert both.ages == (12, None)
    assert both.unread == ["genders"]


@given(st.text(max_size=200))
def test_any_text_reads_to_a_sane_reading(text: str) -> None:
    found = read_text(text, TAX, prose=True)
    if found.ages is not None:
        lo, hi = found.ages
        assert lo is None or 0 < lo <= 120
        assert hi is None or 0 <= hi <= 120
        assert lo is None or hi is None or lo <= hi
    assert found.genders is None or set(found.genders) <= {"female", "male"}
