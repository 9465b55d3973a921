"""The blind Baltimore directory (tests/fixtures/blind-baltimore, README there): an
HSDS 3.0 package and 40 hotline questions written by someone who never saw the
importer or the reader, asked through ``referral import-hsds`` and ``referral find``.

A floor keeps what passes from slipping; the cases the floor cannot name are
asserted one by one: who is never listed, and which streets never print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from referral_cli.cli import app
from tests.conftest import invoke, yaml_of

from .blind import name as _name
from .blind import passes as _passes

BLIND = Path(__file__).parents[1] / "fixtures" / "blind-baltimore"
QUESTIONS: list[dict[str, Any]] = yaml_of((BLIND / "questions.yaml").read_text("utf-8"))[
    "questions"
]
# the planted confidential shelter's street, postal code and point (README, case 11)
SECRETS = ("2917 E Baltimore St", "39.29268", "-76.57712")
PASSED_FLOOR = 28  # of 40: 12 as it came (names compared without the location suffix)


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("baltimore") / "balt.yaml"
    result = CliRunner().invoke(app, ["import-hsds", str(BLIND / "package"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def answers(directory: Path) -> list[tuple[dict[str, Any], dict[str, Any], str]]:
    runner = CliRunner()
    out = []
    for q in QUESTIONS:
        found = invoke(runner, "find", q["q"], "-d", str(directory), "--format", "json")
        table = invoke(runner, "find", q["q"], "-d", str(directory))
        out.append((q, json.loads(found.stdout) if found.exit_code == 0 else {}, table.output))
    return out


def test_the_blind_questions_keep_their_floor(
    answers: list[tuple[dict[str, Any], dict[str, Any], str]],
) -> None:
    passed = [q["q"] for q, answer, _ in answers if _passes(q, answer)]
    assert len(passed) >= PASSED_FLOOR, f"{len(passed)} of {len(QUESTIONS)} pass"


@pytest.mark.parametrize(
    ("text", "never"),
    [
        # the author's cases of children who come along, and of a person alone
        (
            "woman, 34, trafficked by her boyfriend, has two kids ages 3 and 9, needs"
            " emergency shelter in Baltimore County",
            {"Willow House Restoration Home", "Grace Harbor Women's Shelter"},
        ),
        (
            "a dad and his two kids, 4 and 7, just got evicted, need shelter tonight in the city",
            {"Code Blue Warming Center", "Jones Falls Men's Overnight Shelter"},
        ),
        (
            "women's shelter in northeast Baltimore, she's 50 and has no kids with her",
            {"Towson Interfaith Family Shelter", "Hampden Family Shelter"},
        ),
        # boys up to 12 stay with their mother there (case 4): not her son of 14
        (
            "mom fleeing her pimp with her 14-year-old son, they need a bed tonight",
            {"St. Brigid's Emergency Shelter for Women and Children"},
        ),
        # one man, no children mentioned: no family-only shelter
        (
            "homeless man in Essex needs a bed tonight, it's freezing",
            {"Towson Interfaith Family Shelter", "Hampden Family Shelter"},
        ),
    ],
)
def test_whether_children_come_along_is_a_hard_filter(
    directory: Path, text: str, never: set[str]
) -> None:
    out = json.loads(
        invoke(CliRunner(), "find", text, "-d", str(directory), "--format", "json").stdout
    )
    assert not never & {_name(r) for r in out["results"]}


def test_the_confidential_street_prints_nowhere(
    directory: Path, answers: list[tuple[dict[str, Any], dict[str, Any], str]]
) -> None:
    runner = CliRunner()
    printed = [json.dumps(answer) + table for _, answer, table in answers]
    printed.append(
        invoke(runner, "show", "willow-house-restoration-home", "-d", str(directory)).output
    )
    assert "2917 E Baltimore St" in directory.read_text("utf-8")  # kept for the maintainers
    for text in printed:
        assert not any(secret in text for secret in SECRETS)
