"""The HSDS export against Open Referral's official HSDS 3.0 schema, and the round trip.

The official descriptor and JSON Schemas are read from ../shared/hsds3/ beside the
repository (CC BY-SA 4.0, Open Referral); these tests are skipped when it is
absent. The descriptor lists every HSDS table; the export is checked against the
resources it writes, with the official field schemas, required fields, formats,
enums, unique and foreign keys.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import HSDS3, LONG_PROFILE, needs_shared
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referral_cli.directory import load
from referral_cli.hsds.export import export_hsds, export_hsds_json, new_id, write_export
from referral_cli.hsds.importer import import_hsds

OHANA = Path(__file__).parents[1] / "fixtures" / "ohana-smc-sample"
needs_hsds3 = needs_shared("the official HSDS 3.0 schemas", HSDS3 / "datapackage.json")

DIRECTORY = """\
providers:
  - id: safe-harbor-house
    name: Safe Harbor House
    organization: Harbor Network
    description: "Shelter for women leaving trafficking. =not a formula"
    services: [temporary-shelter, victim-advocacy]
    eligibility: {ages: [18, null], genders: [female], trafficking: [sex, labor]}
    languages: [en, es, vi]
    phone: "+1 305-555-0142"
    hotline: "+1 305-555-0199"
    hours: "24/7"
    timezone: America/New_York
    capacity: {beds: 12}
    availability: {beds_available: 0, maximum: 12, as_of: "2026-12-07T21:00:00-05:00"}
    status: {state: closed, until: 2026-12-12, reason: renovation}
    address: {street: 12 Secret Lane, city: Miami, county: Miami-Dade County, region: FL, postal_code: "33101", country: US}
    location: {lat: 25.7701, lon: -80.1999}
    confidential: true
    last_verified: 2026-10-01
  - id: open-door-legal
    name: Open Door Legal
    services: [legal-aid]
    eligibility: {stated: false, notes: Call for intake}
    phone: "+1 305-555-0100 x12"
    email: help@example.org
    website: https://example.org/legal
    hours: {mon-fri: "09:00-17:00", sat: "10:00-12:00, 13:00-24:00", sun: closed}
    timezone: America/New_York
    address: {city: Homestead, region: FL, country: US}
    service_area: {regions: [US-FL], remote: true}
    status: {state: do-not-refer, reason: moved}
    last_verified: 2026-09-01
    verified_by: JS
  - id: hotline-only
    name: Hotline Only
    services: [hotline]
    phone: "211"
    service_area: {countries: [US], remote: true, radius_km: 80.5}
    keywords: [Human Trafficking, human trafficking]
