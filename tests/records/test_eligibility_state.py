"""Eligibility in three states: stated, everyone (absent), unknown (``stated: false``).

Unknown is never "serves everyone": it excludes no one, ranks after providers
known to fit a named person, says so in every format, and ``--stated-eligibility``
leaves it out.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import invoke, write
from typer.testing import CliRunner

DIRECTORY = """\
providers:
  - id: unknown-shelter
    name: Unknown Shelter
    services: [temporary-shelter]
    eligibility: {stated: false, notes: Call for intake}
    phone: "+1 559-555-0100"
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
    location: {lat: 36.7378, lon: -119.7871}
    last_verified: 2026-09-01
  - id: youth-shelter
    name: Youth Shelter
    services: [temporary-shelter]
    eligibility: {ages: [12, 17]}
    phone: "+1 559-555-0101"
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
    location: {lat: 36.8378, lon: -119.7871}
    last_verified: 2026-09-01
  - id: open-shelter
    name: Open Shelter
    services: [temporary-shelter]
    phone: "+1 559-555-0102"
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
    location: {lat: 36.8478, lon: -119.7871}
    last_verified: 2026-09-01
"""
UNKNOWN = "eligibility not stated — call to check"


def _data(tmp_path: Path) -> str:
    return str(write(tmp_path / "d.yaml", DIRECTORY))


def test_unknown_ranks_after_known_fits_for_a_person_even_when_nearer(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = invoke(
        runner,
        "find",
        "shelter for a 15 year old near Fresno",
        "--data",
        _data(tmp_path),
        "-f",
        "json",
    )
    results = json.loads(out.stdout)["results"]
    assert [r["id"] for r in results] == ["youth-shelter", "open-shelter", "unknown-shelter"]
    unknown = results[-1]
    assert UNKNOWN in unknown["reasons"]
    assert "serves everyone" not in unknown["reasons"]
    assert unknown["eligibility"] == {"notes": "Call for intake", "stated": False}


def test_unknown_keeps_its_distance_order_when_no_person_is_named(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = invoke(runner, "find", "shelter near Fresno", "--data", _data(tmp_path), "-f", "json")
    assert json.loads(out.stdout)["results"][0]["id"] == "unknown-shelter"


def test_unknown_is_said_in_table_csv_show_and_slips(runner: CliRunner, tmp_path: Path) -> None:
    data = _data(tmp_path)
    table = invoke(runner, "find", "shelter near Fresno", "--data", data).stdout
    assert "not stated" in table
    rows = list(
        csv.DictReader(
            io.StringIO(
                invoke(runner, "find", "shelter near Fresno", "--data", data, "-f", "csv").stdout
            )
        )
    )
    by_id = {r["id"]: r for r in rows}
    assert UNKNOWN in by_id["unknown-shelter"]["reasons"]
    assert "serves everyone" in by_id["open-shelter"]["reasons"]
    show = invoke(runner, "show", "unknown-shelter", "--data", data).stdout
    assert "Eligibility not stated — call to check" in show
    assert "Everyone" not in show
    slip = invoke(runner, "slip", "unknown-shelter", "--data", data).stdout
    assert "Eligibility not stated — call to check" in slip
    slip_es = invoke(runner, "slip", "unknown-shelter", "--data", data, "--lang", "es").stdout
    assert "Requisitos no indicados" in slip_es
    assert "Todas las personas" not in slip_es


def test_stated_eligibility_flag_leaves_unknown_out_with_a_note(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = invoke(
        runner,
        "find",
        "shelter near Fresno",
        "--data",
        _data(tmp_path),
        "--stated-eligibility",
        "-f",
        "json",
    )
    doc = json.loads(out.stdout)
    assert "unknown-shelter" not in [r["id"] for r in doc["results"]]
    assert any("eligibility is not stated left out" in n for n in doc["notes"])


def test_validate_warns_on_unknown_and_rejects_contradictions(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = invoke(runner, "validate", _data(tmp_path), "--format", "json")
    assert out.exit_code == 0
    assert [d["code"] for d in json.loads(out.stdout)["diagnostics"]] == ["eligibility-unknown"]
    contradiction = DIRECTORY.replace("notes: Call for intake}", "ages: [0, 17]}")
    out = invoke(
        runner, "validate", str(write(tmp_path / "b" / "d.yaml", contradiction)), "-f", "json"
    )
    assert out.exit_code == 1
    assert "eligibility" in [d["code"] for d in json.loads(out.stdout)["diagnostics"]]
    not_a_bool = DIRECTORY.replace("stated: false,", "stated: maybe,")
    out = invoke(runner, "validate", str(write(tmp_path / "c" / "d.yaml", not_a_bool)))
    assert out.exit_code == 1
    assert "'eligibility.stated' must be true or false" in out.stdout


def test_coverage_for_a_population_does_not_count_unknown_eligibility(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = _data(tmp_path)

    def total(*args: str) -> int:
        doc = json.loads(invoke(runner, "coverage", "--data", data, "-f", "json", *args).stdout)
        return int(doc["places"][0]["providers"]["total"])

    assert total() == 3
    assert total("--for", "minors") == 2  # the youth shelter and the open one, not the unknown
