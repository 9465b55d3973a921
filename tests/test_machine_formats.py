"""Scripts get the truth on stdout: every --format honoured or refused, the notes and
the relaxed filters in every machine format, one number type per field, exit 3 on demand."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import invoke, write

from referral_cli.coverage.model import MATRIX_FORMAT_VERSION
from referral_cli.output import FORMAT_VERSION

DIRECTORY = """\
providers:
  - id: near-shelter
    name: Near Shelter
    services: [temporary-shelter]
    languages: [en, es]
    phone: "+1 559-555-0101"
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
    location: {lat: 36.7468, lon: -119.7726}
    confidential: true
    last_verified: 2026-10-01
  - id: open-shelter
    name: Open Shelter
    services: [temporary-shelter]
    languages: [en]
    phone: "+1 559-555-0102"
    address: {street: 5 Open St, city: Fresno, county: Fresno County, region: CA, country: US}
    location: {lat: 36.7378, lon: -119.7871}
    last_verified: 2026-10-01
  - id: far-shelter
    name: Far Shelter
    services: [temporary-shelter]
    languages: [en]
    phone: "+1 209-555-0103"
    address: {city: Modesto, county: Stanislaus County, region: CA, country: US}
    location: {lat: 37.6391, lon: -120.9969}
    last_verified: 2026-10-01
