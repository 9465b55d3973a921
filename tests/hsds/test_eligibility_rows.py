"""An HSDS 2.0 service whose eligibility is written over several rows of
eligibility.csv: rows of prose are one statement whose sentences qualify each
other; rows that are terms alone ("Men", "Women") are groups served. Found by the
blind Houston directory (tests/fixtures/blind-houston), tested with records of
our own through ``referral import-hsds`` and ``referral find``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from referral_cli.cli import app

from .helpers import run, write_package


def _package(tmp_path: Path, rows: dict[str, list[str]]) -> Path:
    services = [
        {"id": sid, "name": f"{sid} Shelter", "description": "Emergency shelter beds"}
        for sid in rows
    ]
    return write_package(
        tmp_path / "pkg",
        {
            "services": services,
            "eligibility": [
                {"id": f"{sid}-{i}", "service_id": sid, "eligibility": text}
                for sid, texts in rows.items()
                for i, text in enumerate(texts)
            ],
            "locations": [{"id": "l1", "name": "Site", "latitude": "29.76", "longitude": "-95.37"}],
            "service_at_location": [
                {"id": f"sal-{sid}", "service_id": sid, "location_id": "l1"} for sid in rows
            ],
        },
    )


def _eligibility(tmp_path: Path, rows: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    out = tmp_path / "d.yaml"
    result = run("import-hsds", str(_package(tmp_path, rows)), "-o", str(out))
    assert result.exit_code == 0, result.output
    return {p["x-hsds-id"]: p["eligibility"] for p in yaml.safe_load(out.read_text())["providers"]}


def test_rows_of_prose_are_one_statement(tmp_path: Path) -> None:
    """Read apart, "Boys up to 16 may come with their mother" was a service for anyone up
    to 16 and, joined by "or" to the women's row, one for anyone of any gender."""
    e = _eligibility(
        tmp_path,
        {
            "dv": [
                "Women escaping abuse, and their children",
                "Boys up to 16 may come with their mother",
            ],
        },
    )["dv"]
    assert e["genders"] == ["female"] and e.get("boys_max_age") == 16, e
    assert "ages" not in e, e


def test_the_ages_of_the_children_after_a_list_of_parents(tmp_path: Path) -> None:
    e = _eligibility(
        tmp_path,
        {
            "fam": [
                "Families, grandparents or guardians with children under 18",
                "No pets",
            ]
        },
    )["fam"]
    # before, the age read as one of several groups' left the whole record unread
    assert e.get("populations") == ["families"] and "ages" not in e, e


def test_a_boy_alone_is_not_sent_to_a_mothers_shelter(tmp_path: Path) -> None:
    out = tmp_path / "d.yaml"
    pkg = _package(
        tmp_path,
        {
            "dv": [
                "Women escaping abuse, and their children",
                "Boys up to 16 may come with their mother",
            ]
        },
    )
    assert run("import-hsds", str(pkg), "-o", str(out)).exit_code == 0
    done = CliRunner().invoke(
        app,
        [
            "find",
            "15 year old boy on his own needs a shelter, Houston",
            "-d",
            str(out),
            "--format",
            "json",
        ],
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["results"] == []


def test_open_to_all_beside_conditions_on_something_else_is_everyone(tmp_path: Path) -> None:
    """ "Open to all" with "No income requirement" and "One box per household" (not who
    is served) says the service is open: before, it was "not stated", and a pantry 1.6 km
    away ranked below kitchens 22 km away that said "everyone"."""
    e = _eligibility(
        tmp_path, {"pantry": ["Open to all", "No income requirement", "One box per household"]}
    )["pantry"]
    assert "stated" not in e and "One box per household" in e["notes"], e


def test_with_or_without_children_takes_children(tmp_path: Path) -> None:
    """ "with or without children" was read as "without children": no children taken,
    and the boys' limit of the next sentence was read as the service's ages."""
    e = _eligibility(
        tmp_path,
        {
            "shelter": [
                "Women 21 and older with or without children.",
                "Sons up to age 10 may come with their mother.",
            ]
        },
    )["shelter"]
    assert e.get("populations") == ["families"] and e.get("children") is not False, e
    assert (e.get("ages"), e.get("genders"), e.get("boys_max_age")) == ([21, None], ["female"], 10)


def test_boys_up_to_eighteen_is_no_limit_and_no_rejected_record(tmp_path: Path) -> None:
    """ "male children up to age 18" limits none of the children: before, the record was
    written with boys_max_age 18, which validate refuses, and the shelter (a DV lodge in
    the real Miami export) was left out of the import."""
    out = tmp_path / "d.yaml"
    pkg = _package(
        tmp_path,
        {"lodge": ["Shelter for battered women and their children; male children up to age 18."]},
    )
    result = run("import-hsds", str(pkg), "-o", str(out), "--report", str(tmp_path / "r.json"))
    assert result.exit_code == 0, result.output
    e = {p["x-hsds-id"]: p["eligibility"] for p in yaml.safe_load(out.read_text())["providers"]}
    assert "boys_max_age" not in e["lodge"] and e["lodge"].get("genders") == ["female"], e
