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
