"""Open Referral (HSDS) import and export, on real data and on small hand-made packages.

The Ohana San Mateo sample (BSD-3) ships in tests/fixtures. The 211 Miami package
(4,089 services, licence unclear) is read from ../shared/real-data/ beside the
repository and never copied into it; its tests are skipped when it is absent.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import needs_miami
from typer.testing import CliRunner

import referral_cli
from referral_cli import hours, hsds
from referral_cli.cli import app
from referral_cli.directory import load
from referral_cli.errors import ReferralError
from referral_cli.hsds.clean import Cleaner, slug
from referral_cli.hsds.emit import dump_yaml
from referral_cli.hsds.export import new_id
from referral_cli.hsds.fields import normalise_email, normalise_phone, normalise_url, parse_ages
from referral_cli.hsds.importer import _validated
from referral_cli.hsds.mapping import load_map
from referral_cli.hsds.report import ImportReport, ProviderReport
from referral_cli.hsds.terms import longest_prefix

FIXTURES = Path(__file__).parent / "fixtures"
OHANA = FIXTURES / "ohana-smc-sample"
MIAMI_CENTRE = (25.7617, -80.1918)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def providers_of(path: Path) -> dict[str, dict[str, Any]]:
    doc = yaml.safe_load(path.read_text("utf-8"))
    return {p["id"]: p for p in doc["providers"]}


def errors_of(path: Path) -> list[str]:
    directory = load(path, use_cache=False)
    return [str(d) for d in directory.diagnostics if d.severity == "error"]


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


# --- the Ohana sample (real data, shipped) --------------------------------------


@pytest.fixture(scope="module")
def ohana(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("ohana") / "ohana.yaml"
    report = out.with_suffix(".json")
    data, result = hsds.import_hsds(OHANA)
    out.write_bytes(data)
    report.write_text(json.dumps(result.as_dict()), "utf-8")
    return out, result.as_dict()


def test_ohana_imports_and_validates(ohana: tuple[Path, dict[str, Any]]) -> None:
    path, report = ohana
    assert errors_of(path) == []
    providers = providers_of(path)
    # 23 services: two inactive/defunct test rows, two placeholders ("Lorem ipsum",
    # "NOT A REAL ORGANIZATION") that would otherwise be listed as food and legal aid
    assert report["services"] == 23
    assert len(providers) == 19 == report["providers"]
    assert sorted(s["reason"] for s in report["skipped_services"]) == [
        "a test or placeholder record ('Example Location')",
        "a test or placeholder record ('Example Service')",
        "status defunct",
        "status inactive",
    ]
    assert {p["name"] for p in report["placeholders"]} >= {
        "Passport Photos",
        "Example Service Name",
    }
    assert "service-with-blank-fields" not in providers
    assert "passport-photos" not in providers
    assert report["ignored_tables"]["holiday_schedules"]
    assert path.read_text("utf-8").startswith("# yaml-language-server: $schema=")


def test_ohana_fields_are_mapped(ohana: tuple[Path, dict[str, Any]]) -> None:
    p = providers_of(ohana[0])["fair-oaks-adult-activity-center"]
    assert p["organization"] == "Peninsula Family Service"
    assert p["eligibility"]["ages"] == [55, None]  # "Age 55 or over for most programs, ..."
    assert p["languages"] == ["es", "fil"]  # Tagalog: fil, as CLDR writes it
    assert p["phone"] == "+1 650-780-7525"  # the fax line is not the phone
    assert p["hours"] == {"mon": "09:00-15:00"}  # "9am" to "03:00": read as 3 pm
    assert p["timezone"] == "America/Los_Angeles"
    assert p["address"] == {
        "street": "2600 Middlefield Road",
        "city": "Redwood City",
        "region": "CA",
        "postal_code": "94063",
        "country": "US",
    }
    assert p["location"] == {"lat": 37.477227, "lon": -122.213221}
    assert "family-support" in p["services"]
    assert "Older Adults" in p["keywords"]  # Ohana's free keywords stay searchable
    assert p["x-hsds-id"] == "1"


def test_ohana_details(ohana: tuple[Path, dict[str, Any]]) -> None:
    providers = providers_of(ohana[0])
    second = providers["second-career-employment-program"]
    assert second["phone"] == "+1 650-403-4300 x4385"
    assert set(second["services"]) >= {"vocational-training", "job-placement"}
    assert second["languages"][0] == "zh"  # "Chinese (Mandarin)"
    rehab = providers["adult-rehabilitation-center"]
    assert rehab["eligibility"]["ages"] == [21, 60]  # "Age 21-60, detoxed, ..."
    data, _ = hsds.import_hsds(OHANA, include_placeholders=True)
    passport = {p["id"]: p for p in yaml.safe_load(data)["providers"]}["passport-photos"]
    # Monday 08:00-12:00 and 14:00-"4:00 PM"; Wednesday 10:00-"3pm"
    assert passport["hours"] == {"mon": "08:00-12:00, 14:00-16:00", "wed": "10:00-15:00"}
    assert passport["email"] == "passports@example.org"
    assert passport["website"] == "http://www.example.com"
    # Open Eligibility ids 105, 108, 111 ... map through the table
    assert "legal-aid" in passport["services"]


# --- the 211 Miami package (real data, read from ../shared only) ---------------------


def _miami_find(directory: Any, text: str, **options: Any) -> list[Any]:
    from referral_cli import query, search

    q = query.parse(text)
    origin = search.Origin("Miami", *MIAMI_CENTRE, country="US", region="US-FL")
    return search.search(
        directory.providers, q, origin=origin, radius_km=50, limit=10, **options
    ).results


@needs_miami
def test_miami_imports_fast_with_progress_and_validates(
    miami: tuple[Path, dict[str, Any], float, list[Any]], miami_directory: Any
) -> None:
    path, report, seconds, calls = miami
    assert report["services"] == 4089
    assert report["providers"] == 4089
    assert report["rejected_providers"] == []
    assert seconds < 30, f"import took {seconds:.1f} s"
    stages = {c[0] for c in calls}
    assert {"reading tables", "mapping services", "validating"} <= stages
    mapping = [c for c in calls if c[0] == "mapping services"]
    assert mapping[-1][1:] == (4089, 4089) and len(mapping) > 10
    assert [str(d) for d in miami_directory.diagnostics if d.severity == "error"] == []
    # what was mapped, guessed and dropped adds up
    assert report["mapped"] + report["guessed"] == 4089
    assert report["mapped"] > 3000


@needs_miami
def test_miami_cleaning(miami: tuple[Path, dict[str, Any], float, list[Any]]) -> None:
    path, report, _, _ = miami
    text = path.read_text("utf-8")
    assert "GÇÖ" not in text and "GÇ£" not in text  # mis-decoded quotes repaired
    assert "\\n" not in text  # literal \n became line breaks
    assert "###MON###" not in text
    assert '"FL "' not in text and "region: FL\n" in text  # trailing spaces trimmed
    assert report["cleaned_cells"]["mis-decoded characters"] > 100
    # services.organization_id points at missing organisations; eligibility rows
    # have no service_id: both are reported, not fatal
    assert report["dangling_references"]["service.organization_id"] > 0
    assert report["dangling_references"]["eligibility.service_id (empty)"] == 2244
    assert any(t["term"].startswith("PX Volunteer") for t in report["unmapped_terms"])


@needs_miami
def test_miami_trafficking_shelter_is_findable(miami_directory: Any) -> None:
    providers = {p.id: p for p in miami_directory.providers}
    phoenix = providers["project-phoenix"]  # Camillus House: "Human Trafficking Shelters"
    assert phoenix.organization == "CAMILLUS HOUSE, INC."
    assert {"temporary-shelter", "victim-advocacy"} <= set(phoenix.services)
    assert "human trafficking" in [k.lower() for k in phoenix.keywords]
    assert phoenix.lat is not None and phoenix.lon is not None
    assert km((phoenix.lat, phoenix.lon), MIAMI_CENTRE) < 50
    assert phoenix.phone == "+1 786-631-2245"
    # the one national hotline keeps its hotline type; an energy-assistance
    # programme tagged "Human Trafficking Hotlines" does not become a hotline
    assert "hotline" in providers["national-human-trafficking-hotline"].services
    assert "hotline" not in providers["emergency-home-energy-assistance-program"].services


@needs_miami
@pytest.mark.long
def test_miami_export_import_round_trip(tmp_path: Path, miami_directory: Any) -> None:
    """Every field of every provider, as any output shows it, survives export -> import."""
    files = hsds.export_hsds(miami_directory.providers)
    hsds.write_export(tmp_path / "export", files)
    data, report = hsds.import_hsds(tmp_path / "export")
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


@needs_miami
def test_miami_search_finds_the_trafficking_shelter(miami_directory: Any) -> None:
    found = _miami_find(miami_directory, "trafficking shelter")
    assert "project-phoenix" in [r.provider.id for r in found]


def _tagged(report: dict[str, Any], code: str) -> set[str]:
    """Providers whose source record carries a taxonomy code (or one under it)."""
    return {
        d["id"]
        for d in report["provider_details"]
        if any(m.get("code", "").startswith(code) for m in d["mapped"])
    }


@needs_miami
def test_miami_real_trafficking_shelters_top_the_shelter_query(
    miami: tuple[Path, dict[str, Any], float, list[Any]], miami_directory: Any
) -> None:
    shelters = _tagged(miami[1], "BH-1800.1500-308")  # AIRS "Human Trafficking Shelters"
    assert len(shelters) >= 3
    top = [
        r.provider.id for r in _miami_find(miami_directory, "human trafficking shelter near Miami")
    ]
    assert set(top[:3]) <= shelters, top


@needs_miami
def test_miami_national_trafficking_hotline_is_national_and_top_3(
    miami: tuple[Path, dict[str, Any], float, list[Any]], miami_directory: Any
) -> None:
    found = _miami_find(miami_directory, "trafficking hotline near Miami")
    top = {r.provider.id: r for r in found[:3]}
    assert "national-human-trafficking-hotline" in top, list(top)
    assert top["national-human-trafficking-hotline"].reach == "national"
    guessed = {g["id"]: g for g in miami[1]["reach_guessed"]}
    assert guessed["national-human-trafficking-hotline"]["service_area"]["countries"] == ["US"]
    # a Florida toll-free line with no street is statewide, not national
    assert guessed["florida-kidcare"]["service_area"]["regions"] == ["US-FL"]


@needs_miami
def test_miami_unknown_eligibility_is_never_everyone(
    miami: tuple[Path, dict[str, Any], float, list[Any]], miami_directory: Any
) -> None:
    # no eligibility row can be linked to a service, so none is stated
    assert miami[1]["eligibility_not_stated"] == 4089
    for text in ("shelter for a 16 year old girl near Miami", "food near Miami", "legal aid"):
        for r in _miami_find(miami_directory, text):
            assert not r.provider.eligibility.stated
            assert "serves everyone" not in r.reasons
            assert "eligibility not stated — call to check" in r.reasons


@needs_miami
def test_miami_survivor_shelters_are_imported_confidential(
    miami: tuple[Path, dict[str, Any], float, list[Any]], miami_directory: Any
) -> None:
    review = {x["id"] for x in miami[1]["review"]}
    assert {"inn-transition-south", "project-phoenix", "the-lodge"} <= review
    by_id = {p.id: p for p in miami_directory.providers}
    for pid in review:
        public = by_id[pid].public_dict()
        assert "street" not in public.get("address", {}), pid
        assert "location" not in public, pid


# --- export and round trip ---------------------------------------------------------

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
    eligibility: {ages: [18, null], genders: [female], trafficking: [sex, labor]}
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
    eligibility: {ages: [12, 17]}
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


# --- the import command ------------------------------------------------------------


def test_import_never_overwrites_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    out.write_text("keep me", "utf-8")
    result = run("import-hsds", str(OHANA), "--output", str(out))
    assert result.exit_code == 1
    assert "pass --force" in result.output
    assert out.read_text("utf-8") == "keep me"
    result = run("import-hsds", str(OHANA), "--output", str(out), "--force")
    assert result.exit_code == 0
    assert "fair-oaks-adult-activity-center" in out.read_text("utf-8")


def test_import_usage_errors(tmp_path: Path) -> None:
    result = run("import-hsds", str(OHANA), "--output", str(tmp_path / "out.txt"))
    assert result.exit_code == 2
    result = run("import-hsds", str(tmp_path / "missing"), "--output", str(tmp_path / "o.yaml"))
    assert result.exit_code == 1
    assert "no such file" in result.output
    assert not (tmp_path / "o.yaml").exists()


def test_import_report_and_summary_line(tmp_path: Path) -> None:
    out, report = tmp_path / "o.yaml", tmp_path / "r.json"
    result = run("import-hsds", str(OHANA), "--output", str(out), "--report", str(report))
    assert result.exit_code == 0
    assert "imported 19 providers from 23 services:" in result.output
    assert f"report written to {report}" in result.output
    assert "2 test or placeholder records left out" in result.output
    assert "11 providers have no eligibility the source states" in result.output
    details = json.loads(report.read_text("utf-8"))
    assert details["providers"] == 19
    assert {d["id"] for d in details["provider_details"]} == set(providers_of(out))


def test_import_from_zip_matches_folder(tmp_path: Path, ohana: tuple[Path, dict[str, Any]]) -> None:
    archive = tmp_path / "ohana.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in OHANA.iterdir():
            zf.write(f, f"export/{f.name}")
    data, report = hsds.import_hsds(archive)
    assert report.as_dict()["providers"] == 19
    assert (
        yaml.safe_load(data)["providers"]
        == yaml.safe_load(ohana[0].read_text("utf-8"))["providers"]
    )


def test_installed_command_runs(tmp_path: Path) -> None:
    out = tmp_path / "o.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "referral_cli", "import-hsds", str(OHANA), "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "imported 19 providers" in proc.stderr
    assert "Traceback" not in proc.stderr


# --- small hand-made packages --------------------------------------------------------


def write_package(folder: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        columns = list(dict.fromkeys(k for r in rows for k in r))
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, columns)
            w.writeheader()
            w.writerows(rows)
    return folder


def test_hsds_1x_tables_dangling_ids_and_cleaning(tmp_path: Path) -> None:
    pkg = write_package(
        tmp_path / "pkg",
        {
            "organizations": [{"id": "o1", "name": "Casa Segura  "}],
            "services": [
                {
                    "id": "s1",
                    "organization_id": "o1",
                    "name": "Refugio   Casa",
                    "description": "Shelter for survivorsGÇÖ families.\\nCall first.###MON###",
                    "url": "casasegura.example.org",
                    "email": "not an email",
                },
                {
                    "id": "s2",
                    "organization_id": "missing-org",
                    "name": "Bingo Night",
                    "description": "Weekly games.",
                },
            ],  # fmt: skip
            "locations": [
                {
                    "id": "l1",
                    "organization_id": "o1",
                    "name": "Main",
                    "latitude": "25.8",
                    "longitude": "-80.2",
                }
            ],
            "services_at_location": [
                {"id": "x1", "service_id": "s1", "location_id": "l1"},
                {"id": "x2", "service_id": "s2", "location_id": "nowhere"},
            ],
            "physical_addresses": [
                {
                    "id": "a1",
                    "location_id": "l1",
                    "address_1": "5 Palm Ave ",
                    "city": "Miami",
                    "state_province": "FL ",
                    "postal_code": "33130",
                    "country": "   ",
                }
            ],  # fmt: skip
            "phones": [
                {"id": "p1", "service_id": "s1", "number": "305.555.0123 x7"},
                {"id": "p2", "service_id": "s2", "number": "call us"},
            ],
            "regular_schedules": [
                {"service_id": "s1", "weekday": d, "opens_at": "9:00am", "closes_at": "5:00"}
                for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
            ],
            "languages": [
                {"service_id": "s1", "language": "Spanish"},
                {"service_id": "s1", "language": "Creole (limited)"},
                {"service_id": "s1", "language": "Klingon"},
                {"service_id": "s1", "language": "other languages available upon request"},
            ],
            "eligibility": [{"id": "e1", "service_id": "s1", "eligibility": "Women ages 18-64"}],
            "taxonomy": [
                {"id": "BH-1800.1500-100", "name": "Domestic Violence Shelters", "parent_id": "B"},
                {"id": "ZZ-9999", "name": "Unusual Widgets", "parent_id": "Z"},
            ],
            "services_taxonomy": [
                {"id": "t1", "service_id": "s1", "taxonomy_id": "BH-1800.1500-100"},
                {"id": "t2", "service_id": "s1", "taxonomy_id": "ZZ-9999"},
                {"id": "t3", "service_id": "s1", "taxonomy_id": "XX-0000-not-there"},
            ],
        },
    )
    data, result = hsds.import_hsds(pkg)
    report = result.as_dict()
    doc = yaml.safe_load(data)["providers"]
    p = next(x for x in doc if x["x-hsds-id"] == "s1")
    assert p["id"] == "refugio-casa" and p["name"] == "Refugio Casa"
    assert p["organization"] == "Casa Segura"
    assert p["description"] == "Shelter for survivors’ families.\nCall first."
    assert p["services"] == ["temporary-shelter", "victim-advocacy"]
    assert "Unusual Widgets" in p["keywords"]  # unmapped term kept as a keyword
    assert "domestic violence" in p["keywords"]
    assert "interpretation available" in p["keywords"]
    assert p["website"] == "https://casasegura.example.org"
    assert "email" not in p
    assert p["phone"] == "+1 305-555-0123 x7"
    assert p["hours"] == {"mon-fri": "09:00-17:00"}
    assert p["timezone"] == "America/New_York"
    assert p["languages"] == ["es", "ht"]
    assert p["eligibility"] == {"ages": [18, 64], "notes": "Women ages 18-64"}
    assert p["address"] == {"street": "5 Palm Ave", "city": "Miami", "region": "FL",
                            "postal_code": "33130", "country": "US"}  # fmt: skip
    dropped = {(d["field"], d["value"]) for x in report["provider_details"] for d in x["dropped"]}
    assert ("email", "not an email") in dropped
    assert ("languages", "Klingon") in dropped
    assert ("phone", "call us") in dropped
    assert report["dangling_references"]["service.organization_id"] == 1
    assert report["dangling_references"]["service_at_location.location_id"] == 1
    assert report["dangling_references"]["attribute.taxonomy_term_id"] == 1
    assert {"term": "ZZ-9999 Unusual Widgets", "services": 1} in report["unmapped_terms"]
    bingo = next(x for x in doc if x["x-hsds-id"] == "s2")
    assert bingo["services"]  # nothing maps: a default is guessed, so it validates
    detail = next(x for x in report["provider_details"] if x["hsds_service_id"] == "s2")
    assert detail["services"] == "guessed" and detail["guessed"]
    assert report["mapped"] == 1 and report["guessed"] == 1
    assert result.summary().startswith("imported 2 providers from 2 services: 1 mapped, 1 guessed")
    out = tmp_path / "out.yaml"
    out.write_bytes(data)
    assert errors_of(out) == []


def test_service_at_several_locations_gives_one_provider_each(tmp_path: Path) -> None:
    pkg = write_package(
        tmp_path / "pkg",
        {
            "service": [{"id": "s1", "name": "Legal Aid Office", "description": "Free advice."}],
            "location": [
                {"id": "l1", "name": "North Office", "latitude": "25.9", "longitude": "-80.2"},
                {"id": "l2", "name": "South Office", "latitude": "25.5", "longitude": "-80.4"},
            ],
            "service_at_location": [
                {"id": "x1", "service_id": "s1", "location_id": "l1"},
                {"id": "x2", "service_id": "s1", "location_id": "l2"},
            ],
        },
    )
    data, _ = hsds.import_hsds(pkg)
    doc = {p["id"]: p for p in yaml.safe_load(data)["providers"]}
    assert set(doc) == {"legal-aid-office-north-office", "legal-aid-office-south-office"}
    assert doc["legal-aid-office-north-office"]["name"] == "Legal Aid Office (North Office)"
    assert doc["legal-aid-office-south-office"]["x-hsds-id"] == "s1@l2"
    # no taxonomy terms: the service's own words choose the type
    assert doc["legal-aid-office-south-office"]["services"] == ["legal-aid"]


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
    data, result = hsds.import_hsds(src)
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


# --- the pieces -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("Age 55 or over", (55, None)),
        ("ages 12-17", (12, 17)),
        ("Youth aged 12 to 17 years", (12, 17)),
        ("under 18", (None, 17)),
        ("18 and older", (18, None)),
        ("children 5 years and under", (None, 5)),
        ("youth", (None, 24)),
        ("Seniors", (55, None)),
        ("Age 55 or over for most programs, age 60 or over for lunch program", (55, None)),
        ("All girls, 5-17 years old. Adult members over 18 years old.", (5, None)),
    ],
)
def test_ages_from_eligibility_text(text: str, ages: tuple[int | None, int | None]) -> None:
    found = parse_ages(text, load_map())
    assert found is not None and found[0] == ages


@pytest.mark.parametrize(
    "text", ["None", "Low-income families with children", "Resident of California", "Any age"]
)
def test_no_ages_invented(text: str) -> None:
    assert parse_ages(text, load_map()) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("305-253-4841", "+1 305-253-4841"),
        ("(650) 403-4300", "+1 650-403-4300"),
        ("1-800-373-7888", "+1 800-373-7888"),
        ("305-555-0100 x123", "+1 305-555-0100 x123"),
        ("211", "211"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("'+1 305-555-0100", "+1 305-555-0100"),
        ("703-555-ABCD", None),
        ("12", None),
    ],
)
def test_phone_normalisation(raw: str, expected: str | None) -> None:
    assert normalise_phone(raw, "", "US")[0] == expected


def test_phone_extension_that_is_not_a_number_is_dropped_with_a_note() -> None:
    number, note = normalise_phone("305-891-8850 xOPT2", "", "US")
    assert number == "+1 305-891-8850" and "OPT2" in note


@pytest.mark.parametrize(
    ("raw", "minutes"),
    [("9:00am", 540), ("5:00pm", 1020), ("12:00pm", 720), ("12:00am", 0), ("08:00", 480),
     ("4:00 PM", 960), ("3pm", 900), ("830am", 510), ("10:00:00", 600), ("09:00-05:00", 540)],
)  # fmt: skip
def test_times(raw: str, minutes: int) -> None:
    parsed = hours.read_clock(raw)
    assert parsed is not None and parsed[0] == minutes


def test_hours_compress_to_day_ranges() -> None:
    week = {d: [(540, 1020)] for d in range(5)} | {5: [(600, 720)]}
    assert hours.from_weekly(week) == {"mon-fri": "09:00-17:00", "sat": "10:00-12:00"}
    assert hours.from_weekly({d: [(0, 1440)] for d in range(7)}) == "24/7"


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("CafÃ© niÃ±os", "Café niños"),  # UTF-8 read as Windows-1252
        ("the OfficeGÇÖs hours", "the Office’s hours"),  # 211 Miami's lossy variant
        ("GÇ£MentorsGÇ¥", "“Mentors”"),
        ("Caf+¬ and C+íncer", "Café and Cáncer"),
        ("Café déjà vu", "Café déjà vu"),  # correct text is left alone
    ],
)
def test_mis_decoded_characters(raw: str, fixed: str) -> None:
    assert Cleaner(load_map()).text(raw) == fixed


def test_cleaner_text() -> None:
    c = Cleaner(load_map())
    assert c.text("  Line one\\nLine   two  ", multiline=True) == "Line one\nLine two"
    assert c.text("Help ###MON###") == "Help"
    assert c.text("\x1b[31mred\x1b[0m") == "red"  # terminal codes never get in
    assert c.text("   ") is None


def test_urls_and_emails() -> None:
    assert normalise_url("www.camillus.org") == "https://www.camillus.org"
    assert normalise_url("https:/www.example.org/a") == "https://www.example.org/a"
    assert normalise_url("not a url") is None
    assert normalise_email("mailto:Help@Example.org") == "Help@Example.org"
    assert normalise_email("help at example") is None


def test_slugs() -> None:
    assert slug("Centro de Niños, Inc.") == "centro-de-ninos-inc"
    assert slug("A & B's") == "a-and-bs"
    assert len(slug("word " * 40)) <= 60


def test_yaml_writer_round_trips_awkward_text() -> None:
    awkward = [
        "yes", "No", "null", "12:30", "- dash", "a: b", "x #y", "[list]", "{map}", "'quoted'",
        '"double"', "trailing ", "multi\nline", "  lead", "tab\there", "emoji 🙂", "ü", "Mr. X",
        "a, b", "https://example.org/a?b=c#d", "08", "1e5", "~", "@at", "%pct", "*star", "&amp",
        "!bang", "|pipe", ">gt", "line\n\n  indented", "\u2028sep",
    ]  # fmt: skip
    providers = [
        {"id": f"p-{i}", "name": text, "services": ["legal-aid"], "keywords": [text, "k"],
         "description": text, "eligibility": {"notes": text}}
        for i, text in enumerate(awkward)
    ]  # fmt: skip
    data, starts = dump_yaml(providers, "test")
    back = yaml.safe_load(data)["providers"]
    assert back == providers
    lines = data.decode().split("\n")
    assert all(lines[s - 1].startswith("  - id: ") for s in starts)


def test_mapping_table_targets_are_taxonomy_keys() -> None:
    from referral_cli import taxonomy

    known = set(taxonomy.load().service_types)
    unknown = [
        (where, key)
        for where, t in load_map().all_targets()
        for key in t.services
        if key not in known
    ]
    assert unknown == []


def test_mapping_table_lookups() -> None:
    m = load_map()
    assert longest_prefix("BH-1800.1500-308", m.airs)[0] == "BH-1800.1500-308"
    assert longest_prefix("BH-1800.8500-185", m.airs)[0] == "BH-1800.8500"
    assert longest_prefix("LV-1600.1700", m.airs)[1].services == ("dental",)
    assert longest_prefix("YB-9500.0500", m.airs)[1].services == ()  # a population
    assert longest_prefix("101-06-02", m.open_eligibility)[1].services == ("temporary-shelter",)
    assert longest_prefix("PL-6400.1500-820", m.airs)[1].services == ("education",)
    assert longest_prefix("PL-7000.8900-100", m.airs) is None  # basketball
    assert longest_prefix("PL-7000.8900-100", m.airs_fallback)[0] == "PL"


# --- maintainers: the pre-commit hook ---------------------------------------------------


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load(
        (Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text("utf-8")
    )
    hook = next(h for h in hooks if h["id"] == "referral-validate")
    assert hook["entry"].split()[:2] == ["referral", "validate"]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert __import__("re").search(hook["files"], "data/resources.yaml")


VALIDATION_CODES = (
    "required", "type", "unknown-key", "enum", "taxonomy", "language", "format", "hours",
    "timezone", "range", "id", "confidential", "location", "duplicate-id", "stale",
    "future-date", "duplicate", "empty", "style", "io",
)  # fmt: skip


def test_maintainers_doc_lists_every_validation_code() -> None:
    import re

    package = Path(referral_cli.__file__).parent
    source = (package / "validate.py").read_text("utf-8") + (package / "directory.py").read_text(
        "utf-8"
    )
    used = set(re.findall(r'"([a-z][a-z-]*)",?\s*\)', source)) & set(VALIDATION_CODES)
    assert used  # the validator still uses these codes
    doc = (Path(__file__).parents[1] / "docs" / "maintainers.md").read_text("utf-8")
    missing = [code for code in VALIDATION_CODES if f"`{code}`" not in doc]
    assert missing == []
    assert "validate --format github" in doc
    assert "yaml-language-server" in doc


def test_io_copy_in_shared_fixture_is_untouched() -> None:
    """The shipped sample is the upstream files byte for byte, with their attribution."""
    assert (OHANA / "SOURCE.md").read_text("utf-8").startswith("# Ohana API sample CSVs")
    rows = list(csv.DictReader(io.StringIO((OHANA / "services.csv").read_text("utf-8"))))
    assert len(rows) == 23
    assert not (FIXTURES / "open211-miami").exists()  # never copied into the project


def test_export_writes_a_new_folder_whole(tmp_path: Path) -> None:
    files = {"a.csv": b"id\n", "datapackage.json": b"{}\n"}
    target = tmp_path / "new" / "pkg"
    hsds.write_export(target, files)
    assert sorted(p.name for p in target.iterdir()) == ["a.csv", "datapackage.json"]
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]
    with pytest.raises(ReferralError):
        hsds.write_export(target, files)
    shutil.rmtree(target)


def test_a_provider_that_would_not_validate_is_left_out_and_reported() -> None:
    good = {"id": "good-one", "name": "Good", "services": ["legal-aid"],
            "description": "Two\nlines\nof text"}  # fmt: skip
    bad = {"id": "bad-one", "name": "Bad", "services": ["legal-aid"], "timezone": "Mars/Olympus"}
    report = ImportReport(source="test")
    report.providers = [ProviderReport("good-one", "1"), ProviderReport("bad-one", "2")]
    kept, data = _validated([good, bad, dict(good, id="good-two")], report, "header")
    ids = [p["id"] for p in yaml.safe_load(data)["providers"]]
    assert [p["id"] for p in kept] == ids
    assert ids == ["good-one", "good-two"]
    assert report.rejected[0]["id"] == "bad-one"
    assert "time zone" in report.rejected[0]["errors"][0]
    assert [p.id for p in report.providers] == ["good-one"]


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
    data, _ = hsds.import_hsds(src)
    (p,) = yaml.safe_load(data)["providers"]
    assert p["organization"] == "Harbor Network"
    assert p["services"] == ["legal-aid"] and "immigration" in p["keywords"]


def test_deeply_nested_json_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "deep.json"
    src.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    with pytest.raises(ReferralError, match="nested too deeply|not valid JSON"):
        hsds.import_hsds(src)


def test_imported_file_fits_the_editor_schema(ohana: tuple[Path, dict[str, Any]]) -> None:
    """The modeline points editors at the JSON Schema: the import must satisfy it."""
    import re

    from referral_cli import schema

    provider = schema.build()["$defs"]["provider"]
    props = provider["properties"]
    for p in providers_of(ohana[0]).values():
        for key in p:
            assert key in props or re.match("^x-", key), key
        assert set(p["services"]) <= set(props["services"]["items"]["enum"])
        tag = re.compile(props["languages"]["items"]["pattern"])
        assert all(tag.match(code) for code in p.get("languages", []))
        assert re.match(props["phone"]["pattern"], p["phone"])
        for spec in (p.get("hours") or {}).values() if isinstance(p.get("hours"), dict) else ():
            assert re.match(props["hours"]["oneOf"][1]["additionalProperties"]["pattern"], spec)


def test_validate_github_format_annotates_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "data.yaml"
    bad.write_text("providers:\n  - id: x-1\n    name: X\n    services: [shelterr]\n", "utf-8")
    result = run("validate", str(bad), "--format", "github")
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if x.startswith("::error"))
    assert "line=4" in line and "unknown service type" in line


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
    data, _ = hsds.import_hsds(pkg)
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


def test_import_into_a_folder_writes_one_file_per_organisation(
    tmp_path: Path, ohana: tuple[Path, dict[str, Any]]
) -> None:
    out = tmp_path / "imported"
    result = run("import-hsds", str(OHANA), "--output", str(out))
    assert result.exit_code == 0, result.output
    assert "wrote 5 files (one per organisation)" in result.output
    files = sorted(p.name for p in out.iterdir())
    assert "salvation-army.yaml" in files and "redwood-city-public-library.yaml" in files
    together = load(out, use_cache=False)
    assert [d for d in together.diagnostics if d.severity == "error"] == []
    # the same providers as the single file, each in its organisation's file
    assert sorted(p.id for p in together.providers) == sorted(providers_of(ohana[0]))
    army = providers_of(out / "salvation-army.yaml")
    assert {p.get("organization") for p in army.values()} == {"Salvation Army"}
    again = run("import-hsds", str(OHANA), "--output", str(out))
    assert again.exit_code == 1 and "--force" in again.output
