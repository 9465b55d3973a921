"""coverage.places: where providers are located, how places are labelled and told apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write
from coverage_directory import DIRECTORY, UNKNOWN, counts, providers_of, write_directory

from referral_cli.coverage.count import count
from referral_cli.directory import load
from referral_cli.records.model import Provider


@pytest.fixture
def providers(tmp_path: Path) -> list[Provider]:
    return providers_of(write_directory(tmp_path))


def test_by_region_city_and_country(providers: list[Provider]) -> None:
    m = count(providers, by="region")
    # regions by their names, not their codes
    assert [(p.label, p.region) for p in m.places] == [
        ("California", "US-CA"),
        ("Nevada", "US-NV"),
    ]
    assert counts(m, "California")["rescue-exit"] == "3+2"  # shelters, dental; legal + hotline
    assert counts(m, "Nevada")["rescue-exit"] == "0+1"
    m = count(providers, by="city")
    assert [p.label for p in m.places] == ["Fresno, CA", "Reno, NV", "Visalia, CA"]
    assert counts(m, "Fresno, CA")["restoration"] == "3+1"  # counselling, jobs, dental; legal
    m = count(providers, by="country")
    assert [p.label for p in m.places] == ["US"]
    assert counts(m, "US")["rescue-exit"] == "3+2"  # a statewide line reaches part of the US


def test_same_county_name_in_two_states_is_told_apart(tmp_path: Path) -> None:
    text = DIRECTORY + (
        "  - id: orange-ca\n    name: Orange CA\n    services: [outreach]\n"
        '    phone: "+1 714-555-0100"\n    last_verified: 2026-10-01\n'
        "    address: {city: Anaheim, county: Orange County, region: CA, country: US}\n"
        "  - id: orange-fl\n    name: Orange FL\n    services: [outreach]\n"
        '    phone: "+1 407-555-0100"\n    last_verified: 2026-10-01\n'
        "    address: {city: Orlando, county: Orange County, region: FL, country: US}\n"
    )
    providers = load(write(tmp_path / "d.yaml", text), use_cache=False).providers
    m = count(providers)
    labels = [p.label for p in m.places]
    assert "Orange County, CA" in labels and "Orange County, FL" in labels
    assert m.cell("rescue-exit", "Orange County, CA").remote_ids == ("ca-legal-line", "us-hotline")
    assert m.cell("rescue-exit", "Orange County, FL").remote_ids == ("us-hotline",)


def test_unknown_place_is_told_apart_by_what_the_address_gives(tmp_path: Path) -> None:
    text = DIRECTORY + (
        "  - id: no-address\n    name: No Address\n    services: [mentoring]\n"
        '    phone: "+1 559-555-0199"\n    last_verified: 2026-10-01\n'
        "    location: {lat: 36.7, lon: -119.7}\n"
        "  - id: tijuana\n    name: Tijuana\n    services: [mentoring]\n"
        '    phone: "+52 664 555 0100"\n    last_verified: 2026-10-01\n'
        "    address: {city: Tijuana, region: BC, country: MX}\n"
    )
    providers = load(write(tmp_path / "d.yaml", text), use_cache=False).providers
    m = count(providers)
    assert [p.label for p in m.places][-3:] == ["(unknown)", "Baja California, MX", UNKNOWN]
    # Nothing known of where "(unknown)" is: no remote service is assumed to reach it.
    assert m.cell("restoration", "(unknown)").text == "1"
    mexico = m.cell("rescue-exit", "Baja California, MX")
    assert mexico.text == "--"  # neither the California line nor the US hotline reach it
