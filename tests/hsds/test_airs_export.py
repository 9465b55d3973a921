"""referral_cli.hsds.airs_export: the 211 resource export (iCarol / AIRS layout) read
through the real ``referral import-hsds``, then ``find`` and ``show``: types from the
AIRS codes, placing, a private address and phone, statuses, eligibility and residency,
dangling record numbers and data errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referral_cli.directory import load
from referral_cli.errors import ReferralError
from referral_cli.hsds import airs_export
from referral_cli.hsds.importer import import_hsds
from referral_cli.hsds.read import read_source

from .helpers import FIXTURES, errors_of, providers_of, run, write_package

EXPORT = FIXTURES / "airs-export" / "resources.csv"
# the private site of the Women's Detox Program: street, postal code and point
SECRETS = ("Secret Palm", "742 ", "85281", "33.4101", "111.9301")
# the directory file keeps a confidential provider's point (to measure distances, never
# shown), as every import does; never its street or postal code
STREET = SECRETS[:3]
PRIVATE_PHONE = "555-0199"


def _import(source: Path, folder: Path) -> tuple[Any, Path, dict[str, Any]]:
    out, report = folder / "d.yaml", folder / "r.json"
    result = run("import-hsds", str(source), "-o", str(out), "--report", str(report), "--force")
    return result, out, json.loads(report.read_text("utf-8")) if report.exists() else {}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path, dict[str, Any]]:
    result, out, report = _import(EXPORT, tmp_path_factory.mktemp("airs"))
    assert result.exit_code == 0, result.output
    return result, out, report


def _find(directory: Path, query: str, *more: str) -> Any:
    result = run("find", query, "-d", str(directory), "--format", "json", *more)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _found(directory: Path, query: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in _find(directory, query)["results"]}


def test_the_export_imports_and_validates(imported: tuple[Any, Path, dict[str, Any]]) -> None:
    result, out, report = imported
    assert errors_of(out) == []
    assert report["format"] == airs_export.FLAVOUR
    assert report["services"] == 8  # 7 programmes and the agency that is its own service
    assert report["providers"] == 7
    assert report["dangling_references"] == {}
    assert report["ignored_tables"] == {
        "OtherAddress1": "a column of the 211 export not used by the directory format"
    }
    assert "imported 7 providers from 8 services" in result.stderr
    assert "16 records read: 5 Agency, 7 Program, 2 Site, 2 ProgramAtSite" in report["notes"]


def test_types_come_from_the_airs_codes(imported: tuple[Any, Path, dict[str, Any]]) -> None:
    services = {p["x-hsds-id"]: p["services"] for p in providers_of(imported[1]).values()}
    assert services == {
        "101": ["temporary-shelter"],  # BH-1800.8500 Homeless Shelter
        "102": ["victim-advocacy"],  # PH-1000 Case/Care Management
        "103": ["legal-aid"],  # FP-4500 Legal Representation
        "201": ["medical"],  # RX-1700 Detoxification
        "401": ["vulnerability-support"],  # BH-3800 Housing Expense Assistance
        "402": ["vulnerability-support"],  # BD-1800.2000 Food Pantries
        "600": ["hotline"],  # RP-1500.1400, an agency with no programme: its own service
    }


def test_the_right_providers_are_found_near_a_place(
    imported: tuple[Any, Path, dict[str, Any]],
) -> None:
    out = imported[1]
    shelter = _found(out, "shelter for a man near Phoenix, AZ")
    assert next(iter(shelter)) == "mens-emergency-shelter"
    assert shelter["mens-emergency-shelter"]["services"] == ["temporary-shelter"]
    # placed at the site its ProgramAtSite row links it to, not at its agency
    assert shelter["mens-emergency-shelter"]["address"]["street"] == "1500 S 7th Ave"
    assert next(iter(_found(out, "legal help near Phoenix, AZ"))) == "youth-legal-clinic"
    assert next(iter(_found(out, "food pantry near Casa Grande, AZ"))) == (
        "casa-grande-food-pantry"
    )
    hotline = _found(out, "trafficking hotline near Flagstaff, AZ")
    assert "arizona-anti-trafficking-hotline" in hotline  # statewide: CoverageArea "Arizona"


def test_a_programme_without_a_site_is_placed_at_its_agency(
    imported: tuple[Any, Path, dict[str, Any]],
) -> None:
    _, out, report = imported
    providers = providers_of(out)
    assert providers["survivor-case-management"]["address"]["street"] == "1000 W Washington St"
    assert providers["survivor-case-management"]["location"] == {"lat": 33.4483, "lon": -112.088}
    # its own address, when it has one
    assert providers["youth-legal-clinic"]["address"]["street"] == "200 E Van Buren St"
    assert report["placed_without_own_location"] == {"at its organisation's only location": 3}
    # PhysicalCounty "Pinal" of the agency: a county, named as the importer reads one
    assert providers["casa-grande-food-pantry"]["address"]["county"] == "Pinal County"


def _every_output(out: Path, pid: str) -> str:
    """What find (json, table, full layout) and show print of the directory."""
    said = [
        run("find", "detox for a woman near Tempe, AZ", "-d", str(out), *how).stdout
        for how in (("--format", "json"), (), ("--layout", "full"))
    ]
    said += [run("show", pid, "-d", str(out), *how).stdout for how in ((), ("--format", "json"))]
    return "\n".join(said)


def test_a_private_address_and_point_appear_in_no_output(
    imported: tuple[Any, Path, dict[str, Any]],
) -> None:
    _, out, report = imported
    detox = providers_of(out)["womens-detox-program"]
    assert detox["confidential"] is True
    assert "street" not in detox["address"] and "postal_code" not in detox["address"]
    shown = _every_output(out, "womens-detox-program")
    assert "Women's Detox Program" in shown and "Tempe" in shown
    assert [s for s in SECRETS if s in shown] == []
    assert "1 addresses marked private" in " ".join(report["notes"])


def test_the_private_address_test_would_see_a_published_street(tmp_path: Path) -> None:
    """The same export with the site's PhysicalAddressIsPrivate 'No': the street and
    the point are shown, so the test above would fail if the flag were ignored."""
    public = tmp_path / "resources.csv"
    public.write_text(EXPORT.read_text("utf-8").replace("85281,US,Yes", "85281,US,No"), "utf-8")
    result, out, _ = _import(public, tmp_path)
    assert result.exit_code == 0, result.output
    shown = _every_output(out, "womens-detox-program")
    assert "742 Secret Palm Ln" in shown and "33.4101" in shown


@pytest.mark.parametrize(
    ("row", "value"),
    [("201", "Yes"), ("200", "Yes"), ("220", "Yes"), ("210", "unknown")],
)
def test_private_on_the_programme_its_agency_or_the_link_or_unknown_is_private(
    tmp_path: Path, row: str, value: str
) -> None:
    """PhysicalAddressIsPrivate on the programme, its agency or the ProgramAtSite row
    makes the site's address private too; a value that is neither yes nor no protects."""
    rows = list(csv.DictReader(io.StringIO(EXPORT.read_text("utf-8"))))
    for r in rows:
        if r["ResourceAgencyNum"] == "210":
            r["PhysicalAddressIsPrivate"] = "No"
        if r["ResourceAgencyNum"] == row:
            r["PhysicalAddressIsPrivate"] = value
    source = tmp_path / "resources.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result, out, _ = _import(source, tmp_path)
    assert result.exit_code == 0, result.output
    assert providers_of(out)["womens-detox-program"]["confidential"] is True
    assert [s for s in STREET if s in out.read_text("utf-8")] == []


