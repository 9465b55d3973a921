"""Providers are plain records: read back from the index (:mod:`referral_cli.records.codec`)
they are the freshly parsed ones, field by field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import marshal
import pickle
from pathlib import Path
from typing import Any

import pytest
from conftest import write

from referral_cli import directory
from referral_cli.index import parsing
from referral_cli.records import codec
from referral_cli.records.model import (
    FIELDS,
    Address,
    Eligibility,
    Provider,
    ServiceArea,
    Source,
)

# Everything a provider shows: its fields, and what is derived from them.
READERS = (*FIELDS, "country", "place")


def everything(p: Provider) -> dict[str, Any]:
    values = {name: getattr(p, name) for name in READERS}
    values["public_address"] = p.public_address()
    values["public_location"] = p.public_location()
    values["public_dict"] = p.public_dict()
    return values


EXTRA = """\
providers:
  - id: national-line
    name: National Line
    services: [hotline]
    hotline: "+1 800-555-0199"
    service_area: {countries: [US], remote: true}
    last_verified: 2026-01-01
  - id: town-only
    name: Town Only
    services: [counseling]
    phone: "+1 559-555-0111"
    address: {city: Visalia, region: CA, country: US}
    confidential: true
    keywords: [trauma, art]
    last_verified: 2026-01-01
"""


@pytest.fixture
def rich(tmp_path: Path) -> Path:
    """The sample directory and providers without an address or a street."""
    folder = tmp_path / "rich"
    write(folder / "sample.yaml", directory.sample_path().read_text("utf-8"))
    write(folder / "extra.yaml", EXTRA)
    return folder


def load_twice(path: Path) -> tuple[list[Provider], list[Provider]]:
    """The providers as parsed, and as the index serves them once written."""
    files = directory.list_files(path)
    parsed = [p for f in files for p in parsing.read_and_parse(f, directory.display_path(f))[0]]
    directory.load(path)
    indexed = directory.load(path).providers
    assert parsed
    return parsed, indexed


def test_a_provider_is_a_frozen_record_of_every_field() -> None:
    assert tuple(f.name for f in dataclasses.fields(Provider)) == FIELDS
    p = Provider(id="x", name="X", services=["a"], areas=[], source=Source("f", 1, 1))
    assert p.services == ("a",) and p.eligibility == Eligibility()
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.name = "Y"  # type: ignore[misc]
    assert p == codec.decode(codec.encode(p))
    assert marshal.loads(marshal.dumps(codec.encode(p))) == codec.encode(p)


def test_every_property_reads_its_own_value() -> None:
    p = Provider(
        id="x-id",
        name="X Name",
        services=["counseling", "medical"],
        areas=["area-a"],
        source=Source("f.yaml", 3, 5),
        organization="Org",
        description="Desc",
        eligibility=Eligibility(12, 17, ("female",), ("sex",), ("lgbtq",), "notes"),
        languages=("en", "es"),
        phone="+1 1",
        hotline="+1 2",
        email="x@example.org",
        website="https://example.org",
        hours={"Mon-Fri": "09:00-17:00"},
        timezone="America/Los_Angeles",
        address=Address("1 Main St", "Fresno", "Fresno County", "CA", "93721", "US"),
        lat=36.5,
        lon=-119.5,
        confidential=True,
        service_area=ServiceArea(30.0, ("US-CA",), ("US",), True),
        intake="Call",
        cost="free",
        capacity={"beds": 8},
        last_verified=dt.date(2026, 1, 2),
        keywords=["k1", "k2"],
    )
    assert p.id == "x-id" and p.name == "X Name"
    assert p.services == ("counseling", "medical") and p.areas == ("area-a",)
    assert p.source == Source("f.yaml", 3, 5)
    assert (p.organization, p.description) == ("Org", "Desc")
    assert p.eligibility == Eligibility(12, 17, ("female",), ("sex",), ("lgbtq",), "notes")
    assert p.languages == ("en", "es")
    assert (p.phone, p.hotline, p.email, p.website) == (
        "+1 1",
        "+1 2",
        "x@example.org",
        "https://example.org",
    )
    assert p.hours == {"Mon-Fri": "09:00-17:00"} and p.timezone == "America/Los_Angeles"
    assert p.address == Address("1 Main St", "Fresno", "Fresno County", "CA", "93721", "US")
    assert p.place == ("Fresno", "Fresno County", "CA", "US") and p.country == "US"
    assert (p.lat, p.lon, p.confidential) == (36.5, -119.5, True)
    assert p.service_area == ServiceArea(30.0, ("US-CA",), ("US",), True)
    assert (p.intake, p.cost, p.capacity) == ("Call", "free", {"beds": 8})
    assert str(p.last_verified) == "2026-01-02" and p.keywords == ("k1", "k2")
    assert p.public_address() == Address(None, "Fresno", "Fresno County", "CA", None, "US")
    assert p.public_location() is None
    bare = Provider(id="y", name="Y", services=(), areas=(), source=Source("f", 1, 1))
    assert bare.address is None and bare.place is None and bare.public_address() is None
    assert bare.eligibility == Eligibility() and bare.service_area is None


def test_indexed_providers_equal_parsed_ones_field_by_field(rich: Path) -> None:
    parsed, indexed = load_twice(rich)
    assert any(p.confidential for p in parsed) and any(not p.confidential for p in parsed)
    assert any(p.service_area for p in parsed) and any(p.address is None for p in parsed)
    assert len(parsed) == len(indexed)
    for eager, from_index in zip(parsed, indexed, strict=True):
        assert everything(from_index) == everything(eager)
        assert from_index == eager and hash(from_index) == hash(eager)


def test_confidential_provider_read_from_the_index_keeps_its_secrets(rich: Path) -> None:
    parsed, indexed = load_twice(rich)
    for eager, from_index in zip(parsed, indexed, strict=True):
        if not eager.confidential:
            continue
        public = from_index.public_dict()
        assert public == eager.public_dict()
        assert "location" not in public
        assert "street" not in public.get("address", {})
        assert "postal_code" not in public.get("address", {})
        assert from_index.public_address() == eager.public_address()
        assert eager.address is not None


def test_pickling_gives_the_same_provider(rich: Path) -> None:
    parsed, indexed = load_twice(rich)
    for eager, from_index in zip(parsed, indexed, strict=True):
        copy = pickle.loads(pickle.dumps(from_index))
        assert everything(copy) == everything(eager)


def test_equal_values_of_other_types_are_not_mixed_up() -> None:
    def make(radius: Any, min_age: Any) -> Provider:
        return Provider(
            id="x",
            name="X",
            services=(),
            areas=(),
            source=Source("f", 1, 1),
            service_area=ServiceArea(radius, ("US-CA",)),
            eligibility=Eligibility(min_age, 17),
        )

    for first, second in ((50.0, 50), (50, 50.0)):
        a, b = make(first, 12).service_area, make(second, 12).service_area
        assert a is not None and b is not None
        assert type(a.radius_km) is type(first) and type(b.radius_km) is type(second)
    assert type(make(1.0, 12.0).eligibility.min_age) is float
    assert type(make(1.0, 12).eligibility.min_age) is int
