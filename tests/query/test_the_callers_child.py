"""A parent calling about their own child: "my daughter, she was exploited" is one
person, the daughter, whose age is hers; the pronoun after her is not a mother
with a child of 15 (which sent a 15-year-old to adults' counselling)."""

from __future__ import annotations

from pathlib import Path

import pytest

from referral_cli.query.parser import parse
from referral_cli.taxonomy import load
from tests.conftest import directory_yaml, found_ids, provider_yaml, write

TAX = load()


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        ("counseling for my 15 yo daughter, she was exploited online", "female"),
        ("counseling for my daughter (15), she was exploited online", "female"),
        ("therapy for my 15yo son, he was trafficked", "male"),
    ],
)
def test_a_pronoun_after_the_callers_child_is_the_child(text: str, gender: str) -> None:
    q = parse(text, TAX, ("US", "DC"))
    assert (q.age, q.gender, q.household) == (15, gender, [])
    # the same child said without the pronoun reads the same
    plain = parse(text.split(",")[0], TAX, ("US", "DC"))
    assert (plain.age, plain.gender) == (q.age, q.gender)


def test_a_mother_who_says_she_still_has_her_children() -> None:
    q = parse("woman with her kids 3 and 5, she needs a shelter", TAX, ("US", "CA"))
    assert q.household == [3, 5] and q.age is None


def test_the_callers_daughter_is_never_sent_to_adults_counselling(tmp_path: Path) -> None:
    adults = provider_yaml("adult-therapy", "Adult Therapy", "counseling").replace(
        "    last_verified:", "    eligibility: {ages: [18, null]}\n    last_verified:"
    )
    directory = write(
        tmp_path / "d.yaml",
        directory_yaml(adults, provider_yaml("teen-therapy", "Teen Therapy", "counseling")),
    )
    assert found_ids(directory, "counseling for my 15 yo daughter, she was exploited, Fresno") == [
        "teen-therapy"
    ]


@pytest.mark.parametrize(
    ("text", "gender", "household"),
    [
        # the children after "with her": her own, however far from "she"
        ("she needs a safe shelter tonight with her 3 kids, Glendale", "female", []),
        ("she needs a bed with her two kids 4 and 9 in Fresno", "female", [4, 9]),
        # the person a volunteer calls about, and her child
        ("caller and her 8 yr old daughter are sleeping in the car", "female", [8]),
        ("a trafficking survivor and her daughter (6) need a shelter", "female", [6]),
    ],
)
def test_a_parent_with_her_own_children_is_a_family(
    text: str, gender: str, household: list[int]
) -> None:
    """Never the child as the person (an 8-year-old sent to a youth shelter alone),
    and the parent's possessive says the parent's gender."""
    q = parse(text, TAX, ("US",))
    assert q.age is None and q.gender == gender and q.household == household
    assert "families" in q.populations


def test_a_parent_calling_about_her_child_is_still_the_caller() -> None:
    q = parse("mom calling about her son, 15, needs shelter", TAX, ("US",))
    assert (q.age, q.gender, q.household) == (15, "male", [])


@pytest.mark.parametrize(
    ("text", "genders"),
    [
        ("woman with 2 boys, 9 and 14, needs shelter", {9: "male", 14: "male"}),
        ("dad with 2 girls 3, 5 and 7", {3: "female", 5: "female", 7: "female"}),
        ("mom w/ her sons 9 and 14", {9: "male", 14: "male"}),
    ],
)
def test_each_age_of_a_list_after_the_childrens_word_is_theirs(
    text: str, genders: dict[int, str]
) -> None:
    """What a shelter's limit on the boys taken along is checked against."""
    assert parse(text, TAX, ("US",)).children_genders == genders


@pytest.mark.parametrize(
    "text",
    [
        "young mom, 17, with a baby needs shelter in Houston",
        # the same said last clause first, and with the baby hers
        "with a baby needs shelter in Houston, young mom, 17",
        "needs shelter with her baby, young mom, 17",
    ],
)
def test_a_young_mother_with_a_baby_is_read_the_same_in_any_order(text: str) -> None:
    """The age said after the parent's word is hers, never the baby's; the baby
    comes along, never the person."""
    q = parse(text, TAX, ("US",))
    assert (q.age, q.gender, q.household) == (17, "female", [])
    assert "families" in q.populations


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("caller in Fresno: 2 sisters, 14 and 16, both need shelter tonight", 14),
        ("two brothers, 12 and 14, need a safe place in Fresno", 12),
    ],
)
def test_how_many_people_is_no_age(text: str, age: int) -> None:
    """ "2 sisters": two of them, never a child of 2 sent to toddlers' services."""
    q = parse(text, TAX, ("US",))
    assert q.age == age
    assert not any("'2'" in n for n in q.notes)
