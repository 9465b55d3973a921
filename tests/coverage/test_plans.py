"""Coverage that plans: completeness that tells located from remote, --sort gaps,
place labels people read, and the capacity, languages and staleness matrices."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from conftest import invoke, write
from typer.testing import CliRunner

from referral_cli.coverage import plans
from referral_cli.coverage.count import count
from referral_cli.directory import load

DIRECTORY = """\
providers:
  - id: fresno-girls
    name: Fresno Girls Shelter
    services: [temporary-shelter, counseling, outreach, legal-aid, job-placement]
    eligibility: {ages: [12, 17], genders: [female]}
    languages: [en, es, lo]
    capacity: {beds: 8}
    phone: "+1 559-555-0101"
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
    last_verified: 2026-10-01
  - id: fresno-men
    name: Fresno Men's Shelter
    services: [temporary-shelter, awareness-education]
    eligibility: {ages: [18, null], genders: [male]}
    languages: [en, pa]
    capacity: {beds: 20}
    phone: "+1 559-555-0102"
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
    last_verified: 2024-01-15
  - id: fresno-open
    name: Fresno Open Beds
    services: [temporary-shelter]
    capacity: {beds: 5}
    phone: "+1 559-555-0103"
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
    last_verified: 2026-09-01
  - id: merced-prevention
    name: Merced Prevention
    services: [awareness-education]
    languages: [en, es]
    phone: "+1 209-555-0104"
    address: {city: Merced, county: Merced County, region: CA, country: US}
    last_verified: 2026-09-01
  - id: orlando-outreach
    name: Orlando Outreach
    services: [outreach]
    phone: "+1 407-555-0105"
    address: {city: Orlando, county: Orange County, region: FL, country: US}
    last_verified: 2026-09-01
  - id: tijuana-casa
    name: Casa Tijuana
    services: [temporary-shelter]
    eligibility: {ages: [18, null], genders: [female]}
    languages: [es]
    capacity: {beds: 15}
    phone: "+52 664 555 0106"
    address: {city: Tijuana, region: BC, country: MX}
    last_verified: 2026-09-01
  - id: statewide-line
    name: Statewide Line
    services: [hotline, counseling, legal-aid, job-placement, victim-advocacy]
    languages: [en, es, vi]
    phone: "+1 800-555-0107"
    service_area: {regions: [US-CA], remote: true}
    address: {city: Sacramento, region: CA, country: US}
    last_verified: 2026-09-01