def test_nothing_of_a_private_place_enters_the_tables(tmp_path: Path) -> None:
    """Its street, postal code and mailing address (often the same street) are not
    read at all: no later step can publish what it never had."""
    source = tmp_path / "resources.csv"
    source.write_text(
        "ResourceAgencyNum,TaxonomyLevelName,PublicName,PhysicalAddress1,PhysicalCity,"
        "PhysicalStateProvince,PhysicalPostalCode,PhysicalAddressIsPrivate,MailingAddress1,"
        "MailingCity,Phone1Number,TaxonomyCodes\n"
        "1,Agency,Quiet House,742 Secret Palm Ln,Tempe,AZ,85281,Yes,742 Secret Palm Ln,Tempe,"
        "480-555-0100,BH-1800\n",
        "utf-8",
    )
    tables = read_source(source)
    assert [s for s in STREET if s in json.dumps(tables.rows)] == []
    assert tables.get("address") == [
        {
            "id": "1",
            "location_id": "1",
            "city": "Tempe",
            "state_province": "AZ",
            "address_1": airs_export.WITHHELD_STREET,
        }
    ]


def test_a_private_phone_is_never_imported(imported: tuple[Any, Path, dict[str, Any]]) -> None:
    _, out, report = imported
    assert PRIVATE_PHONE not in out.read_text("utf-8")
    assert PRIVATE_PHONE not in json.dumps(report)
    case = providers_of(out)["survivor-case-management"]
    assert case["hotline"] == "+1 602-555-0111" and "phone" not in case
    assert "1 phones marked private not imported" in report["notes"]


