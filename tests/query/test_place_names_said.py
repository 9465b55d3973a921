"""Place names as callers say them, read through ``referral find``: a neighbourhood
whose name holds a language ("German Village"), initials written with dots
("T.O."), a short nickname ("sac"), a region then its town ("GTA, Sauga"), and a
neighbourhood named in the answer though measured from its town."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.conftest import invoke, write

DIRECTORY = """\
providers:
  - id: columbus-counselling
    name: Riverside Counselling
    services: [counseling]
    phone: "+1 614-555-0100"
    last_verified: 2026-10-01
    address: {street: 1 High St, city: Columbus, region: OH, postal_code: "43215", country: US}
    location: {lat: 39.9612, lon: -82.9988}
  - id: berlin-counselling
    name: Spree Beratung
    services: [counseling]
    languages: [de]
    phone: "+49 30 5550100"
    last_verified: 2026-10-01
    address: {street: 1 Unter den Linden, city: Berlin, country: DE}
    location: {lat: 52.5170, lon: 13.3889}
  - id: toronto-beds
    name: Lakeshore Beds
    services: [temporary-shelter]
    phone: "+1 416-555-0100"
    last_verified: 2026-10-01
    address: {street: 1 Queen St W, city: Toronto, region: "ON", postal_code: "M5H 2N2", country: CA}
    location: {lat: 43.6525, lon: -79.3839}
  - id: mississauga-beds
    name: Credit River Beds
    services: [temporary-shelter]
    phone: "+1 905-555-0100"
    last_verified: 2026-10-01
    address: {street: 1 Hurontario St, city: Mississauga, region: "ON", country: CA}
    location: {lat: 43.5890, lon: -79.6441}
  - id: sacramento-beds
    name: Capitol River Beds
    services: [temporary-shelter]
    phone: "+1 916-555-0100"
    last_verified: 2026-10-01
    address: {street: 1 J St, city: Sacramento, region: CA, postal_code: "95814", country: US}
    location: {lat: 38.5816, lon: -121.4944}
"""


def _find(runner: CliRunner, tmp_path: Path, query: str) -> dict[str, Any]:
    data = write(tmp_path / "places.yaml", DIRECTORY)
    result = invoke(runner, "find", query, "--data", str(data), "--format", "json")
    assert result.exit_code == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def test_a_neighbourhood_named_after_a_language_is_the_place_not_the_language(
    runner: CliRunner, tmp_path: Path
) -> None:
    answer = _find(runner, tmp_path, "German Village, therapy for her, she's 30")
    assert answer["origin"]["label"] == "German Village, Columbus, OH, US"
    assert answer["query"]["languages"] == []  # nobody said she speaks German
    assert answer["results"][0]["id"] == "columbus-counselling"


def test_the_language_said_as_one_stays_a_language(runner: CliRunner, tmp_path: Path) -> None:
    answer = _find(runner, tmp_path, "she speaks German, needs therapy, Columbus")
    assert answer["query"]["languages"] == ["de"]
    assert answer["origin"]["label"].startswith("Columbus, OH")


def test_initials_written_with_dots_name_the_city(runner: CliRunner, tmp_path: Path) -> None:
    answer = _find(runner, tmp_path, "T.O., 25 y/o man needs a bed")
    assert answer["origin"]["label"] == "Toronto, ON, CA"
    assert answer["results"][0]["id"] == "toronto-beds"


def test_the_little_word_the_initials_spell_is_no_place(runner: CliRunner, tmp_path: Path) -> None:
    answer = _find(runner, tmp_path, "man 25 needs a bed, wants to go to a shelter")
    assert answer["origin"] is None


def test_sac_is_sacramento(runner: CliRunner, tmp_path: Path) -> None:
    answer = _find(runner, tmp_path, "sac, 17F, needs shelter")
    assert answer["origin"]["label"].startswith("Sacramento, CA")
    assert answer["results"][0]["id"] == "sacramento-beds"


def test_a_region_then_its_town_is_the_town(runner: CliRunner, tmp_path: Path) -> None:
    answer = _find(runner, tmp_path, "GTA, Sauga, man 35, needs a place to stay")
    assert answer["origin"]["label"] == "Mississauga, ON, CA"
    assert answer["results"][0]["id"] == "mississauga-beds"


def test_a_neighbourhood_is_named_and_measured_from_its_town(
    runner: CliRunner, tmp_path: Path
) -> None:
    answer = _find(runner, tmp_path, "Short North, woman needs counselling")
    columbus = _find(runner, tmp_path, "Columbus, woman needs counselling")["origin"]
    assert answer["origin"]["label"] == "Short North, Columbus, OH, US"
    assert (answer["origin"]["lat"], answer["origin"]["lon"]) == (columbus["lat"], columbus["lon"])
    assert any("distances are from the town's centre" in n for n in answer["notes"])
