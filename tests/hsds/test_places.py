"""referral_cli.hsds.places: withheld addresses and the reach of phone services."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from referral_cli.directory import load
from referral_cli.geo.place import Origin
from referral_cli.hsds.importer import import_hsds
from referral_cli.hsds.places import guess_reach
from referral_cli.query.parser import parse
from referral_cli.search import rules

from .helpers import OHANA, errors_of, write_package


def test_an_address_the_source_withholds_becomes_confidential(tmp_path: Path) -> None:
    pkg = write_package(
        tmp_path / "pkg",
        {
            "services": [
                {"id": "s1", "name": "Keys Safe House", "description": "Shelter."},
                {"id": "s2", "name": "Keys Outreach", "description": "Street outreach."},
            ],
            "locations": [
                {"id": "l1", "name": "A", "latitude": "24.71", "longitude": "-81.09"},
                {"id": "l2", "name": "B", "latitude": "24.72", "longitude": "-81.08"},
            ],
            "services_at_location": [
                {"id": "x1", "service_id": "s1", "location_id": "l1"},
                {"id": "x2", "service_id": "s2", "location_id": "l2"},
            ],
            "physical_addresses": [
                {
                    "location_id": "l1",
                    "address_1": "Confidential",
                    "city": "Marathon",
                    "state_province": "FL",
                    "postal_code": "33050",
                },
                {
                    "location_id": "l2",
                    "address_1": "Undisclosed location",
                    "city": "Marathon",
                    "state_province": "FL",
                    "postal_code": "33050",
                },
            ],  # fmt: skip
            "phones": [{"id": "p1", "service_id": "s1", "number": "305-555-0199"}],
        },
    )
    data, _ = import_hsds(pkg)
    doc = {p["id"]: p for p in yaml.safe_load(data)["providers"]}
    shelter = doc["keys-safe-house"]
    assert shelter["confidential"] is True
    assert shelter["address"] == {"city": "Marathon", "region": "FL", "country": "US"}
    outreach = doc["keys-outreach"]  # no phone: it cannot be confidential, so no place at all
    assert "confidential" not in outreach and "location" not in outreach
    assert "street" not in outreach["address"]
    out = tmp_path / "o.yaml"
    out.write_bytes(data)
    assert errors_of(out) == []


REDWOOD_CITY = (37.4852, -122.2364)


def _reach(**kw: Any) -> dict[str, object] | None:
    args: dict[str, Any] = {
        "name": "HELPLINE",
        "description": "",
        "services": ["hotline"],
        "phone": "+1 305-555-0100",
        "street": "1 Main St",
        "country": "US",
        "region": "FL",
        "home_region": "FL",
    }
    args.update(kw)
    found = guess_reach(**args)
    return None if found is None else found[0]


def test_reach_from_the_way_real_hotlines_describe_themselves() -> None:
    national = {"countries": ["US"], "remote": True}
    statewide = {"regions": ["US-FL"], "remote": True}
    text = "a national, toll-free hotline, available from anywhere in the United States"
    assert _reach(description=text) == national
    assert _reach(name="NATIONAL RUNAWAY SAFELINE", phone="+1 800-786-2929") == national
    assert _reach(description="Statewide hotline for HIV questions") == statewide
    # toll-free and no street: statewide at home, national when listed from elsewhere
    assert _reach(phone="+1 888-540-5437", street="PO Box 12") == statewide
    assert _reach(phone="+1 866-488-7386", street=None, region="CA") == national
    # a local line with a street stays local; a non-phone service is never guessed
    assert _reach() is None
    assert _reach(services=["childcare"], description="funded statewide") is None


def test_san_mateo_food_pantry_is_found_near_redwood_city(tmp_path: Path) -> None:
    data, report = import_hsds(OHANA)
    terms = {t["term"] for t in report.as_dict()["unmapped_terms"]}
    assert "keyword: Food Pantries" not in terms  # mapped through "food pantry"
    assert terms  # what did not map is reported, with counts
    out = tmp_path / "smc.yaml"
    out.write_bytes(data)
    directory = load(out, use_cache=False)
    origin = Origin("Redwood City", *REDWOOD_CITY, country="US", region="US-CA")
    found = rules.search(directory.providers, parse("food"), origin=origin, radius_km=50, limit=10)
    ids = [r.provider.id for r in found.results]
    # "Food Pantries", 0.8 km away: the nearest; its primary type is shelter, so
    # services whose primary type is food support rank before it (PRIMARY_SCORE)
    corps = next(r for r in found.results if r.provider.id == "redwood-city-corps")
    assert corps.distance_km is not None and corps.distance_km < 1
    assert all(r.distance_km is None or corps.distance_km <= r.distance_km for r in found.results)
    # test records are not offered as food or legal aid
    assert not {"passport-photos", "example-service-name"} & set(ids)


def test_hsds_3_service_area_extents_are_read(tmp_path: Path) -> None:

    import yaml

    doc = [
        {
            "id": "5d0e8f4e-2f7a-4a3e-9c1e-111111111111",
            "name": "Statewide Legal Line",
            "status": "active",
            "organization": {"id": "5d0e8f4e-2f7a-4a3e-9c1e-222222222222", "name": "Legal Line"},
            "phones": [{"id": "5d0e8f4e-2f7a-4a3e-9c1e-333333333333", "number": "+1 559-555-0100"}],
            "service_areas": [
                {"id": "a1", "name": "California", "extent": "US-CA", "extent_type": "iso3166-2"},
                {
                    "id": "a2",
                    "extent": '{"type": "Polygon", "coordinates": []}',
                    "extent_type": "geojson",
                },
            ],
        }
    ]
    src = tmp_path / "services.json"
    src.write_text(json.dumps(doc), "utf-8")
    data, _ = import_hsds(src)
    (p,) = yaml.safe_load(data)["providers"]
    assert p["service_area"] == {"regions": ["US-CA"]}