def test_inactive_and_do_not_refer_are_never_listed_and_are_reported(
    imported: tuple[Any, Path, dict[str, Any]],
) -> None:
    result, out, report = imported
    providers = providers_of(out)
    # the programme is active but its agency is inactive: the stronger status stands
    assert "sunrise-pantry" not in providers
    assert report["skipped_services"] == [
        {"service": "301", "name": "Sunrise Pantry", "reason": "status inactive"}
    ]
    assert "1 status inactive" in result.stderr
    assert providers["emergency-rent-assistance"]["status"]["state"] == "do-not-refer"
    assert report["not_referred"] == [
        {
            "id": "emergency-rent-assistance",
            "state": "do-not-refer",
            "reason": "source status: Active, but do not refer",
        }
    ]
    assert "1 providers imported with a status that takes no referrals" in result.stderr
    answer = _find(out, "help with rent near Casa Grande, AZ")
    assert "emergency-rent-assistance" not in {r["id"] for r in answer["results"]}
    assert [x["id"] for x in answer["left_out"]] == ["emergency-rent-assistance"]
    shown = run("show", "emergency-rent-assistance", "-d", str(out)).stdout
    assert "not taking referrals" in shown


def test_referral_and_directory_flags_and_temporary_messages(tmp_path: Path) -> None:
    """AvailableForReferral 'No' and a temporary message that says so take no referrals
    (an expired message says nothing); a record kept out of directories is left out
    with its agency's programmes."""
    source = tmp_path / "resources.csv"
    rows = [
        ("1", "Agency", "", "Casa Agency", "", "", "", "", ""),
        ("2", "Program", "1", "Full Shelter", "No", "", "", "", ""),
        ("3", "Program", "1", "Paused Shelter", "", "", "Not accepting referrals.", "", ""),
        (
            "4",
            "Program",
            "1",
            "Old News Shelter",
            "",
            "",
            "Not accepting referrals.",
            "1/2/2020",
            "",
        ),
        ("5", "Agency", "", "Hidden Agency", "", "Yes", "", "", ""),
        ("6", "Program", "5", "Hidden Shelter", "", "", "", "", ""),
        ("7", "Program", "1", "Unlisted Shelter", "", "", "", "", "No"),
    ]
    header = (
        "ResourceAgencyNum,TaxonomyLevelName,ParentAgencyNum,PublicName,AvailableForReferral,"
        "ExcludeFromDirectory,TemporaryMessage,TemporaryMessageExpires,AvailableForDirectory,"
        "PhysicalCity,PhysicalStateProvince,Phone1Number,TaxonomyCodes,Hours,HoursOfOperation\n"
    )
    body = "".join(
        ",".join(r) + ",Phoenix,AZ,602-555-0100,BH-1800.8500,Mon-Fri,9am-5pm\n" for r in rows
    )
    source.write_text(header + body, "utf-8")
    data, report = import_hsds(source)
    providers = {p["name"]: p for p in yaml.safe_load(data)["providers"]}
    assert set(providers) == {"Full Shelter", "Paused Shelter", "Old News Shelter"}
    assert providers["Full Shelter"]["status"] == {
        "state": "do-not-refer",
        "reason": "source status: do not refer (AvailableForReferral: No)",
    }
    assert providers["Paused Shelter"]["status"]["state"] == "do-not-refer"
    assert "status" not in providers["Old News Shelter"]
    assert providers["Old News Shelter"]["hours"] == "Mon-Fri; 9am-5pm"
    assert any("3 records left out: the export keeps them" in n for n in report.notes)


def test_a_mens_shelter_is_not_listed_for_a_woman(
    imported: tuple[Any, Path, dict[str, Any]],
) -> None:
    out = imported[1]
    men = providers_of(out)["mens-emergency-shelter"]["eligibility"]
    assert men["genders"] == ["male"] and men["ages"] == [18, None]
    assert "mens-emergency-shelter" not in _found(out, "a woman needs a shelter near Phoenix, AZ")
    assert "mens-emergency-shelter" in _found(out, "a man needs a shelter near Phoenix, AZ")