"""
MERCED, FRESNO = "Merced County, CA", "Fresno County, CA"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write(tmp_path / "d.yaml", DIRECTORY)


@pytest.fixture
def providers(data: Path) -> list:  # type: ignore[type-arg]
    directory = load(data, use_cache=False)
    assert not directory.errors, directory.errors
    return directory.providers


def test_a_place_reached_only_remotely_is_never_complete(providers) -> None:  # type: ignore[no-untyped-def]
    m = count(providers)
    merced = m.completeness[MERCED]
    # Prevention located in Merced; the statewide line reaches three more areas.
    assert (merced.located, merced.remote_only, merced.total) == (1, 3, 5)
    assert merced.covered == 4 and not merced.complete and merced.text == "1+3/5"
    gap = m.gap(MERCED)
    assert gap is not None and "only remote in " in gap.message
    assert gap.remote_only_areas and "prevention" not in gap.remote_only_areas


def test_the_score_shows_located_and_remote_apart_in_every_format(runner, data) -> None:  # type: ignore[no-untyped-def]
    table = invoke(runner, "coverage", "--data", str(data)).stdout
    assert "1+3/5" in table and "Covered 1+4/5 = 1 area with a provider located here" in table
    doc = json.loads(invoke(runner, "coverage", "--data", str(data), "-f", "json").stdout)
    place = next(p for p in doc["places"] if p["label"] == MERCED)
    assert place["completeness"] == {
        "covered": 4,
        "located": 1,
        "remote_only": 3,
        "total": 5,
        "complete": False,
    }
    assert doc["format_version"] == 2  # the matrix's ids only with --ids
    md = invoke(runner, "coverage", "--data", str(data), "-f", "markdown").stdout
    assert f"**{MERCED}** (1+3/5)" in md
    page = invoke(runner, "coverage", "--data", str(data), "-f", "html").stdout
    assert "1+3/5" in page and "complete only when every area" in page


def test_sort_gaps_puts_the_places_in_most_need_first(runner, data) -> None:  # type: ignore[no-untyped-def]
    by_name = count(load(data, use_cache=False).providers)
    by_need = count(load(data, use_cache=False).providers, sort="gaps")
    assert sorted(p.label for p in by_need.places) == sorted(p.label for p in by_name.places)
    located = [by_need.completeness[p.label].located for p in by_need.places]
    assert located == sorted(located)
    assert by_need.places[-1].label == FRESNO  # the best served last
    assert [g.place for g in by_need.gaps] == [
        p.label for p in by_need.places if by_need.gap(p.label)
    ]
    result = invoke(runner, "coverage", "--data", str(data), "--sort", "gaps", "-f", "csv")
    places = list(dict.fromkeys(r["place"] for r in csv.DictReader(io.StringIO(result.stdout))))
    assert places == [p.label for p in by_need.places]
    bad = invoke(runner, "coverage", "--data", str(data), "--sort", "gap")
    assert bad.exit_code == 2 and "did you mean 'gaps'" in bad.stderr


def test_place_labels_people_read(providers) -> None:  # type: ignore[no-untyped-def]
    labels = [p.label for p in count(providers).places]
    assert "Orange County, FL" in labels  # a county with its state
    assert "Baja California, MX" in labels  # a Mexican address names no county
    assert not any(label.startswith("(unknown)") for label in labels)
    regions = [p.label for p in count(providers, by="region").places]
    assert regions == ["Baja California, MX", "California, US", "Florida, US"]


def test_capacity_counts_beds_by_population_and_never_guesses(providers) -> None:  # type: ignore[no-untyped-def]
    grid = plans.build("capacity", providers)
    cells = {label: dict(zip(grid.columns, c, strict=True)) for label, c in grid.rows}
    fresno = cells[FRESNO]
    assert (fresno["minors"], fresno["girls"], fresno["boys"]) == (8, 8, 0)
    assert (fresno["adults"], fresno["women"], fresno["men"]) == (20, 0, 20)
    # Open Beds states no eligibility: its 5 beds are nobody's in particular.
    assert fresno["unstated"] == 5 and fresno["all beds"] == 33
    assert cells["Baja California, MX"]["women"] == 15
    assert cells[MERCED]["all beds"] == 0
    assert "Statewide Line" not in str(grid.rows)  # remote services have no beds anywhere


def test_languages_in_person_leave_out_phone_services(providers) -> None:  # type: ignore[no-untyped-def]
    grid = plans.build("languages", providers)
    doc = grid.as_dict()
    rows = {r["place"]: r for r in doc["rows"]}
    assert rows[FRESNO]["languages"] == {"en": 2, "es": 1, "lo": 1, "pa": 1}
    assert rows[FRESNO]["cells"]["providers in person"] == 3
    # only the statewide phone line speaks Vietnamese: nobody does in person
    assert not any("vi" in r["languages"] for r in doc["rows"])
    assert "Lao 1" in rows[FRESNO]["cells"]["languages"]


def test_stale_records_by_place(providers) -> None:  # type: ignore[no-untyped-def]
    grid = plans.build("stale", providers, today=dt.date(2026, 12, 1))
    rows = {r["place"]: r for r in grid.as_dict()["rows"]}
    assert rows[FRESNO]["cells"]["stale"] == 1 and rows[FRESNO]["stale_ids"] == ["fresno-men"]
    assert rows[FRESNO]["cells"]["oldest check"] == "2024-01-15"
    assert rows[plans.REMOTE_ROW]["cells"]["providers"] == 1
    recent = plans.build("stale", providers, today=dt.date(2026, 12, 1), stale_days=3000)
    assert all(cells[1] == 0 for _, cells in recent.rows)


@pytest.mark.parametrize("matrix", ["capacity", "languages", "stale"])
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "html"])
def test_planning_matrices_in_every_format(runner, data, matrix, fmt) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "coverage", "--data", str(data), "--matrix", matrix, "-f", fmt)
    assert result.exit_code == 0, result.stderr
    assert FRESNO in result.stdout
    if fmt == "json":
        assert json.loads(result.stdout)["matrix"] == matrix
    if fmt == "csv":
        assert next(csv.DictReader(io.StringIO(result.stdout)))["matrix"] == matrix


def test_planning_matrix_refuses_options_of_the_coverage_matrix(runner, data) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        runner, "coverage", "--data", str(data), "-m", "capacity", "--area", "prevention"
    )
    assert result.exit_code == 2 and "--area goes with the coverage matrix" in result.stderr
    minors = invoke(runner, "coverage", "--data", str(data), "-m", "languages", "--for", "minors")
    assert minors.exit_code == 0 and "Punjabi" not in minors.stdout  # the men's shelter


def test_capacity_shows_beds_free_as_of_when_apart_from_all_beds(providers) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from referral_cli.records.model import Availability, Status

    at = dt.datetime(2026, 12, 7, 18, 0, tzinfo=dt.UTC)
    pst = dt.timezone(dt.timedelta(hours=-8))
    reported = {
        "fresno-girls": Availability(dt.datetime(2026, 12, 7, 7, 30, tzinfo=pst), 3),
        "fresno-men": Availability(dt.datetime(2026, 12, 7, 9, 10, tzinfo=pst), 0),
        "fresno-open": Availability(dt.datetime(2026, 12, 4, 9, 10, tzinfo=pst), 5),  # old
        "tijuana-casa": Availability(dt.datetime(2026, 12, 7, 9, 0, tzinfo=pst), 4),
    }
    found = [replace(p, availability=reported.get(p.id)) for p in providers]
    found = [replace(p, status=Status("closed")) if p.id == "tijuana-casa" else p for p in found]
    grid = plans.build("capacity", found, now=at)
    cells = {label: dict(zip(grid.columns, c, strict=True)) for label, c in grid.rows}
    fresno = cells[FRESNO]
    assert fresno["all beds"] == 33  # the total, as before
    assert (fresno["free now"], fresno["as of"], fresno["no report"]) == (
        3,
        "2026-12-07 07:30-08:00",
        1,
    )
    # closed: its report counts for nothing free
    assert (
        cells["Baja California, MX"]["free now"],
        cells["Baja California, MX"]["no report"],
    ) == (0, 1)
    longer = plans.build("capacity", found, now=at, report_hours=100)
    assert dict(zip(longer.columns, dict(longer.rows)[FRESNO], strict=True))["free now"] == 8


@pytest.mark.parametrize("width", [60, 80])
def test_a_narrow_planning_matrix_keeps_every_column(width: int) -> None:
    """`coverage --matrix capacity | cat` at 80 columns: a matrix wider than the
    terminal is stacked, every column with every place's value, none cut off."""
    import os
    import subprocess

    sample = Path(__file__).parents[2] / "data" / "resources.yaml"
    run = subprocess.run(
        ["referral", "coverage", "--data", str(sample), "--matrix", "capacity"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": str(width), "NO_COLOR": "1"},
        check=True,
    )
    lines = run.stdout.splitlines()
    assert all(len(line) <= width for line in lines)
    # the columns to look for, from the JSON (no terminal in it: no need of a process)
    as_json = invoke(
        CliRunner(), "coverage", "--data", str(sample), "--matrix", "capacity", "-f", "json"
    )
    grid = json.loads(as_json.stdout)
    headers = [line for line in lines if line.startswith("County ")]
    shown = " ".join(headers)
    assert all(column in shown for column in grid["columns"]), (grid["columns"], headers)
    fresno = [line for line in lines if line.startswith(FRESNO)]
    assert len(fresno) == len(headers) >= 2  # one line per stacked table
    all_beds = next(r for r in grid["rows"] if r["place"] == FRESNO)["cells"]["all beds"]
    assert str(all_beds) in " ".join(fresno)
