"""The JSON Schema and ``referral validate`` agree on single-field edits.

Providers of the shipped sample that validate cleanly each get one edit — a wrong
type, a bad pattern, a value outside its list, a missing required key, an unknown
key, a nested edit — and, for every pair, the schema's verdict (valid/invalid)
must be validate's (no error/an error). Both read the same parsed YAML, with
dates as the ISO text an editor sees. The few checks a schema cannot make are
listed in :data:`VALIDATE_ONLY`: there validate must find the error the schema
cannot, so a schema that learns one fails here and moves it to :data:`EDITS`.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import LONG_PROFILE, invoke, long_run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from referral_cli import taxonomy
from referral_cli.format import definition, schema
from referral_cli.format.validate import check_document
from referral_cli.reading import yamldoc

SAMPLE = Path(__file__).parents[2] / "referral_cli" / "data" / "resources.yaml"
Provider = dict[str, Any]
Edit = Callable[[Provider], object]


def _set(path: str, value: object) -> Edit:
    """An edit that writes ``value`` at a dotted path, making the mappings on the way."""

    def edit(p: Provider) -> None:
        *parents, last = path.split(".")
        node = p
        for key in parents:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]
        node[last] = value

    return edit


def _drop(path: str) -> Edit:
    def edit(p: Provider) -> None:
        *parents, last = path.split(".")
        node = p
        for key in parents:
            node = node.setdefault(key, {})
        node.pop(last, None)

    return edit


def _both(*edits: Edit) -> Edit:
    def edit(p: Provider) -> None:
        for e in edits:
            e(p)

    return edit


def _not_a_mapping(p: Provider) -> str:
    return "a provider"


# (name, edit, valid): ``valid`` is what both must say after the edit.
EDITS: list[tuple[str, Edit, bool]] = [
    ("id is a number", _set("id", 12), False),
    ("id is not a slug", _set("id", "Valley Youth"), False),
    ("id is missing", _drop("id"), False),
    ("id is null", _set("id", None), False),
    ("name is missing", _drop("name"), False),
    ("name is empty", _set("name", ""), False),
    ("name is blank", _set("name", "   "), False),
    ("name is a number", _set("name", 7), False),
    ("name is true/false", _set("name", True), False),
    ("services is missing", _drop("services"), False),
    ("services is empty", _set("services", []), False),
    ("services has an unknown key", _set("services", ["shelterr"]), False),
    ("services has a label", _set("services", ["Temporary shelter"]), False),
    ("services is one text", _set("services", "counseling"), True),
    ("services item is a number", _set("services", [3]), False),
    ("areas has an unknown key", _set("areas", ["rescue"]), False),
    ("areas is null", _set("areas", None), True),
    ("unknown key", _set("phon", "+1 559-555-0100"), False),
    ("custom key", _set("x-source", {"called": "yes"}), True),
    ("eligibility is text", _set("eligibility", "everyone"), False),
    ("eligibility is null", _set("eligibility", None), True),
    ("eligibility has an unknown key", _set("eligibility.age", [12, 17]), False),
    ("eligibility has a custom key", _set("eligibility.x-note", "checked"), True),
    ("ages has one bound", _set("eligibility.ages", [12]), False),
    ("ages is text", _set("eligibility.ages", "12-17"), False),
    ("ages out of range", _set("eligibility.ages", [0, 200]), False),
    ("ages bound is true/false", _set("eligibility.ages", [True, 17]), False),
    ("ages bound is text", _set("eligibility.ages", ["12", 17]), False),
    ("ages bound is a fraction", _set("eligibility.ages", [12.5, 17]), False),
    ("ages bound written 12.0", _set("eligibility.ages", [12.0, 17]), True),
    ("ages open at the top", _set("eligibility.ages", [18, None]), True),
    ("gender out of the list", _set("eligibility.genders", ["woman"]), False),
    ("gender as one text", _set("eligibility.genders", "female"), True),
    ("trafficking out of the list", _set("eligibility.trafficking", ["forced"]), False),
    ("population not a slug", _set("eligibility.populations", ["LGBTQ+"]), False),
    ("population the taxonomy lacks", _set("eligibility.populations", ["beekeepers"]), True),
    ("stated is text", _set("eligibility.stated", "yes"), False),
    ("stated is null", _set("eligibility.stated", None), False),
    (
        "stated false with ages",
        _set("eligibility", {"stated": False, "ages": [12, 17]}),
        False,
    ),
    ("stated false with genders", _set("eligibility", {"stated": False, "genders": "male"}), False),
    ("stated false with notes", _set("eligibility", {"stated": False, "notes": "ask"}), True),
    ("stated false with open ages", _set("eligibility", {"stated": False, "ages": [None, None]}), True),
    ("notes is a number", _set("eligibility.notes", 5), False),
    ("languages is a number", _set("languages", 5), False),
    ("language is a name", _set("languages", ["Spanish"]), False),
    ("language in capitals", _set("languages", ["ES"]), True),
    ("language is true/false", _set("languages", [False]), False),
    ("language with a region", _set("languages", ["es-MX", "zh-Hant"]), True),
    ("language grandfathered tag", _set("languages", ["i-navajo"]), True),
    ("phone is not a number", _set("phone", "call us"), False),
    ("phone has too few digits", _set("phone", "12345"), False),
    ("phone has too many digits", _set("phone", "+1 559 555 0100 1234 56"), False),
    ("phone is a number", _set("phone", 5595550100), False),
    ("phone with an extension", _set("phone", "+1 559-555-0100 ext. 12"), True),
    ("phone is three digits", _set("phone", "211"), True),
    ("phone with spaces around", _set("phone", "  +1 559-555-0100 "), True),
    ("hotline is not a number", _set("hotline", "hotline"), False),
    ("email has no domain", _set("email", "intake@"), False),
    ("website has no scheme", _set("website", "example.org"), False),
    ("website is a list", _set("website", ["https://example.org"]), False),
    ("hours is a number", _set("hours", 24), False),
    ("hours has an unknown day", _set("hours", {"monday": "09:00-17:00"}), False),
    ("hours day in capitals", _set("hours", {"Mon-Fri": "09:00-17:00"}), True),
    ("hours has a bad range", _set("hours", {"mon": "9-5"}), False),
    ("hours range is a number", _set("hours", {"mon": 9}), False),
    ("hours past midnight", _set("hours", {"fri,sat": "22:00-06:00", "sun": "closed"}), True),
    ("hours is null", _set("hours", None), True),
    ("timezone is a number", _set("timezone", 3), False),
    ("address is text", _set("address", "1 Main St, Fresno"), False),
    ("address has an unknown key", _set("address.zip", "93721"), False),
    ("postal code is a number", _set("address.postal_code", 93721), False),
    ("country is not a code", _set("address.country", "usa"), False),
    ("country the gazetteer lacks", _set("address.country", "XX"), False),
    ("region read as true/false", _set("address.region", False), False),
    ("street is null", _set("address.street", None), True),
    ("location has no lon", _set("location", {"lat": 36.7}), False),
    ("location lat is null", _set("location", {"lat": None, "lon": -119.8}), False),
    ("latitude out of range", _set("location", {"lat": 136.7, "lon": -119.8}), False),
    ("longitude is text", _set("location", {"lat": 36.7, "lon": "west"}), False),
    ("location has an unknown key", _set("location", {"lat": 36.7, "lng": -119.8}), False),
    ("confidential is text", _set("confidential", "yes"), False),
    ("confidential is null", _set("confidential", None), False),
    (
        "confidential without a phone",
        _both(_set("confidential", True), _drop("phone"), _drop("hotline")),
        False,
    ),
    (
        "confidential with a hotline only",
        _both(_set("confidential", True), _drop("phone"), _set("hotline", "+1 800-555-0200")),
        True,
    ),
    ("service area has an unknown key", _set("service_area.radius", 10), False),
    ("radius is negative", _set("service_area.radius_km", -5), False),
    ("radius is past the antipode", _set("service_area.radius_km", 30000), False),
    ("radius is text", _set("service_area.radius_km", "100 km"), False),
    ("service-area region not a code", _set("service_area.regions", ["California"]), False),
    ("service-area region unknown", _set("service_area.regions", ["US-ZZ"]), False),
    ("service-area region of a territory", _set("service_area.regions", ["US-PR"]), True),
    ("service-area country unknown", _set("service_area.countries", ["XX"]), False),
    ("service-area country as one text", _set("service_area.countries", "MX"), True),
    ("remote is text", _set("service_area.remote", "yes"), False),
    ("remote is null", _set("service_area.remote", None), False),
    ("capacity is a number", _set("capacity", 8), False),
    ("capacity is negative", _set("capacity", {"beds": -1}), False),
    ("capacity is text", _set("capacity", {"beds": "8"}), False),
    ("capacity is null", _set("capacity", {"beds": None}), False),
    ("availability as_of with its offset", _set("availability", {"beds_available": 2, "as_of": "2026-12-07T09:10:00-08:00"}), True),
    ("availability as_of in UTC", _set("availability", {"beds_available": 0, "as_of": "2026-12-07T17:10:00Z"}), True),
    ("availability as_of without seconds", _set("availability", {"beds_available": 0, "as_of": "2026-12-07T17:10Z"}), False),
    ("availability as_of without its zone", _set("availability", {"beds_available": 2, "as_of": "2026-12-07T09:10:00"}), False),
    ("availability as_of a date only", _set("availability", {"beds_available": 2, "as_of": "2026-12-07"}), False),
    ("availability without as_of", _set("availability", {"beds_available": 2}), False),
    ("availability beds negative", _set("availability", {"beds_available": -1, "as_of": "2026-12-07T09:10:00-08:00"}), False),
    ("availability beds text", _set("availability", {"beds_available": "2", "as_of": "2026-12-07T09:10:00-08:00"}), False),
    ("availability key unknown", _set("availability", {"beds": 2, "as_of": "2026-12-07T09:10:00-08:00"}), False),
    ("status closed until a day", _set("status", {"state": "closed", "until": "2026-12-12", "reason": "renovation"}), True),
    ("status do-not-refer", _set("status", {"state": "do-not-refer", "reason": "moved"}), True),
    ("status state unknown", _set("status", {"state": "open"}), False),
    ("status without state", _set("status", {"reason": "renovation"}), False),
    ("status until while active", _set("status", {"state": "active", "until": "2026-12-12"}), False),
    ("availability as_of on 30 February", _set("availability", {"beds_available": 1, "as_of": "2026-02-30T09:10:00-08:00"}), False),
    ("verified by initials", _set("verified_by", "JS"), True),
    ("verified by a sentence", _set("verified_by", "called them; they said: fine!"), False),
    ("last verified is not a date", _set("last_verified", "2026-13-01"), False),
    ("last verified day first", _set("last_verified", "14/09/2026"), False),
    ("last verified without dashes", _set("last_verified", "20260914"), False),
    ("last verified is text date", _set("last_verified", "2026-09-14"), True),
    ("keyword is a number", _set("keywords", ["shelter", 4]), False),
    ("keywords is one text", _set("keywords", "shelter"), True),
    ("translation language unknown", _set("translations.zz", {"cost": "free"}), False),
    ("translation field unknown", _set("translations.es", {"name": "Casa"}), False),
    ("translation text is a number", _set("translations.es", {"cost": 0}), False),
    ("translations is text", _set("translations", "es"), False),
    ("translation language in capitals", _set("translations.ES", {"cost": "gratis"}), True),
    ("intake is a number", _set("intake", 1), False),
    ("organization is empty", _set("organization", ""), True),
    ("description is null", _set("description", None), True),
    ("provider is not a mapping", _not_a_mapping, False),
]  # fmt: skip

# Checks a JSON Schema cannot make: validate finds the error, the schema accepts.
VALIDATE_ONLY: list[tuple[str, Edit]] = [
    ("ages out of order", _set("eligibility.ages", [17, 12])),
    ("language code unknown", _set("languages", ["xx"])),  # CLDR's list
    ("language code and name of two languages", _set("languages", ["ASL"])),
    ("time zone unknown", _set("timezone", "Mars/Olympus")),  # the IANA database
    (
        "more beds free than in all",
        _set(
            "availability",
            {"beds_available": 9, "maximum": 4, "as_of": "2026-12-07T09:10:00-08:00"},
        ),
    ),
]


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    built = schema.build()
    jsonschema.Draft202012Validator.check_schema(built)
    return jsonschema.Draft202012Validator(
        built, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _plain(value: Any) -> Any:
    """Parsed YAML as an editor's JSON: mappings, lists, and dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _verdicts(provider: object) -> tuple[bool, bool, list[str]]:
    """(schema says valid, validate says valid, validate's errors) of a one-provider file."""
    text = yaml.safe_dump({"providers": [provider]}, sort_keys=False, allow_unicode=True)
    doc = yamldoc.load(text, "edit.yaml")
    _, diagnostics = check_document(doc, "edit.yaml", taxonomy.load())
    errors = [f"{d.code}: {d.message}" for d in diagnostics if d.severity == "error"]
    return _validator().is_valid(_plain(doc)), not errors, errors


