"""Services with no location of their own, through ``referral import-hsds`` and
``referral find "... near X"``: placed at their organisation's only location, in
the town all its locations share, in the town their service area names, or marked
phone/online when their location is virtual; counted in the import report. A
confidential service never borrows a street or a point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from referral_cli.hsds import placing

from .helpers import providers_of, run, write_package

PUBLIC_STREET = "500 Public Ave"


def _address(lid: str, street: str, city: str, postal: str) -> dict[str, str]:
    return {
        "id": f"a{lid}",
        "location_id": lid,
        "address_1": street,
        "city": city,
        "state_province": "FL",
        "postal_code": postal,
        "country": "US",
    }


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("placing")
    services = [  # id, organisation, name, description, term, own location
        ("intake", "o1", "Family shelter intake", "Call to enter a family shelter.", "BH-1800", ""),
        ("office", "o1", "Family office", "Rent help.", "BR", "l1"),
        ("crisis", "o2", "Crisis line", "Call any time.", "RP-1500.1400", ""),
        ("area", "o3", "Homestead helpline", "Help by phone.", "RP-1500.1400", ""),
        ("online", "o3", "Online counselling", "Counselling by video.", "R", "l4"),
        (
            "safe",
            "o4",
            "Safe house",
            "Emergency shelter for survivors of human trafficking.",
            "BH-1800",
            "",
        ),
        ("pantry", "o4", "Food pantry", "Groceries.", "BD", "l5"),
        ("nowhere", "o5", "Lost service", "Rent help.", "BR", ""),
        # a location of its own that says nothing of where it is
        ("hidden", "o6", "Hidden shelter", "Emergency shelter.", "BH-1800", "l6"),
    ]
    pkg = write_package(
        folder / "pkg",
        {
            "organizations": [{"id": f"o{i}", "name": f"Org {i}"} for i in range(1, 7)],
            "services": [
                {"id": sid, "organization_id": oid, "name": name, "description": desc}
                for sid, oid, name, desc, _, _ in services
            ],
            "locations": [
                {"id": "l1", "organization_id": "o1", "latitude": "25.77", "longitude": "-80.19"},
                {"id": "l2", "organization_id": "o1", "latitude": "25.80", "longitude": "-80.21"},
                {"id": "l3", "organization_id": "o2", "latitude": "25.86", "longitude": "-80.28"},
                {"id": "l4", "organization_id": "o3", "location_type": "virtual"},
                {"id": "l5", "organization_id": "o4", "latitude": "25.70", "longitude": "-80.30"},
                {"id": "l6", "organization_id": "o6", "name": "Confidential location"},
            ],
            "services_at_location": [
                {"id": f"x{sid}", "service_id": sid, "location_id": lid}
                for sid, _, _, _, _, lid in services
                if lid
            ],
            "physical_addresses": [
                _address("l1", "1 First St", "Miami", "33130"),
                _address("l2", "2 Second St", "Miami", "33135"),
                _address("l3", "3 Third St", "Hialeah", "33010"),
                _address("l5", PUBLIC_STREET, "Miami", "33143"),
            ],
            "service_areas": [
                {"id": "sa1", "service_id": "area", "name": "Homestead"},
                {"id": "sa2", "service_id": "hidden", "name": "Miami-Dade County, FL"},
            ],
            "phones": [
                {"id": f"p{sid}", "service_id": sid, "number": "305-555-0100"}
                for sid, *_ in services
            ],
            "taxonomy": [{"id": code, "name": code} for code in {s[4] for s in services}],
            "services_taxonomy": [
                {"id": f"t{sid}", "service_id": sid, "taxonomy_id": code}
                for sid, _, _, _, code, _ in services
            ],
        },
    )
    out = folder / "out.yaml"
    report = folder / "report.json"
    result = run("import-hsds", str(pkg), "--output", str(out), "--report", str(report))
    assert result.exit_code == 0, result.output
    return out, json.loads(report.read_text("utf-8"))


def _by_hsds_id(out: Path) -> dict[str, dict[str, Any]]:
    return {str(p["x-hsds-id"]): p for p in providers_of(out).values()}


def _found(out: Path, text: str) -> list[dict[str, Any]]:
    result = run("find", text, "--data", str(out), "--format", "json", "--limit", "20")
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout)["results"])


def test_the_report_counts_each_way_a_service_was_placed(
    imported: tuple[Path, dict[str, Any]],
) -> None:
    assert imported[1]["placed_without_own_location"] == {
        placing.ORG_TOWN: 1,
        placing.ORG_LOCATION: 2,  # the crisis line and the safe house
        placing.AREA: 2,  # the helpline and the hidden shelter
        placing.REMOTE: 1,
    }


def test_a_family_shelter_intake_is_found_near_its_organisations_town(
    imported: tuple[Path, dict[str, Any]],
) -> None:
    out, _ = imported
    intake = _by_hsds_id(out)["intake"]
    assert intake["address"] == {"city": "Miami", "region": "FL", "country": "US"}
    assert "location" not in intake  # no street, no point of its own: the town's
    names = [r["name"] for r in _found(out, "family shelter near Miami")]
    assert "Family shelter intake" in names


def test_a_line_is_found_near_its_organisations_place_or_its_service_area(
    imported: tuple[Path, dict[str, Any]],
) -> None:
    out, _ = imported
    assert "Crisis line" in [r["name"] for r in _found(out, "crisis line near Hialeah")]
    area = _by_hsds_id(out)["area"]
    assert area["address"]["city"] == "Homestead"
    assert "Homestead helpline" in [r["name"] for r in _found(out, "crisis line near Homestead")]


def test_a_virtual_location_is_phone_or_online(imported: tuple[Path, dict[str, Any]]) -> None:
    out, _ = imported
    online = _by_hsds_id(out)["online"]
    assert online["service_area"] == {"remote": True}
    results = {r["name"]: r for r in _found(out, "counselling near Homestead")}
    assert "Online counselling" in results


def test_a_confidential_service_never_borrows_a_street(
    imported: tuple[Path, dict[str, Any]],
) -> None:
    out, report = imported
    safe = _by_hsds_id(out)["safe"]
    assert safe.get("confidential") is True
    assert "street" not in safe.get("address", {}) and "postal_code" not in safe.get("address", {})
    assert "location" not in safe
    assert PUBLIC_STREET not in json.dumps(safe)
    found = run("find", "shelter near Miami", "--data", str(out))
    assert found.exit_code == 0, found.output
    assert "Safe house" in found.output and PUBLIC_STREET not in found.output
    assert "safe-house" in {r["id"] for r in report["review"]}


def test_a_service_nothing_places_is_not_placed(imported: tuple[Path, dict[str, Any]]) -> None:
    lost = _by_hsds_id(imported[0])["nowhere"]
    assert "address" not in lost and "location" not in lost


def test_a_location_that_says_nowhere_is_placed_by_the_service_area(
    imported: tuple[Path, dict[str, Any]],
) -> None:
    """A location with neither address nor point places nothing: the service is
    placed in the county its service area names, its state said after it or not."""
    out, _ = imported
    hidden = _by_hsds_id(out)["hidden"]
    assert hidden["address"] == {"county": "Miami-Dade County", "region": "FL", "country": "US"}
    assert "Hidden shelter" in [r["name"] for r in _found(out, "shelter near Hialeah")]
