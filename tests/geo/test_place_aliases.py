"""Names people say for places ("LA", "PG County", "Ward 8") resolve to the place meant."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from referral_cli.geo.gazetteer import aliases
from referral_cli.geo.resolving import resolve
from referral_cli.query.parser import parse
from tests.conftest import invoke


def test_every_alias_resolves_to_its_place() -> None:
    for alias, place in aliases().items():
        country = place.split(",")[2].strip() if place.count(",") == 2 else "US"
        res = resolve(alias, [country])
        assert res.place.country == country, (alias, place, res.place.label)
        town = resolve(place, [country]).place
        # a neighbourhood keeps its own name before its town's, at the town's point
        assert replace(res.place, label=town.label) == town, (alias, res.place.label)
        assert res.place.label.endswith(town.label)


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("LA", "Los Angeles, CA"),
        ("SF", "San Francisco, CA"),
        ("NYC", "New York City, NY"),
        ("DC", "District of Columbia"),
        ("PG County", "Prince George's County, MD"),
        ("NoVA", "Fairfax County, VA"),
        ("Southeast DC", "Anacostia, DC"),
        ("Ward 8", "Anacostia, DC"),
    ],
)
def test_local_names(said: str, meant: str) -> None:
    res = resolve(said, ["US"])
    assert res.place.label.startswith(meant)
    assert any("a name people use for it" in n for n in res.notes)  # the volunteer is told


def test_a_name_the_gazetteer_knows_is_not_taken_over() -> None:
    assert resolve("Fresno", ["US"]).place.label.startswith("Fresno, CA")


def test_a_neighbourhood_named_after_a_country_is_not_the_country() -> None:
    """ "Little Italy, man 30": a neighbourhood's name (which the offline data may not
    know), never Italy, whose answer would be nothing near."""
    q = parse("Little Italy, man 30, needs a bed", prefer_countries=("US",))
    assert q.place != "Italy" and q.place != "Little Italy Italy", q.place
    assert parse("man from Italy needs a bed in Fresno", prefer_countries=("US",)).place == "Fresno"


def test_little_haiti_is_in_miami(runner: CliRunner) -> None:
    out = invoke(runner, "find", "Little Haiti, boy 14, needs a shelter", "--format", "json")
    assert json.loads(out.stdout)["origin"]["label"].startswith("Little Haiti, Miami, FL")
