"""Address-only providers are placed from the offline gazetteer; region and
country codes are checked against its lists (issue 13)."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from referral_cli.geo import addresses
from tests.conftest import invoke, write

ROOT = Path(__file__).resolve().parents[2]


def _guide_example() -> str:
    """The provider of docs/maintainers.md's "Add a provider", exactly as printed there."""
    guide = (ROOT / "docs" / "maintainers.md").read_text("utf-8")
    blocks = [b for _, b in re.findall(r"( *)```yaml\n(.*?)\n\1```", guide, re.S)]
    [block] = [b for b in blocks if "- id: valley-youth-safe-house" in b]
    return "providers:\n" + textwrap.dedent(block) + "\n"


def test_the_guides_example_provider_is_found_near_fresno(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = write(tmp_path / "d.yaml", _guide_example())
    assert "location:" not in path.read_text("utf-8")
    checked = invoke(runner, "validate", str(path))
    assert checked.exit_code == 0 and "nobody can find" not in checked.stdout
    query = "shelter for a 15 year old girl near Fresno"
    result = invoke(runner, "find", query, "--data", str(path), "-f", "json")
    [found] = json.loads(result.stdout)["results"]
    assert found["id"] == "valley-youth-safe-house"
    assert any(r.endswith("km away (approximate)") for r in found["reasons"])
    assert float(found["distance_km"]).is_integer()  # confidential: whole km, as before
    assert "location" not in found and found["placed"] == {
        "from": "city",
        "place": "Fresno, CA, US",
    }
    shown = invoke(runner, "show", "valley-youth-safe-house", "--data", str(path))
    assert "approximately, at the middle of its city (Fresno, CA, US)" in shown.stdout


def _one(tmp_path: Path, address: str, confidential: bool = False) -> Path:
    text = (
        "providers:\n  - id: p\n    name: P Legal\n    services: [legal-aid]\n"
        f'    phone: "+1 559-555-0100"\n    last_verified: 2026-10-01\n    address: {address}\n'
    )
    if confidential:
        text += "    confidential: true\n"
    return write(tmp_path / "d.yaml", text)


@pytest.mark.parametrize(
    ("address", "precision", "place"),
    [
        (
            '{street: 1 Main St, postal_code: "93721", country: US}',
            "postal code",
            "Fresno, CA 93721, US",
        ),
        ("{city: Visalia, region: CA, country: US}", "city", "Visalia, CA, US"),
        ("{city: Visalia}", "city", "Visalia, CA, US"),
        ("{county: Kern County, region: CA, country: US}", "county", "Kern County, CA, US"),
        ("{county: Kern, region: CA, country: US}", "county", "Kern County, CA, US"),
        # a misspelt city, still placed by its county
        (
            "{city: Fresnoo, county: Fresno County, region: CA, country: US}",
            "county",
            "Fresno County, CA, US",
        ),
        # Fresno, TX exists; the region decides
        ("{city: Fresno, region: TX, country: US}", "city", "Fresno, TX, US"),
    ],
)
def test_the_most_precise_part_of_the_address_places_it(
    runner, tmp_path, address, precision, place
) -> None:  # type: ignore[no-untyped-def]
    path = _one(tmp_path, address)
    shown = json.loads(invoke(runner, "show", "p", "--data", str(path), "-f", "json").stdout)
    assert shown["placed"]["from"] == precision and shown["placed"]["place"] == place
    assert "location" not in shown  # an approximate point is not the provider's location


def test_a_confidential_provider_is_never_placed_by_its_postal_code(
    runner: CliRunner, tmp_path: Path
) -> None:
    address = '{street: 9 Hidden Rd, postal_code: "93721", city: Clovis, region: CA, country: US}'
    path = _one(tmp_path, address, confidential=True)
    out = invoke(runner, "find", "legal aid near Clovis", "--data", str(path), "-f", "json").stdout
    [found] = json.loads(out)["results"]
    assert found["placed"] == {"from": "city", "place": "Clovis, CA, US"}  # no point, no ZIP
    assert "93721" not in out and "Hidden" not in out


def test_validate_warns_only_when_no_part_of_the_address_resolves(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = _one(tmp_path, "{city: Nowhereville, region: CA, country: US}")
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 0
    assert (
        "no part of the address (postal code, city, county) is a place the gazetteer knows"
        in result.stdout
    )
    found = invoke(runner, "find", "legal aid near Fresno", "--data", str(path), "-f", "json")
    assert json.loads(found.stdout)["results"] == [] or all(
        r["distance_km"] is None for r in json.loads(found.stdout)["results"]
    )


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("address: {city: Fresno, country: XX}", "unknown country 'XX'"),
        ("address: {city: Fresno, country: UK}", "unknown country 'UK'"),
        ("service_area: {regions: [US-ZZ]}", "unknown region 'US-ZZ' in US; did you mean 'US-AZ'?"),
        ("service_area: {countries: [XX]}", "unknown country 'XX'"),
    ],
)
def test_region_and_country_codes_are_checked_against_the_gazetteer(
    runner, tmp_path, where, message
) -> None:  # type: ignore[no-untyped-def]
    text = (
        "providers:\n  - id: p\n    name: P\n    services: [legal-aid]\n"
        f'    phone: "+1 559-555-0100"\n    location: {{lat: 36.7, lon: -119.7}}\n    {where}\n'
    )
    result = invoke(runner, "validate", str(write(tmp_path / "d.yaml", text)))
    assert result.exit_code == 1 and message in result.stdout


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("ZZ", "unknown region 'ZZ' in US; did you mean 'AZ'?"),
        ("Califronia", "unknown region 'Califronia' in US"),
    ],
)
def test_an_unknown_address_region_is_a_warning_and_the_provider_is_served(
    runner, tmp_path, region, message
) -> None:  # type: ignore[no-untyped-def]
    """A typo in a region costs a warning, never the provider: its point places it."""
    text = (
        "providers:\n  - id: p\n    name: P\n    services: [legal-aid]\n"
        '    phone: "+1 559-555-0100"\n    location: {lat: 36.7, lon: -119.7}\n'
        f"    address: {{city: Fresno, region: {region}, country: US}}\n"
        "    last_verified: 2026-11-01\n"
    )
    path = write(tmp_path / "d.yaml", text)
    checked = invoke(runner, "validate", str(path))
    assert checked.exit_code == 0 and f"warning: {message}" in checked.stdout
    assert invoke(runner, "validate", str(path), "--strict").exit_code == 1
    found = invoke(runner, "find", "legal aid near Fresno", "--data", str(path), "-f", "json")
    assert [r["id"] for r in json.loads(found.stdout)["results"]] == ["p"]


