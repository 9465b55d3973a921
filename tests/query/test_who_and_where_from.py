"""Where a person is from is no language asked, a court that ordered something is no
need, and a family said with its children is a household. Written after the tune
half of the second blind round (tests/corpus/blind/callers2.yaml), with phrasings
of their own, read through `referral find`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import invoke
from typer.testing import CliRunner

# Every test reads the default directory, unchanged: one index for the module.
pytestmark = pytest.mark.usefixtures("shared_index")


def query(runner: CliRunner, text: str) -> dict[str, Any]:
    """What `referral find TEXT` (the sample directory) read."""
    result = invoke(runner, "find", text, "--format", "json")
    assert result.exit_code == 0, result.output
    read: dict[str, Any] = json.loads(result.stdout)["query"]
    return read


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Haitian woman needs a lawyer, Fresno", "haitian"),
        ("Filipino caregiver, her employer took her passport, Fresno", "filipino"),
        ("a Punjabi man needs shelter in Fresno", "punjabi"),
        ("Korean family needs counseling near Fresno", "korean"),
    ],
)
def test_a_nationality_before_the_person_is_where_they_are_from(
    runner: CliRunner, text: str, term: str
) -> None:
    """Not a language filter (it would leave out every provider not speaking it):
    a word that ranks, and a note saying how to ask for the language."""
    read = query(runner, text)
    assert read["languages"] == []
    assert term in read["terms"]


@pytest.mark.parametrize(
    "text",
    [
        "Fresno, Somali family arrived as refugees 6 months ago, needs help with benefits",
        "Somali family arrived as refugees 6 months ago, needs help with benefits, Fresno",
    ],
)
def test_where_the_person_is_from_is_not_the_place_said_first(runner: CliRunner, text: str) -> None:
    """A metamorphic pair: the town said first or last is the place, never the
    region the nationality names (Somali, Ethiopia)."""
    assert query(runner, text)["place"] == "Fresno"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("speaks Punjabi, man needs shelter in Fresno", "pa"),
        ("Korean-speaking woman needs shelter, Fresno", "ko"),
        ("Korean woman, no English, needs shelter, Fresno", "ko"),  # the words speak of it
        ("Somali teen wants ESL classes, Fresno", "so"),
        ("only Vietnamese, boy 14, shelter, Fresno", "vi"),  # a comma between: not "from"
    ],
)
def test_a_language_said_as_one_is_asked(runner: CliRunner, text: str, language: str) -> None:
    assert query(runner, text)["languages"] == [language]


@pytest.mark.parametrize(
    "text",
    [
        "court ordered john class in Fresno",
        "court-ordered john class in Fresno",
        "court mandated john class in Fresno",
    ],
)
def test_who_ordered_is_no_need(runner: CliRunner, text: str) -> None:
    assert query(runner, text)["services"] == ["demand-reduction"]


def test_a_need_ordered_by_someone_is_still_a_need(runner: CliRunner) -> None:
    assert query(runner, "a lawyer ordered by the court, Fresno")["services"] == ["legal-aid"]


@pytest.mark.parametrize(
    "text",
    [
        "farmworker family, kids 5 and 9, need a doctor, Fresno",
        "family with kids 5 and 9 needs a doctor in Fresno",
    ],
)
def test_a_family_said_with_its_children_is_a_household(runner: CliRunner, text: str) -> None:
    """The children's ages are theirs, never the person's."""
    read = query(runner, text)
    assert read["children_ages"] == [5, 9]
    assert read["age"] is None
    assert "families" in read["populations"]


@pytest.mark.parametrize(
    "text",
    [
        "abusive boyfriend, needs a place to stay, 30 F, Fresno",
        "fleeing an abusive boyfriend, woman 30, needs shelter in Fresno",
        "boyfriend is abusive, she needs shelter, 30, Fresno",
    ],
)
def test_a_word_for_someone_else_gives_way_to_the_persons_own(runner: CliRunner, text: str) -> None:
    """The boyfriend said first is someone else once a word of the person's own
    ("30 F", "woman", "she") says otherwise: her gender, no disagreement."""
    assert query(runner, text)["gender"] == "female"


def test_a_word_for_someone_else_said_alone_still_tells(runner: CliRunner) -> None:
    assert query(runner, "husband needs shelter, he is 40, Fresno")["gender"] == "male"


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("dad 35 with his 2 boys 10 and 13, needs a place to stay, Fresno", [10, 13]),
        ("mom 30 with her girls 3 and 5 needs shelter in Fresno", [3, 5]),
    ],
)
def test_boys_or_girls_of_the_parent_are_the_children(
    runner: CliRunner, text: str, ages: list[int]
) -> None:
    read = query(runner, text)
    assert read["children_ages"] == ages
    assert "families" in read["populations"]


def test_boys_or_girls_of_no_one_are_whom_the_provider_serves(runner: CliRunner) -> None:
    read = query(runner, "shelter for girls 15 in Fresno")
    assert read["age"] == 15
    assert read["children_ages"] == []
