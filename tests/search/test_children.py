"""``eligibility.children``: a parent with her children is never sent where children
are not taken, and a person said to be alone, or described as one person with no
children mentioned, never to a family-only shelter (search/rules.py ``children_said``,
``alone``); a son older than a shelter takes along never sent there with his mother
(``eligibility.boys_max_age``, ``girls_max_age``), through the real command and its
index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from referral_cli.cli import app
from tests.conftest import invoke, write

DIRECTORY = """\
providers:
  - id: adults-alone
    name: Adults Alone Shelter
    services: [temporary-shelter]
    eligibility: {ages: [18, null], children: false}
    phone: "+1 559-555-0101"
    address: {street: 1 Adults St, city: Fresno, region: CA, country: US}
    location: {lat: 36.7378, lon: -119.7871}
  - id: families-only
    name: Families Only Shelter
    services: [temporary-shelter]
    eligibility: {populations: [families], children: true}
    phone: "+1 559-555-0102"
    address: {street: 1 Families St, city: Fresno, region: CA, country: US}
    location: {lat: 36.7400, lon: -119.7800}
  - id: anyone
    name: Anyone Shelter
    services: [temporary-shelter]
    phone: "+1 559-555-0103"
    address: {street: 1 Anyone St, city: Fresno, region: CA, country: US}
    location: {lat: 36.7500, lon: -119.7700}
"""


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return write(tmp_path / "dir.yaml", DIRECTORY)


def _find(runner: CliRunner, directory: Path, text: str) -> dict[str, list[str]]:
    out = json.loads(invoke(runner, "find", text, "-d", str(directory), "--format", "json").stdout)
    return {r["id"]: r["reasons"] for r in out["results"]}


@pytest.mark.parametrize(
    "text",
    [
        "woman with 2 kids needs shelter in Fresno",
        "mom and her three children need a bed tonight, Fresno",
        "dad with his son, 9, needs a place to stay near Fresno",
    ],
)
def test_a_parent_with_children_is_never_sent_where_children_are_not_taken(
    runner: CliRunner, directory: Path, text: str
) -> None:
    found = _find(runner, directory, text)
    assert "adults-alone" not in found
    assert list(found)[0] == "families-only"  # the place that takes them together first


@pytest.mark.parametrize(
    "text",
    [
        "woman, 50, needs shelter in Fresno, she has no kids with her",
        "man 40 no children needs a bed in Fresno",
    ],
)
def test_a_person_said_to_be_alone_is_never_sent_to_a_family_only_shelter(
    runner: CliRunner, directory: Path, text: str
) -> None:
    found = _find(runner, directory, text)
    assert "families-only" not in found
    assert "adults-alone" in found


@pytest.mark.parametrize(
    "text",
    [
        "woman 30 needs shelter in Fresno",
        # "not a minor" denies an age group, not that children come along: she is
        # alone as nothing says otherwise, and the answer says so
        "she's not a minor, needs shelter in Fresno",
        "16 year old boy needs somewhere to sleep in Fresno",
    ],
)
def test_one_person_with_no_children_mentioned_is_told_of_the_family_shelters_left_out(
    runner: CliRunner, directory: Path, text: str
) -> None:
    out = json.loads(invoke(runner, "find", text, "-d", str(directory), "--format", "json").stdout)
    assert "families-only" not in {r["id"] for r in out["results"]}
    assert any(
        n.startswith("1 match(es) taking only a parent or carer with children left out")
        and "name the children" in n
        for n in out["notes"]
    ), out["notes"]


@pytest.mark.parametrize(
    "text",
    [
        "needs shelter in Fresno",  # nobody described
        "single mom needs shelter in Fresno",  # a parent: children may come along
        "pregnant woman needs a bed tonight in Fresno",
        "needs a bed tonight in Fresno, she's 30 and a mom.",
    ],
)
def test_a_family_shelter_is_a_check_when_the_person_may_have_children(
    runner: CliRunner, directory: Path, text: str
) -> None:
    found = _find(runner, directory, text)
    assert "check: takes only a parent or carer with children" in found["families-only"]
    assert not any(r.startswith("check") for r in found["adults-alone"])


def test_children_must_be_true_or_false(runner: CliRunner, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", DIRECTORY.replace("children: false", "children: no kids"))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "'eligibility.children' must be true (families only) or false" in result.stdout
    unstated = write(
        tmp_path / "unstated.yaml",
        DIRECTORY.replace(
            "{ages: [18, null], children: false}", "{stated: false, children: false}"
        ),
    )
    result = runner.invoke(app, ["validate", str(unstated)])
    assert result.exit_code == 1
    assert "'eligibility.stated: false' with ages, genders, trafficking types or children" in (
        result.stdout
    )


def test_show_and_slip_say_whether_children_come_along(runner: CliRunner, directory: Path) -> None:
    shown = invoke(runner, "show", "adults-alone", "-d", str(directory)).stdout
    assert "Ages 18 and over, no children" in shown
    slip = invoke(runner, "slip", "families-only", "-d", str(directory)).stdout
    assert "Parents or carers with children only" in slip
    spanish = invoke(runner, "slip", "adults-alone", "--lang", "es", "-d", str(directory)).stdout
    assert "sin niños" in spanish


ALONG = """\
providers:
  - id: boys-to-twelve
    name: Boys To Twelve Shelter
    services: [temporary-shelter]
    eligibility: {ages: [18, null], genders: [female], populations: [families], boys_max_age: 12}
    phone: "+1 559-555-0111"
    address: {street: 1 First St, city: Fresno, region: CA, country: US}
    location: {lat: 36.7378, lon: -119.7871}
  - id: any-child
    name: Any Child Family Shelter
    services: [temporary-shelter]
    eligibility: {populations: [families]}
    phone: "+1 559-555-0112"
    address: {street: 2 First St, city: Fresno, region: CA, country: US}
    location: {lat: 36.7400, lon: -119.7800}