def test_residency_rules_are_read_from_the_eligibility(
    imported: tuple[Any, Path, dict[str, Any]],
) -> None:
    providers = providers_of(imported[1])
    clinic = providers["youth-legal-clinic"]["eligibility"]
    assert clinic["residents_of"] == ["85004", "85006"] and clinic["ages"] == [14, 24]
    detox = providers["womens-detox-program"]["eligibility"]
    assert detox["residents_of"] == ["Maricopa County"] and detox["genders"] == ["female"]
    assert "youth-legal-clinic" in _found(imported[1], "legal help for a 16 year old in 85004")
    assert "youth-legal-clinic" not in _found(imported[1], "legal help for a 16 year old in 85003")


def test_coverage_areas_become_service_areas() -> None:
    assert airs_export._coverage(
        "Arizona - Maricopa County; Arizona - Pinal County - Casa Grande; Arizona - Statewide"
    ) == ["Maricopa County", "Casa Grande", "Arizona"]
    tables = read_source(EXPORT)
    areas = {(r["service_id"], r.get("name")) for r in tables.get("service_area")}
    assert ("402", "Casa Grande") in areas and ("600", "Arizona") in areas


def test_taxonomy_codes_and_names_are_paired_in_order(tmp_path: Path) -> None:
    source = tmp_path / "resources.csv"
    source.write_text(
        "ResourceAgencyNum,TaxonomyLevelName,PublicName,TaxonomyCodes,TaxonomyTerms\n"
        '1,Agency,Casa,"BH-1800.8500, BD-1800.2000","Homeless Shelter; Food Pantries, Mobile"\n',
        "utf-8",
    )
    tables = read_source(source)
    terms = [(t["code"], t["name"]) for t in tables.get("taxonomy_term")]
    assert terms == [
        ("BH-1800.8500", "Homeless Shelter"),
        ("BD-1800.2000", "Food Pantries, Mobile"),
    ]
    assert [a["link_id"] for a in tables.get("attribute")] == ["1", "1"]


def test_a_folder_or_zip_holding_the_export_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "resources.csv").write_bytes(EXPORT.read_bytes())
    packed = tmp_path / "export.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(EXPORT, "export/resources.csv")
    for source in (folder, packed):
        tables = read_source(source)
        assert tables.flavour == airs_export.FLAVOUR
        assert len(tables.get("service")) == 8


def test_dangling_record_numbers_are_counted_and_named(tmp_path: Path) -> None:
    source = tmp_path / "resources.csv"
    source.write_text(
        "ResourceAgencyNum,TaxonomyLevelName,ParentAgencyNum,ConnectsToSiteNum,"
        "ConnectsToProgramNum,PublicName,PhysicalCity,PhysicalStateProvince,Phone1Number,"
        "TaxonomyCodes\n"
        "1,Program,99,,,Food Pantry,Phoenix,AZ,602-555-0100,BD-1800.2000\n"
        "2,ProgramAtSite,,98,1,Pantry at a site,,,,\n"
        "3,ProgramAtSite,,,97,Nothing,,,,\n",
        "utf-8",
    )
    result, out, report = _import(source, tmp_path)
    assert result.exit_code == 5
    assert report["dangling_references"] == {
        "ParentAgencyNum": 1,
        "ConnectsToSiteNum": 1,
        "ConnectsToProgramNum": 1,
        "ConnectsToSiteNum (empty)": 1,  # row 3 links a programme to no site
    }
    assert "references that lead nowhere" in result.stderr and "ParentAgencyNum" in result.stderr
    assert list(providers_of(out)) == ["food-pantry"]


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        (
            "7,Agency,A\n7,Program,B\n",
            "resources.csv:3:1: ResourceAgencyNum '7' is also the record",
        ),
        ("7,Agencyy,A\n", "resources.csv:2:2: TaxonomyLevelName 'Agencyy' is none of"),
    ],
)
def test_data_errors_are_one_line_with_the_place(tmp_path: Path, rows: str, said: str) -> None:
    source = tmp_path / "resources.csv"
    source.write_text("ResourceAgencyNum,TaxonomyLevelName,PublicName\n" + rows, "utf-8")
    result, out, _ = _import(source, tmp_path)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0] and "Traceback" not in result.stderr
    assert not out.exists()


