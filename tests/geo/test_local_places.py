"""Local places a hotline volunteer says, end to end through ``referral find`` and
``referral locate`` on a small DC-area directory: wards, county nicknames, county
seats too small for the town list, independent cities, territories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from referral_cli.geo.resolving import resolve
from tests.conftest import invoke, write

DIRECTORY = """\
providers:
  - id: east-of-the-river
    name: East of the River Shelter
    services: [temporary-shelter]
    phone: "+1 202-555-0100"
    last_verified: 2026-10-01
    address: {street: 1 Alabama Ave SE, city: Washington, region: DC, postal_code: "20032", country: US}
    location: {lat: 38.8429, lon: -77.0003}
  - id: county-seat-house
    name: County Seat House
    services: [temporary-shelter]
    phone: "+1 301-555-0100"
    last_verified: 2026-10-01
    address: {city: Upper Marlboro, region: MD, country: US}
  - id: arkansas-house
    name: Arkansas House
    services: [temporary-shelter]
    phone: "+1 501-555-0100"
    last_verified: 2026-10-01
    address: {street: 1 Main St, city: Ward, region: AR, postal_code: "72176", country: US}
    location: {lat: 35.0301, lon: -91.9507}
"""


def _find(runner: CliRunner, tmp_path: Path, query: str) -> dict[str, Any]:
    data = write(tmp_path / "dc.yaml", DIRECTORY)
    result = invoke(runner, "find", query, "--data", str(data), "--format", "json")
    assert result.exit_code == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def _ids(answer: dict[str, Any]) -> list[str]:
    return [r["id"] for r in answer["results"]]


def test_shelter_ward_8_is_the_ward_not_an_age_near_ward_arkansas(
    runner: CliRunner, tmp_path: Path
) -> None:
    answer = _find(runner, tmp_path, "shelter Ward 8")
    assert answer["origin"]["label"] == "Anacostia, DC, US"
    assert answer["query"]["age"] is None  # 8 is the ward's number
    assert _ids(answer)[0] == "east-of-the-river"
    assert "arkansas-house" not in _ids(answer)  # not the shelter in Ward, AR
    assert any("'Ward 8' taken as Anacostia" in n for n in answer["notes"])


def test_a_county_seat_too_small_for_the_town_list_is_known(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Upper Marlboro (700 people) is a postal town of the ZIP data: a provider
    written with it as its city is placed there, and "near Upper Marlboro" finds it."""
    answer = _find(runner, tmp_path, "shelter near Upper Marlboro")
    assert answer["origin"]["label"] == "Upper Marlboro, MD, US"
    assert _ids(answer)[0] == "county-seat-house"
    answer = _find(runner, tmp_path, "shelter in PG County")
    assert answer["origin"]["label"] == "Prince George's County, MD, US"
    assert _ids(answer)[0] == "county-seat-house"


def test_in_the_bronx_is_a_place(runner: CliRunner, tmp_path: Path) -> None:
    answer = _find(runner, tmp_path, "she's in the bronx needs a bed tonight")
    assert answer["origin"]["label"] in ("The Bronx, NY, US", "Bronx County, NY, US")


def test_independent_cities_and_consolidated_counties(runner: CliRunner) -> None:
    for said, label in [
        ("City of Alexandria", "Alexandria city, VA, US"),
        ("Richmond city, VA", "Richmond city, VA, US"),
        ("City and County of Denver", "Denver County, CO, US"),
        ("Matanuska-Susitna", "Matanuska-Susitna Borough, AK, US"),
    ]:
        result = invoke(runner, "locate", said)
        assert result.exit_code == 0, (said, result.stderr)
        assert result.stdout.startswith(label + " "), (said, result.stdout)


def test_a_part_of_town_named_with_its_town(runner: CliRunner) -> None:
    result = invoke(runner, "locate", "South Side Chicago")
    assert result.stdout.startswith("Chicago, IL, US ")
    assert "South Side of it is not placed more precisely" in result.stdout
    result = invoke(runner, "locate", "Kensington Philly")
    assert result.stdout.startswith("Kensington, PA, US ")
    assert "county: Philadelphia County" in result.stdout


def test_territories_are_the_us_for_a_us_directory() -> None:
    """Puerto Rico is a country of its own (ISO 3166-1 PR, as addresses write it)
    that a US directory prefers like a state: not Puerto Rico, Colombia."""
    place = resolve("Puerto Rico", ["US"]).place
    assert (place.kind, place.country) == ("country", "PR")


def test_divisions_outside_the_us_by_their_own_names() -> None:
    assert resolve("Meurthe-et-Moselle").place.region == "FR-6AE"
    assert resolve("Greater London").place.kind == "county"
    # a division named like its town does not take the town's place
    assert resolve("Tijuana", ["MX"]).place.kind == "city"


def test_a_postal_town_never_takes_the_place_of_a_misspelt_city() -> None:
    """Huston, ID is a postal town of the ZIP data; "Huston" is still Houston, and a
    one-word postal town needs its state."""
    assert resolve("Huston", ["US"]).place.label == "Houston, TX, US"
    assert resolve("Huston, ID", ["US"]).place.label == "Huston, ID, US"
    assert resolve("Upper Marlboro", ["US"]).place.label == "Upper Marlboro, MD, US"
