"""Confidentiality is decided per place on import: a sibling service at a
survivor shelter's location, street or point is imported private too, and the
survivor-shelter detector reads English, Spanish and the usual short forms."""

from __future__ import annotations

import json
from pathlib import Path

from .helpers import providers_of, run, write_package

STREET = "1234 Hidden Oak Street"


def _package(folder: Path) -> Path:
    services = [
        ("s1", "l1", "DV Shelter", "Emergency shelter for family violence survivors."),
        ("s2", "l1", "Emergency shelter beds", "Beds for the night."),
        ("s3", "l2", "Food pantry", "Groceries on Fridays."),
        ("s4", "l3", "Refugio Esperanza", "Refugio para víctimas de violencia doméstica y trata de personas."),
        ("s5", "l4", "Casa Luz", "A safe house for women fleeing abuse and exploitation."),
        ("s6", "l5", "Job training", "Resume help and job search."),
    ]  # fmt: skip
    points = {
        "l1": ("25.800000", "-80.200000", STREET, "33130"),
        "l2": ("25.800200", "-80.200100", "1240 Hidden Oak St", "33130"),  # 24 m away
        "l3": ("25.900000", "-80.300000", "9 Palm Ave", "33150"),
        "l4": ("26.000000", "-80.100000", "77 Bay Rd", "33160"),
        "l5": ("25.700000", "-80.250000", "400 Main St", "33133"),
    }
    return write_package(
        folder,
        {
            "organizations": [{"id": "o1", "name": "Harbor Network"}],
            "services": [
                {"id": sid, "organization_id": "o1", "name": name, "description": desc}
                for sid, _, name, desc in services
            ],
            "locations": [
                {"id": lid, "organization_id": "o1", "name": lid, "latitude": lat, "longitude": lon}
                for lid, (lat, lon, _, _) in points.items()
            ],
            "services_at_location": [
                {"id": f"x{sid}", "service_id": sid, "location_id": lid}
                for sid, lid, _, _ in services
            ],
            "physical_addresses": [
                {
                    "id": f"a{lid}",
                    "location_id": lid,
                    "address_1": street,
                    "city": "Miami",
                    "state_province": "FL",
                    "postal_code": postal,
                    "country": "US",
                }
                for lid, (_, _, street, postal) in points.items()
            ],
            "phones": [
                {"id": f"p{sid}", "service_id": sid, "number": "305-555-0123"}
                for sid, _, _, _ in services
            ],
        },
    )


def test_a_sibling_at_a_shelters_place_is_imported_confidential(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    result = run("import-hsds", str(_package(tmp_path / "pkg")), "--output", str(out))
    assert result.exit_code == 0, result.output
    providers = {p["name"]: p for p in providers_of(out).values()}
    for name in ("DV Shelter", "Emergency shelter beds", "Food pantry"):
        assert providers[name].get("confidential") is True, name
    for name in ("Refugio Esperanza", "Casa Luz"):  # Spanish; "safe house … fleeing abuse"
        assert providers[name].get("confidential") is True, name
    assert not providers["Job training"].get("confidential")
    found = run("find", "--data", str(out), "--format", "json", "shelter near Miami")
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)["results"]
    for text in (found.stdout, run("find", "--data", str(out), "shelter near Miami").output):
        assert "Hidden Oak" not in text
        assert "1240" not in text and "1234" not in text
        assert "25.8002" not in text and "-80.2001" not in text
