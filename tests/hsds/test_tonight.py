"""Status and capacity through HSDS: 211 statuses read into ``status``, HSDS 3.1
``service_capacity`` into ``availability``, and a 3.0 export that carries both."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import yaml

from referral_cli.directory import load
from referral_cli.hsds.importer import import_hsds

from .helpers import errors_of, run, write_package

DIRECTORY = """\
providers:
  - id: closed-shelter
    name: Closed Shelter
    services: [temporary-shelter]
    phone: "+1 305-555-0100"
    address: {street: 1 Main St, city: Miami, county: Miami-Dade County, region: FL, postal_code: "33130", country: US}
    availability: {beds_available: 0, maximum: 12, as_of: "2026-12-07T21:00:00-05:00"}
    status: {state: closed, until: 2026-12-12, reason: renovation}
    last_verified: 2026-12-01
    verified_by: JS
  - id: no-referrals
    name: No Referrals Office
    services: [legal-aid]
    phone: "+1 305-555-0101"
    address: {city: Miami, county: Miami-Dade County, region: FL, country: US}
    status: {state: do-not-refer, reason: "moved away"}
  - id: open-beds
    name: Open Beds
    services: [temporary-shelter]
    phone: "+1 305-555-0102"
    address: {city: Miami, county: Miami-Dade County, region: FL, country: US}
    availability: {beds_available: 3, waitlist: 1, as_of: "2026-12-07T08:15:00-05:00"}