@pytest.mark.parametrize(
    ("region", "country", "code"),
    [
        ("Bagmati", "NP", "NP-P3"),  # Nepal's provinces since 2015
        ("Gandaki Province", "NP", "NP-P4"),
        ("NP-P3", "NP", "NP-P3"),
        ("Ontario", "CA", "CA-ON"),
        ("Jalisco", "MX", "MX-JAL"),
        ("Île-de-France", "FR", "FR-IDF"),
    ],
)
def test_a_region_written_by_its_iso_name_is_accepted(region, country, code) -> None:  # type: ignore[no-untyped-def]
    assert addresses.region_code(region, country) == code


def test_a_kathmandu_provider_with_its_province_by_name_is_valid_and_found(
    runner, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    text = (
        "providers:\n  - id: kathmandu-shelter\n    name: Kathmandu Shelter\n"
        "    services: [temporary-shelter]\n"
        '    phone: "+977 1-4410000"\n    location: {lat: 27.7172, lon: 85.3240}\n'
        "    address: {city: Kathmandu, region: Bagmati, country: NP}\n"
        "    last_verified: 2026-11-01\n"
    )
    path = write(tmp_path / "np.yaml", text)
    checked = invoke(runner, "validate", str(path), "--strict")
    assert checked.exit_code == 0, checked.stdout
    found = invoke(runner, "find", "shelter near Kathmandu", "--data", str(path), "-f", "json")
    assert [r["id"] for r in json.loads(found.stdout)["results"]] == ["kathmandu-shelter"]


@pytest.mark.parametrize("code", ["US-CA", "US-PR", "US-DC", "MX-BCN", "CA-ON"])
def test_real_region_codes_pass(code: str) -> None:
    assert addresses.region_problem(code) is None


@pytest.mark.parametrize(
    ("region", "country", "code"),
    [
        ("CA", "US", "US-CA"),
        ("California", "US", "US-CA"),
        ("BC", "MX", "MX-BCN"),  # as Mexicans write Baja California
        ("Baja California", "MX", "MX-BCN"),
        ("CDMX", "MX", "MX-CMX"),
        ("ON", "CA", "CA-ON"),
        ("ZZ", "US", None),
    ],
)
def test_an_address_region_is_read_as_the_gazetteer_reads_it(region, country, code) -> None:  # type: ignore[no-untyped-def]
    assert addresses.region_code(region, country) == code


def test_a_provider_in_tijuana_bc_is_placed_in_baja_california(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = _one(tmp_path, "{city: Tijuana, region: BC, country: MX}")
    assert invoke(runner, "validate", str(path)).exit_code == 0
    shown = json.loads(invoke(runner, "show", "p", "--data", str(path), "-f", "json").stdout)
    assert shown["placed"]["place"] == "Tijuana, BCN, MX"


def test_names_of_countries_get_their_code_suggested() -> None:
    assert "did you mean 'US'?" in (addresses.country_problem("USA") or "")
    assert "did you mean 'MX'?" in (addresses.country_problem("Mexico") or "")


def test_a_confidential_provider_with_only_a_postal_code_is_told_why(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = _one(tmp_path, '{postal_code: "93721", country: US}', confidential=True)
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 0
    assert "a confidential provider is never placed by its postal code" in result.stdout
    shown = json.loads(invoke(runner, "show", "p", "--data", str(path), "-f", "json").stdout)
    assert "placed" not in shown and "93721" not in json.dumps(shown)


def test_the_shipped_region_table_is_what_the_build_script_makes_of_pycountry() -> None:
    """data/regions.json is generated (scripts/build_regions.py): an upgrade of
    pycountry, or an edit by hand, shows up here."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_regions", Path(__file__).parents[2] / "scripts" / "build_regions.py"
    )
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert json.loads(addresses.REGIONS.read_text("utf-8")) == build.table()
