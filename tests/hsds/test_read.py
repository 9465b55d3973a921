"""referral_cli.hsds.read: folders, zips and HSDS 3.0 JSON into canonical tables, and
sources that cannot be read, each refused with one line.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from referral_cli.errors import ReferralError
from referral_cli.hsds.importer import import_hsds

from .helpers import FIXTURES, OHANA, run


def test_import_from_zip_matches_folder(tmp_path: Path, ohana: tuple[Path, dict[str, Any]]) -> None:
    archive = tmp_path / "ohana.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in OHANA.iterdir():
            zf.write(f, f"export/{f.name}")
    data, report = import_hsds(archive)
    assert report.as_dict()["providers"] == 19
    assert (
        yaml.safe_load(data)["providers"]
        == yaml.safe_load(ohana[0].read_text("utf-8"))["providers"]
    )


HSDS3_JSON = {
    "contents": [
        {
            "id": "svc-1",
            "name": "Youth Drop-In",
            "description": "Outreach and safe beds for young people.",
            "status": "active",
            "url": "https://youth.example.org",
            "eligibility_description": "Young people aged 16 to 24",
            "minimum_age": 16,
            "maximum_age": 24,
            "last_modified": "2025-03-15T10:30:45.123Z",
            "organization": {"id": "org-1", "name": "Youth Alliance"},
            "phones": [{"id": "ph-1", "number": "+44 20 7946 0958", "type": "voice"}],
            "languages": [{"id": "lang-1", "name": "Polish", "code": "pl"}],
            "schedules": [
                {
                    "id": "sch-1",
                    "freq": "WEEKLY",
                    "byday": "MO,TU,WE",
                    "opens_at": "10:00:00",
                    "closes_at": "18:00:00",
                },
                {
                    "id": "sch-2",
                    "freq": "MONTHLY",
                    "byday": "1SA",
                    "opens_at": "10:00",
                    "closes_at": "12:00",
                },
            ],  # fmt: skip
            "attributes": [
                {
                    "id": "a1",
                    "taxonomy_term": {
                        "id": "t1",
                        "code": "101-06-02",
                        "name": "Safe Housing",
                        "taxonomy": "Open Eligibility",
                    },
                },
                {
                    "id": "a2",
                    "taxonomy_term": {
                        "id": "t2",
                        "code": "PH-8000",
                        "name": "Street Outreach Programs",
                        "taxonomy": "AIRS",
                    },
                },
            ],  # fmt: skip
            "service_at_locations": [
                {
                    "id": "sal-1",
                    "location": {
                        "id": "loc-1",
                        "name": "Hackney Hub",
                        "latitude": 51.545,
                        "longitude": -0.055,
                        "addresses": [
                            {
                                "id": "ad-1",
                                "address_1": "1 Mare St",
                                "city": "London",
                                "state_province": "",
                                "postal_code": "E8 4RP",
                                "country": "GB",
                                "address_type": "physical",
                            }
                        ],  # fmt: skip
                    },
                }
            ],
        }
    ]
}


def test_hsds_3_json(tmp_path: Path) -> None:
    src = tmp_path / "services.json"
    src.write_text(json.dumps(HSDS3_JSON), "utf-8")
    data, result = import_hsds(src)
    assert result.flavour == "HSDS 3.0 JSON"
    (p,) = yaml.safe_load(data)["providers"]
    assert p["id"] == "youth-drop-in"
    assert p["organization"] == "Youth Alliance"
    assert p["services"] == ["temporary-shelter", "outreach"]
    assert p["eligibility"]["ages"] == [16, 24]
    assert p["phone"] == "+44 20 7946 0958"
    assert p["languages"] == ["pl"]
    assert p["hours"] == {"mon-wed": "10:00-18:00"}  # the monthly row cannot be expressed
    assert "timezone" not in p  # not a US state: no guess
    assert p["address"]["country"] == "GB" and p["address"]["postal_code"] == "E8 4RP"
    assert p["location"] == {"lat": 51.545, "lon": -0.055}
    assert str(p["last_verified"]) == "2025-03-15"


def test_bad_sources_fail_with_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.csv").write_text("a,b\n1,2\n", "utf-8")
    result = run("import-hsds", str(empty), "--output", str(tmp_path / "o.yaml"))
    assert result.exit_code == 1
    assert "no services table" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", "utf-8")
    result = run("import-hsds", str(bad), "--output", str(tmp_path / "o.yaml"))
    assert result.exit_code == 1
    assert "not valid JSON" in result.output
    assert "Traceback" not in result.output


def test_io_copy_in_shared_fixture_is_untouched() -> None:
    """The shipped sample is the upstream files byte for byte, with their attribution."""
    assert (OHANA / "SOURCE.md").read_text("utf-8").startswith("# Ohana API sample CSVs")
    rows = list(csv.DictReader(io.StringIO((OHANA / "services.csv").read_text("utf-8"))))
    assert len(rows) == 23
    assert not (FIXTURES / "open211-miami").exists()  # never copied into the project


def test_hsds_3_json_organisations_with_services(tmp_path: Path) -> None:
    doc = [
        {
            "id": "org-9",
            "name": "Harbor Network",
            "attributes": [],
            "services": [
                {
                    "id": "s-9",
                    "name": "Harbor Legal Clinic",
                    "status": "active",
                    "attributes": [
                        {"taxonomy_term": {"id": "t", "code": "FT-3600", "name": "Immigration"}}
                    ],
                }
            ],  # fmt: skip
        }
    ]
    src = tmp_path / "orgs.json"
    src.write_text(json.dumps(doc), "utf-8")
    data, _ = import_hsds(src)
    (p,) = yaml.safe_load(data)["providers"]
    assert p["organization"] == "Harbor Network"
    assert p["services"] == ["legal-aid"] and "immigration" in p["keywords"]


def test_deeply_nested_json_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "deep.json"
    src.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    with pytest.raises(ReferralError, match="nested too deeply|not valid JSON"):
        import_hsds(src)