"""
# Fewer than three within 50 km of Fresno: the radius is widened.
WIDENED = "shelter near Fresno"


@pytest.fixture
def data(tmp_path: Path) -> str:
    return str(write(tmp_path / "dir.yaml", DIRECTORY))


def run(runner, data: str, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return invoke(runner, "find", *args, "--data", data, input=input)


def test_json_has_format_version_radius_asked_and_used_and_relaxed(runner, data) -> None:  # type: ignore[no-untyped-def]
    result = run(runner, data, WIDENED, "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["format_version"] == FORMAT_VERSION
    assert payload["query"]["radius_km"] == 50.0
    assert payload["query"]["radius_used_km"] == 200.0
    assert payload["relaxed"] == ["radius"]
    assert [r["id"] for r in payload["results"]][-1] == "far-shelter"
    plenty = json.loads(run(runner, data, WIDENED, "--radius", "300", "--format", "json").stdout)
    assert plenty["relaxed"] == [] and plenty["query"]["radius_used_km"] == 300.0


def test_ndjson_ends_with_a_summary_record_carrying_the_notes(runner, data) -> None:  # type: ignore[no-untyped-def]
    result = run(runner, data, WIDENED, "--language", "vi", "--format", "ndjson")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    *rows, summary = lines
    assert all("id" in r for r in rows) and len(rows) == 3
    assert "id" not in summary and summary["format_version"] == FORMAT_VERSION
    assert summary["relaxed"] == ["language", "radius"]
    assert any("no match speaks Vietnamese" in n for n in summary["notes"])


def test_csv_carries_notes_and_relaxed_in_every_row(runner, data) -> None:  # type: ignore[no-untyped-def]
    result = run(runner, data, WIDENED, "--language", "vi", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 3
    for row in rows:
        assert "no match speaks Vietnamese; showing results in other languages" in row["notes"]
        assert " | radius widened from 50 km" in row["notes"]
        assert row["relaxed"] == "language; radius"


def test_csv_without_results_still_says_why(runner, data) -> None:  # type: ignore[no-untyped-def]
    result = run(runner, data, "legal aid near Fresno", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1 and rows[0]["id"] == ""
    assert "Fresno" in rows[0]["notes"]


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "ndjson"])
def test_fail_on_relaxed_exits_3_in_every_format(runner, data, fmt) -> None:  # type: ignore[no-untyped-def]
    relaxed = run(runner, data, WIDENED, "--format", fmt, "--fail-on-relaxed")
    assert relaxed.exit_code == 3, relaxed.stderr
    assert "relaxed: radius" in relaxed.stderr
    assert "Far Shelter" in relaxed.stdout or "far-shelter" in relaxed.stdout  # still printed
    strict = run(runner, data, WIDENED, "--format", fmt, "--radius", "300", "--fail-on-relaxed")
    assert strict.exit_code == 0, strict.stderr
    assert run(runner, data, WIDENED, "--format", fmt).exit_code == 0


def test_distance_has_one_number_type_in_every_format(runner, data) -> None:  # type: ignore[no-untyped-def]
    payload = json.loads(run(runner, data, WIDENED, "--format", "json").stdout)
    nd = [
        json.loads(x)
        for x in run(runner, data, WIDENED, "--format", "ndjson").stdout.split("\n")[:-2]
    ]
    rows = list(csv.DictReader(io.StringIO(run(runner, data, WIDENED, "--format", "csv").stdout)))
    from_json = [r["distance_km"] for r in payload["results"]]
    assert all(type(d) is float for d in from_json), (
        from_json
    )  # confidential: whole km, still float
    assert [r["distance_km"] for r in nd] == from_json
    assert [float(r["distance_km"]) for r in rows] == from_json
    assert all("." in r["distance_km"] for r in rows)


def test_batch_honours_csv_and_json(runner, data) -> None:  # type: ignore[no-untyped-def]
    # a state said with a name no one knows: an error even in a one-town directory
    text = "shelter near Fresno\nshelter near Qwxyzzyville, CA\n"
    result = run(runner, data, "--batch", "-", "--format", "csv", input=text)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["line"] for r in rows] == ["1", "1", "1", "2"]
    assert rows[0]["relaxed"] == "radius" and rows[0]["id"]
    assert rows[3]["id"] == "" and "Qwxyzzyville" in rows[3]["error"]
    assert result.exit_code == 1
    result = run(runner, data, "--batch", "-", "--format", "json", input=text)
    payload = json.loads(result.stdout)
    assert payload["format_version"] == FORMAT_VERSION
    first, second = payload["answers"]
    assert first["line"] == 1 and first["relaxed"] == ["radius"] and len(first["results"]) == 3
    assert "error" in second


def test_batch_ndjson_lines_carry_version_and_fail_on_relaxed(runner, data) -> None:  # type: ignore[no-untyped-def]
    result = run(runner, data, "--batch", "-", "--fail-on-relaxed", input=WIDENED + "\n")
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["format_version"] == FORMAT_VERSION and row["relaxed"] == ["radius"]
    assert result.exit_code == 3


@pytest.mark.parametrize(
    "args",
    [
        ["--batch", "-", "--format", "table"],
        [WIDENED, "--slip", "--format", "json"],
        [WIDENED, "--slip", "--format", "csv"],
        ["--batch", "-", "--slip"],
    ],
)
def test_a_format_that_cannot_be_honoured_is_refused(runner, data, args) -> None:  # type: ignore[no-untyped-def]
    result = run(runner, data, *args, input=WIDENED + "\n")
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("referral: error: ")


def test_slip_with_output_prints_the_results_in_the_format_asked(runner, data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "slip.html"
    result = run(runner, data, WIDENED, "--slip", "-o", str(out), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"] and out.read_text("utf-8").startswith("<!")


def test_exit_3_through_the_installed_program(data) -> None:  # type: ignore[no-untyped-def]
    exe = shutil.which("referral")
    cmd = [exe] if exe else [sys.executable, "-m", "referral_cli"]
    proc = subprocess.run(
        [*cmd, "find", WIDENED, "--data", data, "--format", "ndjson", "--fail-on-relaxed"],
        capture_output=True,
        text=True,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "REFERRAL_NO_CACHE": "1"},
        timeout=60,
    )
    assert proc.returncode == 3, proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1])["relaxed"] == ["radius"]


@pytest.mark.parametrize(
    "args",
    [
        ["find", WIDENED, "--format", "json"],
        ["coverage", "--format", "json"],
        ["coverage", "--matrix", "stale", "--format", "json"],
        ["validate", "{data}", "--format", "json"],
        ["locate", "Fresno", "--format", "json"],
        ["taxonomy", "--format", "json"],
    ],
)
def test_every_json_report_carries_its_format_version(runner, data, args) -> None:  # type: ignore[no-untyped-def]
    args = [a.replace("{data}", data) for a in args]
    extra = [] if args[0] in ("validate", "locate", "taxonomy") else ["--data", data]
    result = invoke(runner, *args, *extra)
    assert result.exit_code == 0, result.stderr
    matrix = args[0] == "coverage" and "--matrix" not in args  # its own version
    version = MATRIX_FORMAT_VERSION if matrix else FORMAT_VERSION
    assert json.loads(result.stdout)["format_version"] == version
