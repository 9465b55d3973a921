"""``eligibility.unstated``: a dimension a provider's words leave unknown ("homeless
males": their ages) is never "any" and never a filter: the provider is listed, says
what is not stated, and ranks after one known to fit the person (a girl of 16 alone:
a shelter for anyone before "Women and their children"). Through the real command, its
index, validate, show and slips; read by ``import-hsds``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import invoke, placed_provider, write
from tests.hsds.helpers import providers_of, run, write_package


def _shelter(pid: str, eligibility: str, lon: float) -> str:
    name = pid.replace("-", " ").title()
    at = (38.8048, lon)
    return placed_provider(pid, name, ("Alexandria", "VA", "US"), at) + (
        f"    eligibility: {eligibility}\n"
    )


DIRECTORY = "providers:\n" + "".join(
    (
        # nearest first: distance alone would put the women's shelter first
        _shelter("women-and-children", "{genders: [female], populations: [families],"
                 " unstated: [ages]}", -77.0469),
        _shelter("anyone-shelter", "{}", -77.0400),
        _shelter("adult-women", "{genders: [female], ages: [18, null]}", -77.0300),
    )
)  # fmt: skip


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return write(tmp_path / "dir.yaml", DIRECTORY)


def _found(runner: CliRunner, directory: Path, text: str) -> list[dict[str, object]]:
    done = invoke(runner, "find", text, "-d", str(directory), "--format", "json")
    assert done.exit_code == 0, done.stderr
    results: list[dict[str, object]] = json.loads(done.stdout)["results"]
    return results


def test_a_girl_alone_gets_the_shelter_known_to_take_her_first(
    runner: CliRunner, directory: Path
) -> None:
    found = _found(runner, directory, "16 yo girl needs a place to stay in Alexandria, VA")
    ids = [r["id"] for r in found]
    # known to take her before the nearer shelter for women, whose ages are not stated
    assert ids == ["anyone-shelter", "women-and-children"]  # listed, never dropped
    reasons = found[1]["reasons"]
    assert "serves: females (ages not stated); especially families (specialised)" in reasons  # type: ignore[operator]
    assert "check: ages not stated; ask whether it takes someone of 16" in reasons  # type: ignore[operator]


def test_a_woman_is_known_to_fit_a_service_for_women(runner: CliRunner, directory: Path) -> None:
    found = {
        r["id"]: r["reasons"]
        for r in _found(runner, directory, "woman, 30, needs a shelter in Alexandria, VA")
    }
    assert set(found) == {"women-and-children", "adult-women", "anyone-shelter"}
    assert not any(str(x).startswith("check:") for x in found["women-and-children"])  # type: ignore[attr-defined]


def test_show_slips_and_validate(runner: CliRunner, directory: Path, tmp_path: Path) -> None:
    shown = invoke(runner, "show", "women-and-children", "-d", str(directory))
    assert "Females (ages not stated); especially families" in " ".join(shown.stdout.split())
    slip = invoke(runner, "slip", "women-and-children", "-d", str(directory), "--lang", "es")
    assert "Mujeres o niñas (edad no indicada)" in " ".join(slip.stdout.split())
    bad = write(
        tmp_path / "bad.yaml", DIRECTORY.replace("[18, null]}", "[18, null], unstated: [ages]}")
    )
    done = invoke(runner, "validate", str(bad))
    assert done.exit_code != 0
    assert "'eligibility.unstated' lists 'ages', which the eligibility states" in done.output


@pytest.mark.parametrize(
    ("text", "eligibility"),
    [
        ("Homeless males", {"genders": ["male"], "unstated": ["ages"]}),
        ("Women and their children", {"genders": ["female"], "populations": ["families"],
                                      "unstated": ["ages"]}),
        ("Women and girls", {"genders": ["female"]}),  # a child's word: any age
        ("Women of all ages", {"genders": ["female"]}),
        ("Men 18 and older", {"ages": [18, None], "genders": ["male"]}),
    ],
)  # fmt: skip
def test_the_importer_leaves_unread_ages_unstated(
    tmp_path: Path, text: str, eligibility: dict[str, object]
) -> None:
    package = write_package(
        tmp_path / "pkg",
        {"services": [{"id": "s1", "name": "Shelter", "eligibility_description": text}]},
    )
    out = tmp_path / "d.yaml"
    assert run("import-hsds", str(package), "-o", str(out)).exit_code == 0
    (p,) = providers_of(out).values()
    got = {k: v for k, v in p["eligibility"].items() if k != "notes"}
    assert got == eligibility