@functools.cache
def _bases() -> dict[str, Provider]:
    """Sample providers of different shapes that validate cleanly on their own:
    confidential, weekly hours, a service area, stated eligibility, translations."""
    providers = yaml.safe_load(SAMPLE.read_text("utf-8"))["providers"]
    wanted: dict[str, Callable[[Provider], bool]] = {
        "confidential": lambda p: p.get("confidential") is True,
        "weekly-hours": lambda p: isinstance(p.get("hours"), dict),
        "service-area": lambda p: "service_area" in p,
        "eligibility": lambda p: "ages" in p.get("eligibility", {}),
        "translations": lambda p: "translations" in p,
    }
    out: dict[str, Provider] = {}
    for shape, fits in wanted.items():
        for p in providers:
            schema_ok, validate_ok, _ = _verdicts(p)
            if (
                fits(p)
                and schema_ok
                and validate_ok
                and p["id"] not in {q["id"] for q in out.values()}
            ):
                out[shape] = p
                break
    assert len(out) == len(wanted), sorted(out)
    return out


BASES = ("confidential", "weekly-hours", "service-area", "eligibility", "translations")


def test_there_are_enough_kinds_of_edits() -> None:
    assert len(EDITS) >= 34
    assert len({name for name, _, _ in EDITS}) == len(EDITS)


