"""The redaction gate: publish and export-hsds refuse to let a confidential provider's
street, postal code or (near-)exact coordinates out; check-publication finds them in
a publication made elsewhere."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import LONG_PROFILE, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referral_cli.directory import load, sample_path
from referral_cli.hsds.redaction import scan, secrets_of

from .helpers import run

SHELTER = """\
providers:
  - id: hidden-harbor
    name: Hidden Harbor
    services: [temporary-shelter]
    phone: "+1 559-555-0142"
    intake: {intake}
    address: {{street: 12 Secret Lane, city: Fresno, county: Fresno County, region: CA, postal_code: "93650", country: US}}
    location: {{lat: 36.8123, lon: -119.8456}}
    confidential: true
  - id: open-legal
    name: Open Legal
    services: [legal-aid]
    phone: "+1 559-555-0100"
    address: {{street: 1 Main St, city: Fresno, county: Fresno County, region: CA, postal_code: "93721", country: US}}
    location: {{lat: 36.7378, lon: -119.7871}}
"""


def _directory(tmp_path: Path, intake: str) -> Path:
    return write(tmp_path / "d.yaml", SHELTER.format(intake=json.dumps(intake)))


LEAKS = [
    ("Ring the bell at 12 secret ln.", "street"),
    ("Ring the bell at 12 SECRET Lane, back door", "street"),
    ("Post arrives in zip 93650 only", "postal_code"),
    ("Meet at 36.812, -119.846 (the old mill)", "location"),
    ("Meet at 36.8123,-119.8456", "location"),
]
SAFE = [
    "Call the hotline; staff arrange a safe pick-up.",
    "Somewhere near 36.81, -119.85 in Fresno",  # two decimals: about a kilometre, approximate
    "Ring at 112 Secret Lane",  # another number on the street is another house
    "Our office is in 93721 like Open Legal",  # a public provider's postal code
    "The gauge reads 12.93650 today",  # the code's digits as a number's decimals
]


@pytest.mark.parametrize(("intake", "field"), LEAKS)
def test_publish_refuses_a_leak_and_writes_nothing(tmp_path: Path, intake: str, field: str) -> None:
    data = _directory(tmp_path, intake)
    out = tmp_path / "api"
    result = run("publish", str(out), "--data", str(data))
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "publication refused, nothing written" in lines[0]
    assert "'hidden-harbor'" in lines[0] and f"({field})" in lines[0]
    assert "Secret" not in result.stderr and "93650" not in result.stderr
    assert "36.81" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("intake", SAFE)
def test_publish_passes_what_is_not_the_place(tmp_path: Path, intake: str) -> None:
    data = _directory(tmp_path, intake)
    result = run("publish", str(tmp_path / "api"), "--data", str(data))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("fmt", ["tabular", "json"])
def test_export_hsds_refuses_a_leak(tmp_path: Path, fmt: str) -> None:
    data = _directory(tmp_path, "Ring the bell at 12 Secret Lane.")
    out = tmp_path / ("export.json" if fmt == "json" else "export")
    result = run("export-hsds", "--format", fmt, "-o", str(out), "--data", str(data))
    assert result.exit_code == 1, result.output
    assert "export refused, nothing written" in result.stderr and "(street)" in result.stderr
    assert not out.exists()
    clean = _directory(tmp_path, "Call first.")
    result = run("export-hsds", "--format", fmt, "-o", str(out), "--data", str(clean))
    assert result.exit_code == 0, result.output


def test_a_public_provider_at_the_confidential_address_is_caught(tmp_path: Path) -> None:
    text = SHELTER.format(intake='"Call first."').replace(
        "street: 1 Main St", "street: 12 Secret Lane"
    )
    data = write(tmp_path / "d.yaml", text)
    result = run("publish", str(tmp_path / "api"), "--data", str(data))
    assert result.exit_code == 1 and "'hidden-harbor'" in result.stderr
    assert "(street)" in result.stderr


def test_check_publication_finds_a_street_planted_in_a_publication(tmp_path: Path) -> None:
    sample = sample_path()
    out = tmp_path / "api"
    assert run("publish", str(out), "--data", str(sample)).exit_code == 0
    clean = run("check-publication", str(out), "--data", str(sample))
    assert clean.exit_code == 0, clean.output
    assert "no street, postal code or coordinates of theirs found" in clean.stderr
    # a confidential provider of the sample and its street, planted into one service
    provider = next(p for p in load(sample, use_cache=False).providers if p.confidential)
    assert provider.address is not None and provider.address.street
    planted = tmp_path / "planted"
    shutil.copytree(out, planted)
    target = sorted((planted / "services").glob("*.json"))[3]
    doc = json.loads(target.read_text("utf-8"))
    doc["description"] = f"Entrance at {provider.address.street}"
    target.write_text(json.dumps(doc), "utf-8")
    result = run("check-publication", str(planted), "--data", str(sample))
    assert result.exit_code == 1
    finding = f"services/{target.name}: the street address of confidential provider"
    assert finding in result.stderr and f"'{provider.id}' (street)" in result.stderr
    assert provider.address.street not in result.stderr
    # the same in a zip and in a single file given alone
    zipped = shutil.make_archive(str(tmp_path / "planted"), "zip", planted)
    assert run("check-publication", zipped, "--data", str(sample)).exit_code == 1
    assert run("check-publication", str(target), "--data", str(sample)).exit_code == 1


def test_a_short_postal_code_counts_only_beside_the_provider(tmp_path: Path) -> None:
    text = SHELTER.format(intake='"Call first."').replace('"93650"', '"2026"')
    data = write(tmp_path / "d.yaml", text)
    secrets, public = secrets_of(load(data, use_cache=False).providers)
    dated = json.dumps({"name": "Open Legal", "last_modified": "2026-10-01T00:00:00Z"})
    assert scan([("s.json", dated.encode())], secrets, public) == []
    named = json.dumps({"name": "Hidden Harbor", "description": "Postcode 2026"})
    found = scan([("s.json", named.encode())], secrets, public)
    assert [(f.provider_id, f.field) for f in found] == [("hidden-harbor", "postal_code")]


def test_rounded_coordinates_in_a_csv_row_are_found(tmp_path: Path) -> None:
    data = _directory(tmp_path, "Call first.")
    secrets, public = secrets_of(load(data, use_cache=False).providers)
    row = b"id,latitude,longitude\r\nx,36.8120,-119.8460\r\ny,36.81,-119.85\r\n"
    found = scan([("locations.csv", row)], secrets, public)
    assert [(f.provider_id, f.field) for f in found] == [("hidden-harbor", "location")]
    apart = b"id,latitude,longitude\r\nx,36.8123,-120.0000\r\ny,37.0000,-119.8456\r\n"
    assert scan([("locations.csv", apart)], secrets, public) == []  # never in one record


# --- the scanner, for any place and any container -------------------------------------

_WORDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=3, max_size=10)
_SUFFIXES = [("Street", "st"), ("Lane", "LN"), ("Avenue", "Ave."), ("Road", "rd")]
_FILLER = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Nd")), max_size=40
)  # no digits: never a number, a code or a house number by chance


def _container(kind: str, before: str, planted: str, after: str) -> tuple[str, bytes]:
    text = f"{before} {planted} {after}"
    if kind == "json":
        return "s.json", json.dumps([{"id": "x", "description": text}]).encode("utf-8")
    if kind == "ndjson":
        return "s.ndjson", (json.dumps({"description": text}) + "\n").encode("utf-8")
    if kind == "csv":
        out = io.StringIO()
        csv.writer(out).writerows([["id", "description"], ["x", text]])
        return "s.csv", out.getvalue().encode("utf-8")
    return "s.txt", text.encode("utf-8")


@settings(
    max_examples=40 if LONG_PROFILE else 15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    number=st.integers(1, 99999),
    word=_WORDS,
    suffix=st.sampled_from(_SUFFIXES),
    point=st.tuples(st.floats(-60, 60), st.floats(-170, 170)),
    decimals=st.integers(3, 6),
    kind=st.sampled_from(["json", "ndjson", "csv", "txt"]),
    before=_FILLER,
    after=_FILLER,
)
def test_a_planted_place_is_always_found_and_filler_never(
    tmp_path_factory: pytest.TempPathFactory,
    number: int,
    word: str,
    suffix: tuple[str, str],
    point: tuple[float, float],
    decimals: int,
    kind: str,
    before: str,
    after: str,
) -> None:
    lat, lon = round(point[0], 4), round(point[1], 4)
    street = f"{number} {word.title()} {suffix[0]}"
    text = SHELTER.format(intake='"Call first."').replace("12 Secret Lane", street)
    text = text.replace("36.8123", repr(lat)).replace("-119.8456", repr(lon))
    data = write(tmp_path_factory.mktemp("scan") / "d.yaml", text)
    secrets, public = secrets_of(load(data, use_cache=False).providers)

    def fields(planted: str) -> set[str]:
        found = scan([_container(kind, before, planted, after)], secrets, public)
        assert all(f.provider_id == "hidden-harbor" for f in found)
        return {f.field for f in found}

    written = f"{number} {word.upper()} {suffix[1]}"
    assert fields(written) == {"street"}
    assert fields(f"{lat:.{decimals}f}, {lon:.{decimals}f}") == {"location"}
    assert fields("93650") == {"postal_code"}
    assert fields("") == set()