"""


@pytest.fixture
def along(tmp_path: Path) -> Path:
    """A shelter taking boys up to 12 along (``eligibility.boys_max_age``), and one
    taking any child."""
    return write(tmp_path / "along.yaml", ALONG)


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        ("mom with her 14-year-old son needs a bed tonight in Fresno", False),
        ("woman, 40, with her son who is 13 and her daughter, 6, needs shelter in Fresno", False),
        ("mujer con su hijo de 15 años necesita un refugio en Fresno", False),
        ("mom with her 14 year old daughter needs shelter in Fresno", True),
        ("woman with her son, 9, needs a bed tonight in Fresno", True),
    ],
)
def test_a_son_older_than_the_limit_keeps_the_family_out(
    runner: CliRunner, along: Path, text: str, taken: bool
) -> None:
    found = _find(runner, along, text)
    assert ("boys-to-twelve" in found) is taken
    assert "any-child" in found
    if taken:
        assert not any(r.startswith("check") for r in found["boys-to-twelve"])


def test_a_child_of_unsaid_gender_is_a_check(runner: CliRunner, along: Path) -> None:
    found = _find(runner, along, "mother with her 14 year old kid needs shelter in Fresno")
    assert "check: each child's age and gender (with boys up to 12)" in found["boys-to-twelve"]


def test_show_and_slip_say_the_oldest_children_taken(runner: CliRunner, along: Path) -> None:
    shown = invoke(runner, "show", "boys-to-twelve", "-d", str(along)).stdout
    assert "Women, ages 18 and over, with boys up to 12" in shown
    spanish = invoke(runner, "slip", "boys-to-twelve", "--lang", "es", "-d", str(along))
    assert "con niños hasta 12 años" in spanish.stdout


@pytest.mark.parametrize(
    ("eligibility", "said"),
    [
        ("{populations: [families], boys_max_age: 30}", "'eligibility.boys_max_age' must be"),
        ("{children: false, girls_max_age: 5}", "with 'children: false'"),
        ("{stated: false, boys_max_age: 5}", "'eligibility.stated: false' with ages"),
    ],
)
def test_the_oldest_children_must_be_children_of_a_stated_family(
    runner: CliRunner, tmp_path: Path, eligibility: str, said: str
) -> None:
    limited = "{ages: [18, null], genders: [female], populations: [families], boys_max_age: 12}"
    bad = write(tmp_path / "bad.yaml", ALONG.replace(limited, eligibility))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert said in result.stdout


def test_a_mother_and_a_father_are_not_parted_by_a_single_gender_shelter(
    runner: CliRunner,
) -> None:
    """ "mom, dad and their 2 kids": a women's shelter that takes children, or a men's
    shelter, would part the family; both are left out, through the real command and
    its index."""
    out = invoke(
        runner, "find", "mom, dad and their 2 kids need a shelter tonight in Fresno",
        "--format", "json",
    )  # fmt: skip
    ids = [r["id"] for r in json.loads(out.stdout)["results"]]
    assert "harbor-house-women" not in ids and "fresno-mens-emergency-shelter" not in ids, ids
    mother = invoke(
        runner, "find", "mom and her 2 kids need a shelter in Fresno", "--format", "json"
    )
    assert "harbor-house-women" in [r["id"] for r in json.loads(mother.stdout)["results"]]