def test_the_sample_providers_are_valid_for_both() -> None:
    for p in _bases().values():
        assert _verdicts(p)[:2] == (True, True)


def _agree(edit: Edit, valid: bool, base: str) -> None:
    provider = copy.deepcopy(_bases()[base])
    replaced = edit(provider)
    schema_ok, validate_ok, errors = _verdicts(provider if replaced is None else replaced)
    assert (schema_ok, validate_ok) == (valid, valid), errors


@pytest.mark.parametrize(
    ("name", "edit", "valid", "base"),
    [(*e, BASES[i % len(BASES)]) for i, e in enumerate(EDITS)],
    ids=[e[0] for e in EDITS],
)
def test_schema_and_validate_agree(name: str, edit: Edit, valid: bool, base: str) -> None:
    """Each edit on one of the sample providers, in turn."""
    _agree(edit, valid, base)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every edit on every sample shape is made only in the long profile: the default
    run does not collect and report its hundreds of cases only to skip them (it has
    one, which the long mark skips)."""
    if metafunc.definition.name == "test_schema_and_validate_agree_on_every_sample_shape":
        every = [pytest.param(*e, base, id=f"{e[0]}-{base}") for e in EDITS for base in BASES]
        if not long_run(metafunc.config):
            every = [pytest.param(None, None, None, None, id="long-profile-only")]
        metafunc.parametrize(("name", "edit", "valid", "base"), every)


@pytest.mark.long
def test_schema_and_validate_agree_on_every_sample_shape(
    name: str, edit: Edit, valid: bool, base: str
) -> None:
    """Every edit on every sample provider (long profile: about 25 s on one core)."""
    _agree(edit, valid, base)


@pytest.mark.parametrize(("name", "edit"), VALIDATE_ONLY, ids=[e[0] for e in VALIDATE_ONLY])
def test_checks_only_validate_makes(name: str, edit: Edit) -> None:
    provider = copy.deepcopy(_bases()["eligibility"])
    edit(provider)
    schema_ok, validate_ok, errors = _verdicts(provider)
    assert (schema_ok, validate_ok) == (True, False), errors


def test_the_format_names_the_checks_the_schema_leaves_to_validate() -> None:
    """Each check the schema cannot make is named in the format."""
    named = {
        f.key
        for record in (definition.PROVIDER, definition.ADDRESS, definition.ELIGIBILITY)
        for f in record.fields
        if f.validate_only
    }
    assert named == {"languages", "timezone", "ages", "phone", "hotline", "residents_of"}


def test_real_imported_providers_get_one_verdict_from_both(tmp_path: Path) -> None:
    """Providers imported from Open Referral's San Mateo sample (real records,
    BSD-3), as they are and after every edit: the two verdicts are one."""
    out = tmp_path / "ohana.yaml"
    fixture = Path(__file__).parents[1] / "fixtures" / "ohana-smc-sample"
    assert invoke(CliRunner(), "import-hsds", str(fixture), "--output", str(out)).exit_code == 0
    providers = yaml.safe_load(out.read_text("utf-8"))["providers"]
    assert len(providers) >= 15
    for p in providers:
        schema_ok, validate_ok, errors = _verdicts(p)
        assert schema_ok == validate_ok, (p["id"], errors)
    for name, edit, _ in EDITS:
        provider = copy.deepcopy(providers[0])
        replaced = edit(provider)
        schema_ok, validate_ok, errors = _verdicts(provider if replaced is None else replaced)
        assert schema_ok == validate_ok, (name, errors)


def _field_at(path: str) -> definition.Field:
    *parents, last = path.split(".")
    record = definition.PROVIDER
    for key in parents:
        nested = record[key].record
        assert nested is not None
        record = nested
    return record[last]


def _paths(record: definition.Record, prefix: str = "") -> list[str]:
    """Every dotted key of the format, nested records included."""
    out = []
    for f in record.fields:
        out.append(prefix + f.key)
        if f.record is not None and f.kind == "record":
            out.extend(_paths(f.record, f"{prefix}{f.key}."))
    return out


VALIDATE_ONLY_PATHS = {
    path for path in _paths(definition.PROVIDER) if _field_at(path).validate_only is not None
} | {"address.country"}  # a new country can leave the region outside it: validate's check


# Values of every kind, and the texts that sit on the edges of the patterns.
VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 200),
        st.sampled_from([0.5, 12.0, -90.5, 20100.0, 1e9]),
        st.sampled_from(
            [
                "", " ", "x", "US", "us", "XX", "US-CA", "US-ZZ", "CA", "es", "ES", "zz",
                "counseling", "legal-aid", "female", "sex", "lgbtq", "closed",
                "09:00-17:00", "22:00-06:00", "9-5", "mon-fri", "2026-09-14", "2026-13-01",
                "+1 559-555-0100", "12345", "intake@example.org", "https://example.org",
                "America/Los_Angeles", "x-note", "24/7",
            ]
        ),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["mon", "sat,sun", "beds", "es", "cost", "x-a", "lat"]), inner, max_size=2),
    ),
    max_leaves=4,
)  # fmt: skip


@settings(
    max_examples=5000 if LONG_PROFILE else 100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.sampled_from(BASES),
    st.sampled_from(_paths(definition.PROVIDER)),
    VALUES,
)
def test_schema_and_validate_agree_on_any_value_at_any_key(
    base: str, path: str, value: object
) -> None:
    """A value of any kind at any key of the format (hypothesis; 5,000 examples in
    the long profile). Where validate
    makes a check the schema cannot, validate may only be the stricter."""
    provider = copy.deepcopy(_bases()[base])
    _set(path, value)(provider)
    schema_ok, validate_ok, errors = _verdicts(provider)
    if path in VALIDATE_ONLY_PATHS:
        assert schema_ok or not validate_ok, errors
    else:
        assert schema_ok == validate_ok, errors