"""


@pytest.fixture(scope="module")
def providers(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """The hand-made directory above and the San Mateo import, as providers."""
    folder = tmp_path_factory.mktemp("official")
    (folder / "hand.yaml").write_text(DIRECTORY, "utf-8")
    data, _ = import_hsds(OHANA)
    (folder / "ohana.yaml").write_bytes(data)
    directory = load(folder, use_cache=False)
    assert not [d for d in directory.diagnostics if d.severity == "error"]
    return list(directory.providers)


def _official_package(folder: Path) -> Any:
    from frictionless import Package

    descriptor = json.loads((HSDS3 / "datapackage.json").read_text("utf-8"))
    written = {p.name for p in folder.iterdir()}
    descriptor["resources"] = [r for r in descriptor["resources"] if r["path"] in written]
    return Package(descriptor, basepath=str(folder))


def _errors(report: Any) -> list[str]:
    return [f"{t.name}: {e.type}: {e.message}" for t in report.tasks for e in t.errors]


@needs_hsds3
def test_tabular_export_passes_the_official_descriptor(
    providers: list[Any], tmp_path: Path
) -> None:
    pytest.importorskip("frictionless")
    out = tmp_path / "export"
    write_export(out, export_hsds(providers))
    package = _official_package(out)
    assert {"service", "organization", "phone", "schedule", "address"} <= set(
        package.resource_names
    )
    report = package.validate()
    assert _errors(report) == []
    # the check can fail: a time without seconds and a non-UUID id are caught
    schedules = out / "schedules.csv"
    text = schedules.read_text("utf-8")
    schedules.write_text(text.replace("09:00:00", "9:00", 1), "utf-8")
    (out / "services.csv").write_text(
        (out / "services.csv")
        .read_text("utf-8")
        .replace(new_id("service", "hotline-only"), "hotline-only", 1),
        "utf-8",
    )
    broken = _errors(_official_package(out).validate())
    assert any(e.startswith("schedule: type-error") for e in broken), broken
    assert any(e.startswith("service: type-error") and '"id"' in e for e in broken), broken


def _service_validator() -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    schemas = {p.name: json.loads(p.read_text("utf-8")) for p in (HSDS3 / "schema").glob("*.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(s, default_specification=DRAFT202012))
        for name, s in schemas.items()
    )
    return Draft202012Validator(
        schemas["service.json"],
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@needs_hsds3
def test_json_export_passes_the_official_json_schema(providers: list[Any]) -> None:
    pytest.importorskip("jsonschema")
    services = json.loads(export_hsds_json(providers))
    assert len(services) == len(providers)
    validator = _service_validator()
    errors = [(s["name"], e.message) for s in services for e in validator.iter_errors(s)]
    assert errors == []
    harbor = next(s for s in services if s["name"] == "Safe Harbor House")
    assert harbor["organization"]["name"] == "Harbor Network"
    assert "service_at_locations" not in harbor  # confidential: no address, no coordinates
    bad = dict(harbor, status="open")  # the check can fail
    assert list(validator.iter_errors(bad))


def test_json_export_carries_no_confidential_place(providers: list[Any]) -> None:
    text = export_hsds_json(providers).decode("utf-8")
    assert "Secret Lane" not in text and "33101" not in text and "25.7701" not in text


# --- the round trip: every field, for any provider the format allows -------------------

_TEXT = (
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
_HHMM = st.sampled_from(["00:00", "06:30", "09:00", "12:00", "17:45", "23:00"])


@st.composite
def _provider(draw: st.DrawFn, n: int) -> dict[str, Any]:
    p: dict[str, Any] = {
        "id": f"provider-{n}",
        "name": draw(_TEXT),
        "services": draw(
            st.lists(
                st.sampled_from(["temporary-shelter", "legal-aid", "hotline", "counseling"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        ),
        "phone": draw(
            st.sampled_from(["+1 559-555-0100", "+1 305-555-0142 x7", "+44 20 7946 0958"])
        ),
    }
    state = draw(st.sampled_from(["everyone", "unknown", "stated"]))
    if state == "unknown":
        p["eligibility"] = {"stated": False}
    elif state == "stated":
        low = draw(st.integers(0, 40))
        p["eligibility"] = {"ages": [low, draw(st.one_of(st.none(), st.integers(low, 99)))]}
        if draw(st.booleans()):
            p["eligibility"]["genders"] = ["female"]
    if draw(st.booleans()):
        p["hours"] = {
            draw(st.sampled_from(["mon-fri", "sat", "sun", "mon,wed"])): (
                f"{draw(_HHMM)}-{draw(st.sampled_from(['18:00', '23:30', '24:00']))}"
            )
        }
        p["timezone"] = draw(st.sampled_from(["America/Los_Angeles", "America/New_York"]))
    elif draw(st.booleans()):
        p["hours"] = draw(st.sampled_from(["24/7", "By appointment"]))
    if draw(st.booleans()):
        p["capacity"] = {"beds": draw(st.integers(0, 200))}
    if draw(st.booleans()):
        p["availability"] = {
            "beds_available": draw(st.integers(0, 9)),
            "as_of": draw(st.sampled_from(["2026-12-07T09:10:00-08:00", "2026-12-07T17:10:00Z"])),
        }
    status = draw(st.sampled_from([None, "closed", "do-not-refer", "active"]))
    if status:
        p["status"] = {"state": status}
    if draw(st.booleans()):
        p["service_area"] = draw(
            st.sampled_from(
                [{"remote": True}, {"regions": ["US-CA"]}, {"countries": ["US"], "remote": True}]
            )
        )
    p["address"] = {"city": "Fresno", "region": "CA", "country": "US"}
    if draw(st.booleans()):
        # each its own place: a public one at a confidential one's place is an error
        p["address"] |= {"street": f"{n + 1} Main St", "postal_code": "93721"}
        p["location"] = {"lat": 36.7378 + n / 100, "lon": -119.7871}
    p["confidential"] = draw(st.booleans())
    if draw(st.booleans()):
        p["keywords"] = draw(st.lists(_TEXT, max_size=3, unique_by=str.lower))
    return p


@settings(
    max_examples=25 if LONG_PROFILE else 8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.integers(), min_size=1, max_size=3).flatmap(
    lambda ns: st.tuples(*(_provider(i) for i in range(len(ns))))
))  # fmt: skip
def test_export_import_round_trip_is_exact(
    tmp_path: Path, drawn: tuple[dict[str, Any], ...]
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    source = folder / "d.yaml"
    source.write_text(yaml.safe_dump({"providers": list(drawn)}, allow_unicode=True), "utf-8")
    directory = load(source, use_cache=False)
    assert not [d for d in directory.diagnostics if d.severity == "error"]
    write_export(folder / "export", export_hsds(directory.providers))
    data, _ = import_hsds(folder / "export")
    (folder / "back.yaml").write_bytes(data)
    back = load(folder / "back.yaml", use_cache=False)
    before = {p.id: p.public_dict() for p in directory.providers}
    after = {p.id: p.public_dict() for p in back.providers}
    for pid, record in after.items():
        if record.get("confidential") and "placed" not in before[pid]:
            # Its exact location is never exported, so loading the import places it
            # from its address (approximate, marked): derived, not a field that was lost.
            assert record.pop("placed")["from"] in ("city", "county")
    assert after == before


def test_export_json_through_the_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from referral_cli.cli import app

    data = tmp_path / "d.yaml"
    data.write_text(DIRECTORY, "utf-8")
    out = tmp_path / "hsds.json"
    runner = CliRunner()
    result = runner.invoke(
        app, ["export-hsds", "--format", "json", "-o", str(out), "--data", str(data)]
    )
    assert result.exit_code == 0, result.output
    services = json.loads(out.read_text("utf-8"))
    assert {s["name"] for s in services} == {"Safe Harbor House", "Open Door Legal", "Hotline Only"}
    legal = next(s for s in services if s["name"] == "Open Door Legal")
    assert {"number": "+1 305-555-0100", "extension": 12}.items() <= legal["phones"][0].items()
    bad = runner.invoke(
        app, ["export-hsds", "--format", "json", "-o", str(tmp_path / "x.csv"), "--data", str(data)]
    )
    assert bad.exit_code == 2
    assert "give a file ending in .json" in bad.output
