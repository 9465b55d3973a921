"""The words that named a need rank the providers of that need, through `referral find`.

"rape kit" is read as medical care, and every clinic meets it; the caller's words
(and what providers write for them: ``written_as`` in taxonomy.yaml) put the
sexual-assault exam programme before a nearer general clinic. A ranking only: the
general clinic is still listed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import found_json, write
from typer.testing import CliRunner

from referral_cli.query.parser import parse
from referral_cli.records.words import stem
from referral_cli.search.rules import said_words
from referral_cli.taxonomy import load

FRESNO, CLOVIS = (36.7378, -119.7871), (36.8252, -119.7029)  # Clovis: 12 km on


def provider(pid: str, name: str, service: str, point: tuple[float, float], about: str) -> str:
    """One provider of ``service`` at ``point``, its text ``about`` (may be empty)."""
    return f"""\
  - id: {pid}
    name: {name}
    services: [{service}]
    description: "{about}"
    phone: "+1 559-555-0200"
    address: {{city: Fresno, county: Fresno County, region: CA, country: US}}
    location: {{lat: {point[0]}, lon: {point[1]}}}
    last_verified: 2026-10-01
"""


# of each need, a general provider nearer and one the caller's words name further
DIRECTORY = "providers:\n" + "".join(
    [
        provider("general-clinic", "Fresno Community Clinic", "medical", FRESNO,
                 "Primary care, check-ups and vaccinations for the whole family."),
        provider("sane-programme", "Valley Forensic Nurse Program", "medical", CLOVIS,
                 "Sexual assault exams by forensic nurses, day and night."),
        provider("crisis-line", "Fresno Crisis Line", "hotline", FRESNO,
                 "A line for any crisis, any hour."),
        provider("suicide-line", "Central Valley Suicide Prevention Line", "hotline", CLOVIS, ""),
        provider("legal-aid", "Fresno Legal Aid", "legal-aid", FRESNO,
                 "Landlord and tenant, benefits and family law."),
        provider("immigrant-justice", "Valley Immigrant Justice", "legal-aid", CLOVIS,
                 "T visas, U visas and other relief for survivors."),
    ]
)  # fmt: skip


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write(tmp_path / "dir.yaml", DIRECTORY)


def ids(found: dict[str, object]) -> list[str]:
    return [r["id"] for r in found["results"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("said", "first", "nearer"),
    [
        ("needs a rape kit, Fresno", "sane-programme", "general-clinic"),
        ("she was raped and needs a doctor in Fresno", "sane-programme", "general-clinic"),
        ("he's suicidal, 19, Fresno", "suicide-line", "crisis-line"),
        ("T visa lawyer, Fresno", "immigrant-justice", "legal-aid"),
    ],
)
def test_the_words_that_named_the_need_rank_within_it(
    runner: CliRunner, data: Path, said: str, first: str, nearer: str
) -> None:
    found = found_json(runner, data, said)
    assert ids(found)[0] == first
    assert nearer in ids(found)  # a ranking, never a filter
    # the same need asked by its name alone: distance decides, the nearer first
    need = found["query"]["services"]  # type: ignore[index]
    plain = found_json(runner, data, "--service", need[0], "--near", "Fresno")
    assert ids(plain)[0] == nearer


def test_the_reason_says_which_of_the_callers_words_the_provider_mentions(
    runner: CliRunner, data: Path
) -> None:
    found = found_json(runner, data, "needs a rape kit, Fresno")
    first = found["results"][0]  # type: ignore[index]
    assert "mentions 'sexual assault'" in first["reasons"]


def test_the_installed_command_ranks_by_the_callers_words(data: Path) -> None:
    exe = Path(sys.executable).with_name("referral")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "referral_cli"]
    proc = subprocess.run(
        [*cmd, "find", "T visa lawyer, Fresno", "-d", str(data), "--format", "json"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "REFERRAL_NO_CACHE": "1", "NO_COLOR": "1"},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert ids(json.loads(proc.stdout))[:2] == ["immigrant-justice", "legal-aid"]


def test_the_needs_own_name_and_short_words_do_not_rank() -> None:
    """ "shelter" for temporary shelter says nothing of which shelter; "kit" is too
    short to tell (it begins "kitchen")."""
    tax = load()
    assert said_words(parse("needs a shelter in Fresno", tax), tax) == []
    words = [word for word, _ in said_words(parse("needs a rape kit", tax), tax)]
    assert words == ["rape", "sexual assault"]
    assert said_words(parse("Hope Harbor, Fresno", tax), tax) == []  # no need: words rank as said


@pytest.mark.parametrize(
    ("forms", "root"),
    [
        (["suicide", "suicidal"], "suicid"),
        (["abuse", "abusive", "abused"], "abus"),
        (["counseling", "counselling"], "counsel"),
        (["utility", "utilities"], "util"),
        (["rape"], "rape"),  # "rap" would say too little
    ],
)
def test_the_forms_of_a_word_share_a_stem(forms: list[str], root: str) -> None:
    assert {stem(w) for w in forms} == {root}
