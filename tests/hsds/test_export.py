"""referral_cli.hsds.export: the HSDS 3.0 tabular package, its privacy and the round trip."""

from __future__ import annotations

import csv
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from conftest import needs_miami

from referral_cli.directory import load
from referral_cli.errors import ReferralError
from referral_cli.hsds.export import export_hsds, new_id, write_export
from referral_cli.hsds.importer import import_hsds

from .helpers import errors_of, run


@needs_miami
@pytest.mark.long
def test_miami_export_import_round_trip(tmp_path: Path, miami_directory: Any) -> None:
    """Every field of every provider, as any output shows it, survives export -> import."""
    files = export_hsds(miami_directory.providers)
    write_export(tmp_path / "export", files)
    data, report = import_hsds(tmp_path / "export")
    back = tmp_path / "back.yaml"
    back.write_bytes(data)
    after = {p.id: p.public_dict() for p in load(back, use_cache=False).providers}
    before = {p.id: p.public_dict() for p in miami_directory.providers}
    assert set(after) == set(before)
    changed = [
        (pid, k)
        for pid, p in before.items()
        for k in p
        if k != "source" and after[pid].get(k) != p[k]
    ]
    assert changed == []


DIRECTORY = """\
providers:
  - id: safe-harbor-house
    name: Safe Harbor House
    organization: Harbor Network
    description: |-
      Emergency shelter for women leaving trafficking.
      - intake by phone
      =not a formula on this line
    services: [temporary-shelter, victim-advocacy]
    eligibility: {ages: [18, null], genders: [female], trafficking: [sex, labor], children: false}
    languages: [en, es]
    phone: "+1 305-555-0142"
    hotline: "+1 305-555-0199"
    hours: "24/7"
    address: {street: 12 Secret Lane, city: Miami, county: Miami-Dade County, region: FL, postal_code: "33101", country: US}
    location: {lat: 25.7701, lon: -80.1999}
    confidential: true
    last_verified: 2026-10-01
    keywords: [human trafficking]
  - id: open-door-legal
    name: "=HYPERLINK(\\"http://evil.example\\",\\"Open Door Legal\\")"
    organization: Open Door
    services: [legal-aid]
    eligibility: {ages: [12, 17], boys_max_age: 3, girls_max_age: 5, residents_of: [Miami-Dade County, "33130"]}
    languages: [fr]
    phone: "+1 305-555-0100 x12"
    email: help@example.org
    website: https://example.org/legal
    hours: {mon-fri: "09:00-17:00", sat: "10:00-12:00, 13:00-14:00"}
    timezone: America/New_York
    address: {street: 1 Main St, city: Miami, region: FL, postal_code: "33130", country: US}
    location: {lat: 25.7663, lon: -80.1960}
    service_area: {regions: [US-FL], remote: true}
    last_verified: 2026-09-01
"""


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data" / "resources.yaml"
    data.parent.mkdir()
    data.write_text(DIRECTORY, "utf-8")
    out = tmp_path / "export"
    result = run("export-hsds", "--output", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    return data, out


def _table(out: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((out / name).open(encoding="utf-8", newline="")))


def test_export_is_an_hsds_3_datapackage(exported: tuple[Path, Path]) -> None:
    _, out = exported
    package = json.loads((out / "datapackage.json").read_text("utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert {"organization", "service", "location", "address", "phone", "schedule", "language",
            "service_at_location", "taxonomy_term", "attribute"} <= names  # fmt: skip
    for res in package["resources"]:
        with (out / res["path"]).open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert header == [f["name"] for f in res["schema"]["fields"]]
    services = _table(out, "services.csv")
    # stable UUIDv5 ids: the same provider gets the same id in every export
    assert {s["id"] for s in services} == {
        new_id("service", "safe-harbor-house"),
        new_id("service", "open-door-legal"),
    }
    assert all(uuid.UUID(s["id"]).version == 5 for s in services)
    times = [(r["opens_at"], r["closes_at"]) for r in _table(out, "schedules.csv")]
    assert ("00:00:00", "23:59:59") in times  # 24/7, never 24:00
    assert ("09:00:00", "17:00:00") in times and ("13:00:00", "14:00:00") in times
    phones = {(r["number"], r["extension"]) for r in _table(out, "phones.csv")}
    # numbers as numbers: no spreadsheet guard; the extension in its own column
    assert ("+1 305-555-0100", "12") in phones and ("+1 305-555-0142", "") in phones


def test_export_keeps_confidential_addresses_private(exported: tuple[Path, Path]) -> None:
    _, out = exported
    everything = "".join(p.read_text("utf-8") for p in sorted(out.iterdir()))
    assert "Secret Lane" not in everything
    assert "33101" not in everything
    assert "25.7701" not in everything and "-80.1999" not in everything
    # no address row can be written without a street (HSDS requires address_1);
    # the public place travels as a referral-cli field
    addresses = _table(out, "addresses.csv")
    assert [a["address_1"] for a in addresses] == ["1 Main St"]
    locations = _table(out, "locations.csv")
    assert [r["latitude"] for r in locations] == ["25.7663"]  # a number, not a defused cell


def test_export_defuses_spreadsheet_formulas(exported: tuple[Path, Path]) -> None:
    _, out = exported
    legal = next(s for s in _table(out, "services.csv") if "HYPERLINK" in s["name"])
    assert legal["name"].startswith("'=HYPERLINK")


def test_export_then_import_round_trips_every_field(
    tmp_path: Path, exported: tuple[Path, Path]
) -> None:
    data, out = exported
    back = tmp_path / "back.yaml"
    result = run("import-hsds", str(out), "--output", str(back))
    assert result.exit_code == 0, result.output
    assert errors_of(back) == []
    before = {p.id: p.public_dict() for p in load(data, use_cache=False).providers}
    after = {p.id: p.public_dict() for p in load(back, use_cache=False).providers}
    assert set(after) == set(before)
    for pid, a in before.items():
        b = dict(after[pid])
        if a.get("confidential"):
            # Its exact location is never exported, so the import places it from the
            # town (approximate, marked): derived, not a field that was lost.
            assert b.pop("placed", None) in (None, {"from": "city", "place": "Miami, FL, US"})
        assert b == a, pid
    harbor = after["safe-harbor-house"]
    assert harbor["confidential"] is True
    assert "street" not in harbor["address"] and "location" not in harbor  # never exported


def test_export_refuses_a_non_empty_folder_without_force(exported: tuple[Path, Path]) -> None:
    data, out = exported
    (out / "services.csv").write_text("stale", "utf-8")
    result = run("export-hsds", "--output", str(out), "--data", str(data))
    assert result.exit_code == 1
    assert "--force" in result.output
    assert (out / "services.csv").read_text("utf-8") == "stale"
    result = run("export-hsds", "--output", str(out), "--data", str(data), "--force")
    assert result.exit_code == 0
    assert (out / "services.csv").read_text("utf-8").startswith("id,organization_id")


def test_export_writes_a_new_folder_whole(tmp_path: Path) -> None:
    files = {"a.csv": b"id\n", "datapackage.json": b"{}\n"}
    target = tmp_path / "new" / "pkg"
    write_export(target, files)
    assert sorted(p.name for p in target.iterdir()) == ["a.csv", "datapackage.json"]
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]
    with pytest.raises(ReferralError):
        write_export(target, files)
    shutil.rmtree(target)
