"""``eligibility.residents_of``: a service only for residents of a place ("DC residents
only", "Montgomery County residents") is never listed for a person said to be
elsewhere, and the answer says how many were left out and to ask where the person
lives; with no place said it is kept, its requirement shown as a "check". Through the
real command (its index), ``validate``, ``show``, slips, and a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from referral_cli.geo.place import Origin
from referral_cli.geo.residency import inside, lives_in
from referral_cli.geo.resolving import resolve
from referral_cli.search.rules import elsewhere_note
from tests.conftest import invoke, placed_provider, write


def _pantry(pid: str, eligibility: str, town: str, point: tuple[float, float]) -> str:
    """A food pantry of ``town`` ("Silver Spring, MD") at ``point``."""
    city, region = town.split(", ")
    name = pid.replace("-", " ").title()
    where = (city, region, "US")
    return placed_provider(pid, name, where, point, "vulnerability-support") + (
        f"    eligibility: {eligibility}\n"
    )


DIRECTORY = "providers:\n" + "".join(
    (
        _pantry("montgomery-pantry", '{residents_of: ["Montgomery County, MD"]}',
                "Silver Spring, MD", (38.9907, -77.0261)),
        _pantry("dc-pantry", "{residents_of: [DC], stated: false}", "Washington, DC",
                (38.9, -77.03)),
        _pantry("zip-pantry", '{ages: [18, null], residents_of: ["22041", "22044"]}',
                "Falls Church, VA", (38.8502, -77.1448)),
        _pantry("open-pantry", "{}", "Washington, DC", (38.95, -77.03)),
    )
)  # fmt: skip


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return write(tmp_path / "dir.yaml", DIRECTORY)


def _find(runner: CliRunner, directory: Path, text: str) -> dict[str, object]:
    done = invoke(runner, "find", text, "-d", str(directory), "--format", "json")
    assert done.exit_code == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout)
    return found


def _ids(answer: dict[str, object]) -> list[str]:
    return [r["id"] for r in answer["results"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "listed", "left_out", "areas"),
    [
        (
            "food pantry in Arlington, VA",
            {"open-pantry"},
            3,
            "residents of 22041 or 22044 or DC or Montgomery County, MD only — the person is in"
            " Arlington, VA",
        ),
        ("food pantry, woman 40, lives in 22041", {"open-pantry", "zip-pantry"}, 2, None),
        ("she needs groceries, Silver Spring", {"open-pantry", "montgomery-pantry"}, 2, None),
        ("food pantry in Anacostia", {"open-pantry", "dc-pantry"}, 2, None),
    ],
)
def test_a_service_for_residents_elsewhere_is_left_out_and_said(
    runner: CliRunner,
    directory: Path,
    text: str,
    listed: set[str],
    left_out: int,
    areas: str | None,
) -> None:
    answer = _find(runner, directory, text)
    assert set(_ids(answer)) == listed
    notes = [n for n in answer["notes"] if n.startswith("left out: ")]  # type: ignore[attr-defined]
    assert notes and notes[0].startswith(f"left out: {left_out} match(es) for residents of ")
    assert notes[0].endswith("; ask where they live")
    if areas is not None:
        assert areas in notes[0]


def test_the_table_says_who_was_left_out_on_stderr(runner: CliRunner, directory: Path) -> None:
    done = invoke(runner, "find", "food pantry in Arlington, VA", "-d", str(directory))
    assert done.exit_code == 0
    said = " ".join(done.stderr.split())
    assert "left out: 3 match(es) for residents of 22041 or 22044 or DC or Montgomery" in said
    assert "Montgomery Pantry" not in done.stdout


def test_with_no_place_said_the_requirement_is_shown_not_applied(
    runner: CliRunner, directory: Path
) -> None:
    answer = _find(runner, directory, "food pantry")
    reasons = {r["id"]: r["reasons"] for r in answer["results"]}  # type: ignore[attr-defined]
    assert set(reasons) == {"open-pantry", "dc-pantry", "zip-pantry", "montgomery-pantry"}
    assert (
        "check: for residents of Montgomery County, MD only; ask where the person lives"
        in reasons["montgomery-pantry"]
    )
    assert "eligibility not stated — call to check; residents of DC only" in reasons["dc-pantry"]
    assert not any(r.startswith("check:") for r in reasons["open-pantry"])
    eligibility = {r["id"]: r.get("eligibility") for r in answer["results"]}  # type: ignore[attr-defined]
    assert eligibility["zip-pantry"] == {"ages": [18, None], "residents_of": ["22041", "22044"]}


def test_the_home_place_is_not_where_the_person_lives(runner: CliRunner, directory: Path) -> None:
    assert invoke(runner, "config", "set", "home", "Arlington, VA").exit_code == 0
    answer = _find(runner, directory, "food pantry")
    assert "montgomery-pantry" in _ids(answer)
    assert not any(n.startswith("left out: ") for n in answer["notes"])  # type: ignore[attr-defined]


def test_show_and_slips_say_where_the_people_must_live(runner: CliRunner, directory: Path) -> None:
    shown = invoke(runner, "show", "montgomery-pantry", "-d", str(directory))
    assert shown.exit_code == 0, shown.stderr
    assert "residents of Montgomery County, MD only" in " ".join(shown.stdout.split())
    for lang, words in (("en", "residents of DC only"), ("es", "solo para residentes de DC")):
        slip = invoke(runner, "slip", "dc-pantry", "-d", str(directory), "--lang", lang)
        assert slip.exit_code == 0, slip.stderr
        assert words in " ".join(slip.stdout.split())


def test_validate_refuses_a_place_the_gazetteer_does_not_know(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = write(
        tmp_path / "d.yaml",
        DIRECTORY.replace('"Montgomery County, MD"', '"Nowhere County, ZZ"'),
    )
    done = invoke(runner, "validate", str(data))
    assert done.exit_code != 0
    assert "'eligibility.residents_of' place 'Nowhere County, ZZ' is not a town" in done.output


def test_a_real_process_leaves_them_out_and_says_so(directory: Path) -> None:
    exe = Path(sys.executable).parent / "referral"  # the venv's installed command
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "referral_cli"]
    proc = subprocess.run(
        [*cmd, "find", "groceries near Arlington, VA", "-d", str(directory), "--format", "json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert [r["id"] for r in answer["results"]] == ["open-pantry"]
    assert any(n.startswith("left out: 3 match(es)") for n in answer["notes"])


@pytest.mark.parametrize(
    ("areas", "at", "lives"),
    [
        (["Montgomery County, MD"], "Silver Spring", True),
        (["Montgomery County, MD"], "Arlington, VA", False),
        (["Montgomery County, MD"], "Maryland", None),  # a whole state said: which county?
        (["DC"], "Anacostia", True),
        (["22041"], "22041", True),
        (["22041"], "22044", False),
        (["22041"], "Annandale, VA", None),  # the ZIP code's county: not known which ZIP
        (["22041"], "Falls Church, VA", False),  # the town of the ZIP's name: another county
        (["22041"], "Silver Spring", False),
        (["Ward 8"], "Arlington, VA", False),  # a nickname: inside its county, not known where
        (["Ward 8"], "Anacostia", None),
        (["Northern Virginia"], "Arlington, VA", None),  # no borders known: no limit read
        (["Montgomery County, MD", "DC"], "Columbia Heights", True),
        # too far apart to live there, by the towns' middles and their reach
        (["Tolleson, AZ"], "Mesa, AZ", False),  # two towns 45 km apart
        (["77449"], "Bellaire, TX", False),  # a Katy ZIP code, 30 km from a small town
        (["Houston, TX"], "Alief, TX", None),  # a neighbourhood of a big town: not known
        (["77072"], "Alief, TX", None),  # a Houston ZIP code around it: not known
        (["85009"], "Phoenix, AZ", None),  # a ZIP code of the town itself
    ],
)
def test_where_a_place_lies(areas: list[str], at: str, lives: bool | None) -> None:
    assert lives_in(areas, resolve(at, prefer_countries=["US"]).place) is lives


def test_another_country_is_never_inside() -> None:
    here = resolve("Toronto", prefer_countries=["CA"]).place
    there = resolve("Texas", prefer_countries=["US"]).place
    assert inside(there, here) is False


def test_a_long_list_of_areas_is_cut_to_a_line() -> None:
    origin = Origin("here", 38.88, -77.1, "US", "US-VA", resolve("Arlington, VA").place)
    areas = ["22041", "22044", "22311", "DC", "Ward 8", "Montgomery County, MD"]
    assert elsewhere_note(6, areas, origin) == (
        "left out: 6 match(es) for residents of 22041, 22044, 22311, DC or 2 other places"
        " only — the person is in Arlington, VA, US; ask where they live"
    )
