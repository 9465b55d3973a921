"""Providers read from the index are the same as freshly parsed ones, field by field,
and a damaged index entry is never trusted."""

from __future__ import annotations

import datetime as dt
import marshal
import os
import pickle
import struct
from pathlib import Path
from typing import Any

import pytest
from conftest import directory_yaml, invoke, provider_yaml, write

from referral_cli import directory, index
from referral_cli.errors import ReferralError
from referral_cli.model import (
    FIELDS,
    FILTER_FIELDS,
    HEAD,
    REST_FIELDS,
    ROW,
    Address,
    Eligibility,
    Provider,
    ServiceArea,
    Source,
)

# Everything a provider shows: its fields, and what is derived from them.
READERS = (*FIELDS, "country", "place", "row")


def everything(p: Provider) -> dict[str, Any]:
    values = {name: getattr(p, name) for name in READERS}
    values["public_address"] = p.public_address()
    values["public_location"] = p.public_location()
    values["public_dict"] = p.public_dict()
    return values


def lazy(p: Provider) -> bool:
    return p._r is None


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


@pytest.fixture(autouse=True, params=["mapped", "read"])
def entry_access(request, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every test runs with entries memory-mapped and with entries read."""
    monkeypatch.setattr(index, "MAP_BYTES", 0 if request.param == "mapped" else 1 << 40)


def load_twice(path: Path) -> tuple[list[Provider], list[Provider]]:
    """The providers parsed (first load, which writes the index) and read back."""
    parsed = directory.load(path).providers
    indexed = directory.load(path).providers
    assert parsed and not any(lazy(p) for p in parsed)
    assert all(lazy(p) for p in indexed)
    return parsed, indexed


def entry_of(path: Path) -> Path:
    root = Path(os.environ["REFERRAL_CACHE_DIR"]) / "index"
    return index._entry_path(root, path.resolve())


def test_row_layout_is_every_field_once() -> None:
    assert ROW == FILTER_FIELDS + REST_FIELDS and len(FILTER_FIELDS) == HEAD
    assert len(set(ROW)) == len(ROW)
    # every field but the address is a slot of its own; the address is place + street
    assert set(FIELDS) - {"address"} == set(ROW) - {"place", "street"}


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


def test_the_head_is_read_without_the_rest(rich: Path) -> None:
    _, indexed = load_twice(rich)
    confidential = next(p for p in indexed if p.confidential)
    for name in (*FILTER_FIELDS, "country"):
        getattr(confidential, name)
    confidential.eligibility.admits_age(15)
    assert confidential.public_location() is None
    # a confidential provider's public address needs neither street nor postal code
    address = confidential.public_address()
    assert address is not None and address.street is None and address.postal_code is None
    assert lazy(confidential)
    assert confidential.phone  # the rest: fetched now, once
    assert not lazy(confidential)


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


def test_pickling_gives_the_whole_row(rich: Path) -> None:
    parsed, indexed = load_twice(rich)
    for eager, from_index in zip(parsed, indexed, strict=True):
        copy = pickle.loads(pickle.dumps(from_index))
        assert not lazy(copy) and copy.row == eager.row
        assert everything(copy) == everything(eager)


def _sections(entry: Path) -> tuple[int, int, int]:
    """Where the heads, the groups and the blobs of an entry start."""
    data = entry.read_bytes()
    size, _ = struct.unpack_from("<QI", data, 0)
    meta = marshal.loads(data[12 : 12 + size])
    heads_size, _, groups_size, _, blobs_size = meta["layout"]
    heads = 12 + size
    assert len(data) == heads + heads_size + groups_size + blobs_size
    return heads, heads + heads_size, heads + heads_size + groups_size


def _blobs_start(entry: Path) -> int:
    return _sections(entry)[2]


def _damage(entry: Path, at: int) -> None:
    data = bytearray(entry.read_bytes())
    data[at] ^= 0x5A
    entry.write_bytes(bytes(data))


def test_damaged_blob_stops_with_one_line_and_the_next_run_rebuilds(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(
        tmp_path / "dir.yaml",
        directory_yaml(provider_yaml(id="a-one", name="Alpha"), provider_yaml(id="b-two")),
    )
    assert invoke(runner, "show", "a-one", "--data", str(path)).exit_code == 0
    entry = entry_of(path)
    _damage(entry, _blobs_start(entry) + 3)  # inside the first provider's blob
    result = invoke(runner, "show", "a-one", "--data", str(path))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("referral: error: the index entry for ")
    assert "damaged" in result.stderr and "Traceback" not in result.stderr
    assert not entry.exists()
    again = invoke(runner, "show", "a-one", "--data", str(path))
    assert again.exit_code == 0 and "Alpha" in again.stdout
    assert entry.exists()


def test_damaged_groups_stop_coverage_with_one_line(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(
        tmp_path / "dir.yaml",
        directory_yaml(provider_yaml(id="a-one", name="Alpha"), provider_yaml(id="b-two")),
    )
    assert invoke(runner, "coverage", "--data", str(path)).exit_code == 0
    entry = entry_of(path)
    _, groups, blobs = _sections(entry)
    _damage(entry, (groups + blobs) // 2)
    # what does not count coverage never reads the groups
    assert invoke(runner, "find", "shelter", "--data", str(path)).exit_code == 0
    result = invoke(runner, "coverage", "--data", str(path))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("referral: error: the index entry for ")
    assert not entry.exists()
    assert invoke(runner, "coverage", "--data", str(path)).exit_code == 0


def test_damaged_blob_is_never_decoded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "dir.yaml", directory_yaml(provider_yaml(id="a-one")))
    directory.load(path)
    entry = entry_of(path)
    _damage(entry, _blobs_start(entry) + 5)
    (provider,) = directory.load(path).providers
    assert provider.id == "a-one"  # the head is intact and checked
    with pytest.raises(index.DamagedIndex) as caught:
        _ = provider.phone
    assert isinstance(caught.value, ReferralError)
    assert not entry.exists()


@pytest.mark.parametrize("where", ["prefix", "header", "heads", "truncated", "extended"])
def test_damaged_entry_outside_the_blobs_is_rebuilt_silently(tmp_path, where) -> None:  # type: ignore[no-untyped-def]
    path = write(
        tmp_path / "dir.yaml",
        directory_yaml(provider_yaml(id="a-one", name="Alpha"), provider_yaml(id="b-two")),
    )
    first = directory.load(path).providers
    entry = entry_of(path)
    _, groups, _ = _sections(entry)
    data = entry.read_bytes()
    if where == "prefix":
        _damage(entry, 9)
    elif where == "header":
        _damage(entry, 20)
    elif where == "heads":
        _damage(entry, groups - 10)
    elif where == "truncated":
        entry.write_bytes(data[:-1])
    else:
        entry.write_bytes(data + b"\0")
    again = directory.load(path).providers
    assert not any(lazy(p) for p in again)  # parsed anew, not read from the entry
    assert [everything(p) for p in again] == [everything(p) for p in first]
    third = directory.load(path).providers  # the entry was written again
    assert all(lazy(p) for p in third)
    assert [everything(p) for p in third] == [everything(p) for p in first]


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
