"""Place names as callers say them, read through ``referral find``: a neighbourhood
whose name holds a language ("German Village"), initials written with dots
("T.O."), a short nickname ("sac"), a region then its town ("GTA, Sauga"), and a
neighbourhood named in the answer though measured from its town."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.conftest import found_json, placed_provider, write

US_PROVIDERS = [
    placed_provider(
        "columbus-counselling", "Riverside Counselling", ("Columbus", "OH", "US"),
        (39.9612, -82.9988), "counseling",
    ),
    placed_provider(
        "sacramento-beds", "Capitol River Beds", ("Sacramento", "CA", "US"), (38.5816, -121.4944)
    ),
]  # fmt: skip
CANADIAN_PROVIDERS = [
    placed_provider("toronto-beds", "Lakeshore Beds", ("Toronto", "ON", "CA"), (43.6525, -79.3839)),
    placed_provider(
        "mississauga-beds", "Credit River Beds", ("Mississauga", "ON", "CA"), (43.5890, -79.6441)
    ),
]  # fmt: skip
DIRECTORY = "providers:\n" + "".join(US_PROVIDERS + CANADIAN_PROVIDERS)


def _find(runner: CliRunner, tmp_path: Path, query: str) -> dict[str, Any]:
    return found_json(runner, write(tmp_path / "places.yaml", DIRECTORY), query)


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


def test_a_name_people_use_gives_way_to_a_town_truly_so_named_at_home(
    runner: CliRunner, tmp_path: Path
) -> None:
    toronto_too = _find(runner, tmp_path, "North York, man 35 needs a bed")
    assert toronto_too["origin"]["label"] == "North York, Toronto, ON, CA"
    assert any("also: North York, PA, US" in n for n in toronto_too["notes"])
    data = write(tmp_path / "us.yaml", "providers:\n" + "".join(US_PROVIDERS))
    assert found_json(runner, data, "North York, man 35 needs a bed")["origin"]["label"] == (
        "North York, PA, US"
    )