"""


def test_a_3_0_export_carries_status_and_availability_and_imports_back_unchanged(
    tmp_path: Path,
) -> None:
    data = tmp_path / "d.yaml"
    data.write_text(DIRECTORY, "utf-8")
    out = tmp_path / "export"
    assert run("export-hsds", "--output", str(out), "--data", str(data)).exit_code == 0
    with (out / "services.csv").open(encoding="utf-8", newline="") as fh:
        statuses = {r["name"]: r["status"] for r in csv.DictReader(fh)}
    assert statuses == {
        "Closed Shelter": "temporarily closed",
        "No Referrals Office": "inactive",
        "Open Beds": "active",
    }
    back = tmp_path / "back.yaml"
    result = run("import-hsds", str(out), "--output", str(back))  # no --include-inactive
    assert result.exit_code == 0, result.output
    assert errors_of(back) == []
    before = {p.id: p.public_dict() for p in load(data, use_cache=False).providers}
    after = {p.id: p.public_dict() for p in load(back, use_cache=False).providers}
    assert after == before


def _package(tmp_path: Path) -> Path:
    return write_package(
        tmp_path / "pkg",
        {
            "service": [
                {
                    "id": "s1",
                    "name": "Harbor Shelter",
                    "description": "Emergency shelter beds.",
                    "status": "Active, but do not refer",
                },
                {
                    "id": "s2",
                    "name": "Bay Shelter",
                    "description": "Emergency shelter beds.",
                    "status": "temporarily closed",
                },
                {
                    "id": "s3",
                    "name": "Gone Legal Aid",
                    "description": "Free legal advice.",
                    "status": "inactive",
                },
                {
                    "id": "s4",
                    "name": "Open Shelter",
                    "description": "Emergency shelter beds.",
                    "status": "active",
                },
                {
                    "id": "s5",
                    "name": "Food Bank",
                    "description": "Emergency shelter beds.",
                    "status": "active",
                },
            ],  # fmt: skip
            "service_capacity": [
                {
                    "id": "c1",
                    "service_id": "s4",
                    "unit_id": "u1",
                    "available": "2",
                    "maximum": "20",
                    "updated": "2026-12-07T09:10:00-08:00",
                },
                {
                    "id": "c2",
                    "service_id": "s4",
                    "unit_id": "u2",
                    "available": "7",
                    "maximum": "9",
                    "updated": "2026-12-07T09:10:00-08:00",
                },
                {
                    "id": "c3",
                    "service_id": "s5",
                    "unit_id": "u1",
                    "available": "4",
                    "updated": "2026-12-07",
                },
            ],  # fmt: skip
            "unit": [
                {"id": "u1", "name": "Beds", "scheme": "SDOH"},
                {"id": "u2", "name": "Meals"},
            ],
        },
    )


def test_import_reads_do_not_refer_closed_and_inactive_statuses(tmp_path: Path) -> None:
    data, report = import_hsds(_package(tmp_path))
    doc = {p["name"]: p for p in yaml.safe_load(data)["providers"]}
    assert doc["Harbor Shelter"]["status"] == {
        "state": "do-not-refer",
        "reason": "source status: Active, but do not refer",
    }
    assert doc["Bay Shelter"]["status"]["state"] == "closed"
    assert "Gone Legal Aid" not in doc  # inactive: left out unless asked for
    assert "status inactive" in json.dumps(report.as_dict())
    assert "status" not in doc["Open Shelter"]
    data, _ = import_hsds(_package(tmp_path), include_inactive=True)
    doc = {p["name"]: p for p in yaml.safe_load(data)["providers"]}
    assert doc["Gone Legal Aid"]["status"] == {
        "state": "do-not-refer",
        "reason": "source status: inactive",
    }


def test_import_reads_3_1_service_capacity_in_beds_into_availability(tmp_path: Path) -> None:
    data, report = import_hsds(_package(tmp_path))
    doc = {p["name"]: p for p in yaml.safe_load(data)["providers"]}
    assert doc["Open Shelter"]["availability"] == {
        "beds_available": 2,
        "maximum": 20,
        "as_of": "2026-12-07T09:10:00-08:00",
    }
    # a day with no time or zone is no report of tonight: dropped, and said
    assert "availability" not in doc["Food Bank"]
    assert "'updated' time with its zone" in json.dumps(report.as_dict())


def test_import_reads_capacities_of_3_1_json(tmp_path: Path) -> None:
    source = tmp_path / "services.json"
    service = {
        "id": "s1",
        "name": "Open Shelter",
        "description": "Emergency shelter beds.",
        "status": "active",
        "capacities": [
            {
                "id": "c1",
                "unit": {"id": "u1", "name": "beds"},
                "available": 0,
                "maximum": 10,
                "updated": "2026-12-07T18:00:00Z",
            },
        ],  # fmt: skip
    }
    source.write_text(json.dumps([service]), "utf-8")
    data, _ = import_hsds(source)
    (p,) = yaml.safe_load(data)["providers"]
    assert p["availability"] == {
        "beds_available": 0,
        "maximum": 10,
        "as_of": "2026-12-07T18:00:00+00:00",
    }


def test_an_alert_that_says_not_to_refer_is_read_as_do_not_refer(tmp_path: Path) -> None:
    services = [
        {"id": "s1", "organization_id": "o1", "name": "Quiet Shelter", "status": "active",
         "alert": "ACTIVE, BUT DO NOT REFER. Pending license review."},
        {"id": "s2", "organization_id": "o1", "name": "Busy Shelter", "status": "active",
         "alert": "Not accepting new referrals until March."},
        {"id": "s3", "organization_id": "o1", "name": "Open Shelter", "status": "active",
         "alert": "Closed on public holidays."},
    ]  # fmt: skip
    pkg = write_package(
        tmp_path / "pkg", {"organizations": [{"id": "o1", "name": "Harbor"}], "services": services}
    )
    data, _ = import_hsds(pkg)
    doc = {p["name"]: p for p in yaml.safe_load(data)["providers"]}
    assert doc["Quiet Shelter"]["status"]["state"] == "do-not-refer"
    assert doc["Quiet Shelter"]["status"]["reason"].startswith("source alert: ACTIVE, BUT DO NOT")
    assert doc["Busy Shelter"]["status"]["state"] == "do-not-refer"
    assert "status" not in doc["Open Shelter"]