def test_a_csv_of_neither_layout_is_refused_with_one_clear_line(tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text("name,address\nCasa,1 Main St\n", "utf-8")
    result = run("import-hsds", str(source), "-o", str(tmp_path / "d.yaml"))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "neither an HSDS package nor a 211 resource export" in lines[0]


def test_the_installed_command_reads_the_export(tmp_path: Path) -> None:
    out = tmp_path / "d.yaml"
    referral = Path(sys.executable).with_name("referral")
    proc = subprocess.run(
        [str(referral), "import-hsds", str(EXPORT), "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "imported 7 providers from 8 services" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert [s for s in STREET if s in out.read_text("utf-8")] == []


def test_our_own_export_still_imports_as_hsds(
    tmp_path: Path, imported: tuple[Any, Path, dict[str, Any]]
) -> None:
    """A directory exported by export-hsds (here the one the 211 export gave) imports
    back as HSDS 3.0, every field as before; a stray 211 CSV beside the HSDS tables
    does not change how the package is read."""
    data = tmp_path / "data" / "resources.yaml"
    data.parent.mkdir()
    data.write_bytes(imported[1].read_bytes())
    package = tmp_path / "package"
    assert run("export-hsds", "--output", str(package), "--data", str(data)).exit_code == 0
    (package / "stray.csv").write_bytes(EXPORT.read_bytes())
    result, back, report = _import(package, tmp_path)
    assert result.exit_code == 0, result.output
    assert report["format"].startswith("HSDS 3.0")
    before = {p.id: p.public_dict() for p in load(data, use_cache=False).providers}
    after = {p.id: p.public_dict() for p in load(back, use_cache=False).providers}
    assert set(after) == set(before)
    for pid, was in before.items():
        now = dict(after[pid])
        if was.get("confidential"):  # its point is never exported: placed by its town
            assert now.pop("placed", None) == {"from": "city", "place": "Tempe, AZ, US"}
        assert now == was, pid


def test_an_hsds_folder_is_read_as_before(tmp_path: Path) -> None:
    package = write_package(
        tmp_path / "pkg",
        {
            "services": [{"id": "s1", "name": "Shelter", "description": "Emergency shelter"}],
            "resources": [{"ResourceAgencyNum": "1", "PublicName": "Casa", "CoverageArea": "AZ"}],
        },
    )
    tables = read_source(package)
    assert tables.flavour == "HSDS 1.0 / Ohana CSV"
    assert [r["id"] for r in tables.get("service")] == ["s1"]


COLUMNS = (
    "ResourceAgencyNum",
    "TaxonomyLevelName",
    "ParentAgencyNum",
    "ConnectsToSiteNum",
    "ConnectsToProgramNum",
    "PublicName",
    "AgencyStatus",
    "PhysicalAddress1",
    "PhysicalCity",
    "PhysicalStateProvince",
    "PhysicalAddressIsPrivate",
    "Latitude",
    "Longitude",
    "Phone1Number",
    "Phone1IsPrivate",
    "CoverageArea",
    "Eligibility",
    "CustomEligibilitybyAge",
    "CustomEligibilityByGender",
    "TaxonomyCodes",
    "TaxonomyTerms",
)
_CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "2",
            "3",
            "Agency",
            "Program",
            "Site",
            "ProgramAtSite",
            "Yes",
            "No",
            "Inactive",
            "Active, but do not refer",
            "AZ",
            "Phoenix",
            "33.45",
            "-112.07",
            "nan",
            "602-555-0100",
            "BH-1800; BD",
            "Men",
            "18+",
            "Arizona - Maricopa County;",
        ]
    ),
    st.text(max_size=12),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.fixed_dictionaries({c: _CELL for c in COLUMNS}), max_size=8))
def test_odd_rows_never_crash_the_import(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    """Any rows give providers that validate, or one ReferralError line; never a crash."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    source = tmp_path / "resources.csv"
    source.write_text(buffer.getvalue(), "utf-8")
    try:
        data, report = import_hsds(source)
    except ReferralError as exc:
        assert "\n" not in str(exc)
        return
    providers = yaml.safe_load(data)["providers"] or []
    assert len(providers) == len(report.providers)
