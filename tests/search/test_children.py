"""``eligibility.children``: a parent with her children is never sent where children
are not taken, and a person said to be alone never to a family-only shelter
(search/rules.py ``children_said``), through the real command and its index."""

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


def test_children_not_mentioned_list_a_family_shelter_with_a_check(
    runner: CliRunner, directory: Path
) -> None:
    found = _find(runner, directory, "woman 30 needs shelter in Fresno")
    assert set(found) == {"adults-alone", "families-only", "anyone"}
    assert "check: takes only a parent or carer with children" in found["families-only"]
    assert not any(r.startswith("check") for r in found["adults-alone"])


def test_not_a_minor_is_no_word_on_children(runner: CliRunner, directory: Path) -> None:
    """ "She's not a minor" denies an age group, not that children come along."""
    found = _find(runner, directory, "she's not a minor, needs shelter in Fresno")
    assert "families-only" in found


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
