"""What an HSDS record's words say: term names, test records, survivor shelters, reach."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from referral_cli import hsds, query, search
from referral_cli.directory import load
from referral_cli.hsds.clean import placeholder_reason
from referral_cli.hsds.places import guess_reach
from referral_cli.hsds.terms import name_forms, survivor_shelter

OHANA = Path(__file__).parent / "fixtures" / "ohana-smc-sample"
REDWOOD_CITY = (37.4852, -122.2364)


@pytest.mark.parametrize(
    ("key", "singular"),
    [
        ("food pantries", "food pantry"),
        ("domestic violence shelters", "domestic violence shelter"),
        ("legal services", "legal service"),
        ("crisis intervention", None),
        ("glasses", "glass"),
        ("address", None),
    ],
)
def test_name_forms_add_the_singular(key: str, singular: str | None) -> None:
    forms = name_forms(key)
    assert forms[0] == key
    assert (forms[1] if len(forms) > 1 else None) == singular


@pytest.mark.parametrize(
    ("names", "texts"),
    [
        (["Passport Photos"], ["[NOTE THIS IS NOT A REAL SERVICE] Lorem ipsum dolor sit amet"]),
        (["Fake Org"], ["An organization created for testing purposes."]),
        (["Example Service Name"], [""]),
        (["Service for Admin Test Location"], ["just a test service"]),
        (["Admin Test Org"], [""]),
    ],
)
def test_placeholders_are_recognised(names: list[str], texts: list[str]) -> None:
    assert placeholder_reason(names, texts)


@pytest.mark.parametrize(
    ("names", "texts"),
    [
        (["Test Prep Tutoring"], ["SAT test preparation for high school students"]),
        (["HIV Testing"], ["Free and confidential testing"]),
        (["Sample Distribution Center"], ["Food samples for families"]),
    ],
)
def test_real_services_that_mention_tests_are_not_placeholders(
    names: list[str], texts: list[str]
) -> None:
    assert placeholder_reason(names, texts) is None


def test_survivor_shelters_need_shelter_and_survivor_words() -> None:
    assert survivor_shelter(["temporary-shelter"], "Shelter for victims of domestic violence")
    assert survivor_shelter(["temporary-shelter", "counseling"], "HUMAN TRAFFICKING shelters")
    assert not survivor_shelter(["counseling"], "domestic violence counselling")
    assert not survivor_shelter(["temporary-shelter"], "Homeless shelter for families")


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
    data, report = hsds.import_hsds(OHANA)
    terms = {t["term"] for t in report.as_dict()["unmapped_terms"]}
    assert "keyword: Food Pantries" not in terms  # mapped through "food pantry"
    assert terms  # what did not map is reported, with counts
    out = tmp_path / "smc.yaml"
    out.write_bytes(data)
    directory = load(out, use_cache=False)
    origin = search.Origin("Redwood City", *REDWOOD_CITY, country="US", region="US-CA")
    found = search.search(
        directory.providers, query.parse("food"), origin=origin, radius_km=50, limit=10
    )
    ids = [r.provider.id for r in found.results]
    assert ids[0] == "redwood-city-corps", ids  # "Food Pantries", 0.8 km away
    # test records are not offered as food or legal aid
    assert not {"passport-photos", "example-service-name"} & set(ids)


def test_hsds_3_service_area_extents_are_read(tmp_path: Path) -> None:
    import json

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
    data, _ = hsds.import_hsds(src)
    (p,) = yaml.safe_load(data)["providers"]
    assert p["service_area"] == {"regions": ["US-CA"]}
