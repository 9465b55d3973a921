"""Names people say for places ("LA", "PG County", "Ward 8") resolve to the place meant."""

from __future__ import annotations

from dataclasses import replace

import pytest

from referral_cli.geo.gazetteer import aliases
from referral_cli.geo.resolving import resolve


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
