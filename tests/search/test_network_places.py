"""A place name read as the network means it, through ``referral find`` and
``referral locate``: the directory is the network's own, so a name that matches a
place inside its providers' area is the one meant, and a name no one knows, said
in a local network's directory, is measured from the network's town, said."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from referral_cli.directory import open_directory
from referral_cli.geo.place import Place
from referral_cli.search.network_places import served
from tests.conftest import found_json, invoke, placed_provider, write

SEATTLE = "providers:\n" + "".join(
    [
        placed_provider(
            "elliott", "Elliott Bay Shelter", ("Seattle", "WA", "US"), (47.6097, -122.3331)
        ),
        placed_provider(
            "pike", "Capitol Hill Youth Shelter", ("Seattle", "WA", "US"), (47.6230, -122.3190)
        ),
        placed_provider(
            "lincoln", "Lincoln Street Shelter", ("Seattle", "WA", "US"), (47.6000, -122.3200)
        ),
    ]
)
# providers only in Calgary: of the Capitol Hills, the one in Calgary is served
CALGARY = "providers:\n" + "".join(
    [
        placed_provider("bow", "Bow River Shelter", ("Calgary", "AB", "CA"), (51.0447, -114.0719)),
        placed_provider(
            "nose", "Nose Creek Shelter", ("Calgary", "AB", "CA"), (51.0900, -114.0500)
        ),
    ]
)
# two networks' worth of providers, 2,000 km apart: no one town
SPREAD = SEATTLE + "".join(
    [placed_provider("baltimore", "Harbor Shelter", ("Baltimore", "MD", "US"), (39.2904, -76.6122))]
)


@pytest.fixture
def seattle(tmp_path: Path) -> Path:
    return write(tmp_path / "seattle.yaml", SEATTLE)


def test_a_name_the_providers_write_is_their_place_not_a_far_one(
    runner: CliRunner, seattle: Path
) -> None:
    answer = found_json(runner, seattle, "Capitol Hill, 19F needs shelter")
    assert answer["origin"]["label"] == "Capitol Hill, Seattle, WA, US"
    note = next(n for n in answer["notes"] if "as this directory's providers name it" in n)
    assert "Capitol Hill, DC" in note  # the others are said
    # measured from the town, never from the provider whose name it is
    assert (answer["origin"]["lat"], answer["origin"]["lon"]) != (47.6230, -122.3190)


def test_locate_reads_the_name_as_find_does(runner: CliRunner, seattle: Path) -> None:
    result = invoke(runner, "locate", "Capitol Hill", "--data", str(seattle))
    assert result.stdout.startswith("Capitol Hill, Seattle, WA, US")


@pytest.mark.parametrize(
    ("said", "place"),
    [
        ("Capitol Hill, DC, 19F needs shelter", "Capitol Hill, DC, US"),  # the state was said
        ("Lincoln, man 40 needs shelter", "Lincoln, NE, US"),  # a big city, whatever the names
    ],
)
def test_what_was_asked_stands_whatever_the_providers_are_called(
    runner: CliRunner, seattle: Path, said: str, place: str
) -> None:
    assert found_json(runner, seattle, said)["origin"]["label"] == place


def test_a_place_of_the_name_near_the_providers_is_taken_over_a_far_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    calgary = write(tmp_path / "calgary.yaml", CALGARY)
    answer = found_json(runner, calgary, "Capitol Hill, woman 30 needs shelter")
    assert answer["origin"]["label"] == "Capitol Hill, AB, CA"
    assert any("where this directory's providers are" in n for n in answer["notes"])


UNKNOWN = "woman 30 needs shelter, she is around Blorpton Flats"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (UNKNOWN, "Blorpton Flats"),
        # an unknown word after it, and a last word that also names a region abroad
        # ("North" of Cameroon): the same answer
        (UNKNOWN + " zorblat", "Blorpton Flats"),
        ("woman 30 needs shelter, she is around Blorpton North", "Blorpton North"),
        ("woman 30 needs shelter, she is around Blorpton North zorblat", "Blorpton North"),
    ],
)
def test_an_unknown_name_in_a_local_directory_is_measured_from_its_town(
    runner: CliRunner, seattle: Path, text: str, name: str
) -> None:
    answer = found_json(runner, seattle, text)
    assert answer["origin"]["label"] == "Seattle, WA, US"
    note = next(n for n in answer["notes"] if name in n)
    assert "give a ZIP code" in note and "all lie around Seattle, WA, US" in note
    assert answer["results"]


@pytest.mark.parametrize(
    ("directory", "args"),
    [
        (SPREAD, (UNKNOWN,)),  # no one town: the name may be anywhere
        (SEATTLE, ("shelter", "--near", "Blorpton Flats")),  # --near stays an error for scripts
    ],
)
def test_an_unknown_name_stays_an_error_otherwise(
    runner: CliRunner, tmp_path: Path, directory: str, args: tuple[str, ...]
) -> None:
    data = write(tmp_path / "directory.yaml", directory)
    result = invoke(runner, "find", *args, "--data", str(data), "--format", "json")
    assert result.exit_code == 1 and "unknown place 'Blorpton Flats'" in result.stderr


CONROE = "providers:\n" + "".join(
    [
        placed_provider("conroe", "Conroe Legal Aid", ("Conroe", "TX", "US"), (30.3119, -95.4561)),
        placed_provider("katy", "Katy Shelter", ("Katy", "TX", "US"), (29.7858, -95.8245)),
    ]
)


# providers around Dupont Circle, Washington: "Dupont" is its short name here
WASHINGTON = "providers:\n" + "".join(
    [
        placed_provider(
            "circle", "Circle Women's Shelter", ("Washington", "DC", "US"), (38.9100, -77.0430)
        ),
        placed_provider(
            "logan", "Logan Street Shelter", ("Washington", "DC", "US"), (38.9090, -77.0300)
        ),
    ]
)


def test_a_county_of_many_states_is_the_one_the_providers_are_in(
    runner: CliRunner, tmp_path: Path
) -> None:
    """ "montgomery county" said in a Houston-area directory: Montgomery County, TX,
    not the largest of eighteen (Maryland's), 2,000 km from every provider."""
    directory = write(tmp_path / "conroe.yaml", CONROE)
    answer = found_json(runner, directory, "needs shelter, montgomery county")
    assert answer["origin"]["label"] == "Montgomery County, TX, US"
    assert any("Montgomery County, MD" in n for n in answer["notes"])  # the others said
    asked = found_json(runner, directory, "needs shelter, Montgomery County, MD")
    assert asked["origin"]["label"] == "Montgomery County, MD, US"  # what was asked stands


@pytest.mark.parametrize(
    "said",
    [
        "woman 25 needs shelter, Dupont",
        "woman 25 needs shelter near Dupont",
        "Dupont, woman 25 needs shelter",  # first, where a short word may be a name
    ],
)
def test_a_places_short_name_near_the_providers_is_that_place(
    runner: CliRunner, tmp_path: Path, said: str
) -> None:
    """Not DuPont, WA, 3,800 km away: the place of this network named "Dupont" and
    one word more, said with the others."""
    answer = found_json(runner, write(tmp_path / "dc.yaml", WASHINGTON), said)
    assert answer["origin"]["label"] == "Dupont Circle, DC, US"
    assert any("DuPont, WA" in n for n in answer["notes"])
    assert "dupont" not in answer["query"]["terms"]


def test_a_first_word_that_names_no_place_of_the_network_stays_a_word(
    runner: CliRunner, tmp_path: Path
) -> None:
    """ "Maria, 16": a name, as no town so named lies where the providers are."""
    answer = found_json(runner, write(tmp_path / "dc.yaml", WASHINGTON), "Maria, 16, needs shelter")
    assert answer["origin"] is None
    assert answer["query"]["terms"] == ["maria"]


def test_a_first_word_the_providers_write_as_their_name_is_looked_up(
    runner: CliRunner, tmp_path: Path
) -> None:
    """ "Alpha" is how Alpha House is looked up, not a place of that name its
    providers' words make (nor Alpha, NJ)."""
    alpha = placed_provider("alpha", "Alpha House", ("Washington", "DC", "US"), (38.9, -77.04))
    answer = found_json(runner, write(tmp_path / "dc.yaml", WASHINGTON + alpha), "Alpha")
    assert answer["origin"] is None
    assert [r["id"] for r in answer["results"]] == ["alpha"]


@pytest.mark.parametrize(
    ("point", "within"),
    [
        ((38.9100, -77.0430), True),  # near the place: found in the inscribed square
        ((38.9100 + 0.40, -77.0430 + 0.52), False),  # in the box's corner, 63 km away
        ((38.9100 + 0.40, -77.0430), True),  # outside the square, inside the circle
    ],
)
def test_a_provider_within_reach_is_found_by_the_square_or_the_circle(
    tmp_path: Path, point: tuple[float, float], within: bool
) -> None:
    """Whether the network serves a place: one provider in the square inside the
    circle answers at once, and the circle's distances decide the rest (a provider in
    the corner of the box around the circle is out of reach)."""
    data = write(
        tmp_path / "one.yaml",
        "providers:\n" + placed_provider("one", "One Shelter", ("Washington", "DC", "US"), point),
    )
    directory = open_directory(str(data), None)
    place = Place("Dupont Circle, DC, US", 38.9100, -77.0430, "city", "US", "DC")
    assert served(directory, place) is within


# a Houston network: a pantry that works "in the East End", a home named a Home
HOUSTON = "providers:\n" + "".join(
    [
        placed_provider(
            "east", "Magnolia Park Pantry - East End", ("Houston", "TX", "US"), (29.735, -95.31)
        ),
        placed_provider(
            "maternity", "Canton Maternity Home", ("Houston", "TX", "US"), (29.76, -95.36)
        ),
        placed_provider(
            "trafficking", "Houston Trafficking Shelter", ("Houston", "TX", "US"), (29.75, -95.37)
        ),
    ]
)


@pytest.mark.parametrize(
    ("said", "label"),
    [
        ("woman needs shelter in the east end", "East End, Houston, TX, US"),
        ("woman needs shelter east end", "East End, Houston, TX, US"),
        ("woman w/ 3 kids needs shelter 3rd ward", "Third Ward, Houston, TX, US"),
    ],
)
def test_a_lowercase_neighbourhood_of_the_network_is_the_place(
    runner: CliRunner, tmp_path: Path, said: str, label: str
) -> None:
    """A neighbourhood typed in lowercase, as a volunteer types it, is the place when
    it names one where the providers are: by the gazetteer, or as the providers
    write it as a place ("... - East End"). Said in a note."""
    answer = found_json(runner, write(tmp_path / "houston.yaml", HOUSTON), said)
    assert answer["origin"]["label"] == label
    assert any("read as the place" in n for n in answer["notes"])
    assert not {"east", "end", "3rd", "ward"} & set(answer["query"]["terms"])


@pytest.mark.parametrize(
    "said",
    [
        "she just wants to go home",  # "Canton Maternity Home": a word of a name
        "woman needs shelter, trafficking",  # "Houston Trafficking Shelter" likewise
        "woman needs shelter, she has no hope",  # Hope, AR is 500 km from every provider
        "woman needs shelter, zorblat",
    ],
)
def test_a_lowercase_word_that_is_no_place_of_the_network_stays_a_word(
    runner: CliRunner, tmp_path: Path, said: str
) -> None:
    answer = found_json(runner, write(tmp_path / "houston.yaml", HOUSTON), said)
    assert answer["origin"] is None
    assert not any("read as the place" in n for n in answer["notes"])


PHOENIX = "providers:\n" + "".join(
    [
        placed_provider("vsrm", "Valley Men's Shelter", ("Phoenix", "AZ", "US"), (33.45, -112.07)),
        placed_provider("tempe", "Tempe Youth Shelter", ("Tempe", "AZ", "US"), (33.42, -111.94)),
    ]
)


@pytest.mark.parametrize(
    ("said", "label"),
    [
        # small towns of that name in other states: parts of the network's town
        ("man needs shelter in Sunnyslope", "Phoenix, AZ, US"),
        ("man needs shelter near downtown", "Phoenix, AZ, US"),
        # what was asked stands: a state said, a big city, a town of the same state
        ("man needs shelter in Sunnyslope, CA", "Sunnyslope, CA, US"),
        ("man needs shelter in Dallas", "Dallas, TX, US"),
        ("man needs shelter in Flagstaff", "Flagstaff, AZ, US"),
    ],
)
def test_a_small_town_of_another_state_is_a_part_of_the_networks_town(
    runner: CliRunner, tmp_path: Path, said: str, label: str
) -> None:
    answer = found_json(runner, write(tmp_path / "phoenix.yaml", PHOENIX), said)
    assert answer["origin"]["label"] == label
