"""`referral validate`: every check names the right path:line:col."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import LONG_PROFILE, directory_yaml, invoke, provider_yaml, write
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

BASE = """\
providers:
  - id: good-one
    name: Good One
    services: [counseling]
    phone: "+1 559-555-0100"
    last_verified: 2026-10-01
    location: {lat: 36.7, lon: -119.7}
"""


def check(runner, tmp_path: Path, text: str, *args: str):  # type: ignore[no-untyped-def]
    path = write(tmp_path / "dir.yaml", text)
    result = invoke(runner, "validate", str(path), *args)
    return result, result.stdout


@pytest.mark.parametrize(
    ("extra", "line", "fragment"),
    [
        ("    servces: [counseling]\n", 8, "unknown key 'servces'; did you mean 'services'?"),
        ("    confidental: true\n", 8, "did you mean 'confidential'?"),
        (
            "    languages: [Spanish]\n",
            8,
            "'Spanish' is a language name; use its code 'es' (Spanish)",
        ),
        ("    languages: [xq]\n", 8, "unknown language code 'xq'"),
        ("    email: not-an-email\n", 8, "is not an e-mail address"),
        ("    website: example.org\n", 8, "is not a web address"),
        ('    hotline: "call us"\n', 8, "is not a phone number"),
        ("    hotline: 5595550100\n", 8, "must be text; quote it"),
        ("    eligibility: {ages: [17, 12]}\n", 8, "ages are out of order"),
        ("    eligibility: {genders: [woman]}\n", 8, "unknown gender 'woman'"),
        ("    eligibility: {trafficking: [labour]}\n", 8, "did you mean 'labor'?"),
        ('    hours: {mon-fry: "09:00-17:00"}\n', 8, "unknown day 'mon-fry'"),
        ('    hours: {mon: "9-5"}\n', 8, "must be HH:MM-HH:MM"),
        ("    timezone: Pacific/Nowhere\n", 8, "unknown time zone"),
        ("    service_area: {regions: [California]}\n", 8, "ISO 3166-2"),
        ("    address: {country: USA}\n", 8, "ISO 3166-1"),
        ("    confidential: yes please\n", 8, "must be true or false"),
    ],
)
def test_each_check_names_path_and_line(runner, tmp_path, extra, line, fragment) -> None:  # type: ignore[no-untyped-def]
    result, out = check(runner, tmp_path, BASE + extra)
    assert result.exit_code == 1, out
    matching = [ln for ln in out.splitlines() if fragment in ln]
    assert matching, out
    assert matching[0].startswith(f"dir.yaml:{line}:") or f"dir.yaml:{line}:" in matching[0]
    assert ": error: " in matching[0]


def test_location_out_of_range(runner: CliRunner, tmp_path: Path) -> None:
    _, out = check(runner, tmp_path, BASE.replace("lat: 36.7", "lat: 136.7"))
    assert "dir.yaml:7:" in out and "must be between -90 and 90" in out


def test_unknown_service_suggests(runner: CliRunner, tmp_path: Path) -> None:
    result, out = check(runner, tmp_path, BASE.replace("[counseling]", "[counselling-x, lawyer]"))
    assert result.exit_code == 1
    assert "dir.yaml:4:16: error: unknown service type 'counselling-x'; did you mean" in out
    assert "dir.yaml:4:31: error: unknown service type 'lawyer'; use its key 'legal-aid'" in out


def test_required_keys(runner: CliRunner, tmp_path: Path) -> None:
    _, out = check(runner, tmp_path, "providers:\n  - id: x\n")
    assert "dir.yaml:2:5: error: 'name' is required" in out
    assert "'services' is required" in out


def test_id_must_be_slug_and_unique_across_files(runner: CliRunner, tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.yaml", directory_yaml(provider_yaml(id="same-id")))
    write(
        tmp_path / "d" / "b.yml",
        directory_yaml(provider_yaml(id="same-id", name="Other", lat=40.0)),
    )
    write(
        tmp_path / "d" / "c.yaml",
        directory_yaml(provider_yaml(id="Bad_ID", name="Third", lat=41.0)),
    )
    result = invoke(runner, "validate", str(tmp_path / "d"))
    assert result.exit_code == 1
    assert "b.yml:2:5: error: duplicate id 'same-id' (also at" in result.stdout
    assert "a.yaml:2:5" in result.stdout
    assert (
        "c.yaml:2:9: error: id 'Bad_ID' must be a lowercase slug such as 'bad-id'" in result.stdout
    )


def test_confidential_without_phone_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    text = BASE.replace('    phone: "+1 559-555-0100"\n', "") + "    confidential: true\n"
    _, out = check(runner, tmp_path, text)
    assert "dir.yaml:7:5: error: a confidential provider must have a 'phone' or 'hotline'" in out


def test_stale_is_a_warning_and_strict_fails(runner: CliRunner, tmp_path: Path) -> None:
    text = BASE.replace("2026-10-01", "2020-01-01")
    result, out = check(runner, tmp_path, text)
    assert result.exit_code == 0
    assert "dir.yaml:2:5: warning: 'good-one' was last verified" in out
    result, _ = check(runner, tmp_path, text, "--strict")
    assert result.exit_code == 1
    result, out = check(runner, tmp_path, text, "--stale-days", "100000")
    assert "last verified" not in out


def test_probable_duplicates_warn(runner: CliRunner, tmp_path: Path) -> None:
    text = directory_yaml(
        provider_yaml(id="hope-house", name="Hope House Shelter"),
        provider_yaml(id="hope-house-2", name="Hope House  shelter", lat=36.7400),
        provider_yaml(id="far-hope", name="Hope House Shelter", lat=38.0),
    )
    result, out = check(runner, tmp_path, text)
    assert result.exit_code == 0
    assert "warning: 'hope-house-2' may duplicate 'hope-house'" in out
    assert "far-hope' may duplicate" not in out


def test_confidential_duplicates_use_the_exact_point_and_nothing_else_is_decoded(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index's columns hold a confidential provider's point rounded to 0.01°:
    the checks across files read the exact point from its row, and decode no
    other provider."""
    from referral_cli.index import store

    secret = "    confidential: true\n"
    text = directory_yaml(
        provider_yaml(id="safe-house", name="Safe House", lat=36.7351) + secret,
        # 1.06 km north: both round to 36.74, the same point
        provider_yaml(id="safe-house-2", name="Safe House", lat=36.7446) + secret,
        provider_yaml(id="open-house", name="Open House", lat=36.7000),
        provider_yaml(id="open-house-2", name="Open House", lat=36.7050),
    )
    decoded: list[str] = []
    real = store._decoded

    def counted(*args: Any) -> Any:
        provider = real(*args)
        decoded.append(provider.id)
        return provider

    monkeypatch.setattr(store, "_decoded", counted)
    result, out = check(runner, tmp_path, text)
    assert result.exit_code == 0, out
    assert "'open-house-2' may duplicate 'open-house'" in out
    assert "may duplicate 'safe-house'" not in out
    assert sorted(decoded) == ["safe-house", "safe-house-2"]


def test_norway_problem_is_explained(runner: CliRunner, tmp_path: Path) -> None:
    _, out = check(runner, tmp_path, BASE + "    languages: [en, no]\n")
    assert "dir.yaml:8:21: error: a language reads as true/false; quote it" in out


def test_yaml_errors_are_diagnostics(runner: CliRunner, tmp_path: Path) -> None:
    result, out = check(runner, tmp_path, BASE + "    name: twice\n")
    assert result.exit_code == 1
    assert "dir.yaml:8:5: error: duplicate key 'name' (first at line 3)" in out


def test_json_and_github_formats(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # paths are shown relative to the working folder
    text = BASE + "    languages: [xq]\n"
    result, out = check(runner, tmp_path, text, "--format", "json")
    data = json.loads(out)
    assert data["errors"] == 1 and data["providers"] == 0
    assert data["diagnostics"][0]["line"] == 8 and data["diagnostics"][0]["code"] == "language"
    _, out = check(runner, tmp_path, text, "--format", "github")
    assert out.startswith("::error file=dir.yaml,line=8,col=17::unknown language code")


def test_other_commands_stop_with_the_same_messages(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "dir.yaml", BASE + "    languages: [xq]\n")
    result = invoke(runner, "show", "good-one", "--data", str(path))
    assert result.exit_code == 1
    assert "dir.yaml:8:17: error: unknown language code 'xq'" in result.stderr
    assert "Traceback" not in result.stderr


def test_valid_directory_exits_zero(runner: CliRunner, tmp_path: Path) -> None:
    result, out = check(runner, tmp_path, BASE)
    assert result.exit_code == 0, out
    assert "1 providers in 1 file(s): 0 error(s), 0 warning(s)" in result.stderr


def test_sample_directory_is_valid(runner: CliRunner) -> None:
    root = Path(__file__).resolve().parents[2]
    result = invoke(runner, "validate", str(root / "data"))
    assert result.exit_code == 0, result.stdout
    assert " 0 error(s)" in result.stderr


def test_packaged_sample_is_the_data_sample() -> None:
    root = Path(__file__).resolve().parents[2]
    shipped = root / "referral_cli" / "data" / "resources.yaml"
    assert shipped.read_bytes() == (root / "data" / "resources.yaml").read_bytes()


NAMES = ["Hope House", "Hope House Shelter", "House Hope", "Safe Harbor", "Safe Harbour", "Haven"]


@settings(max_examples=150 if LONG_PROFILE else 50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.floats(-0.03, 0.03),  # around a latitude band drawn below
            st.floats(-0.05, 0.05),
        ),
        max_size=25,
    ),
    st.sampled_from([0.0, 36.7, 64.1, -70.0]),
)
def test_probable_duplicates_are_every_close_similar_pair(points, base_lat) -> None:  # type: ignore[no-untyped-def]
    """The grid finds exactly the pairs a comparison of every pair finds, at any
    latitude (a kilometre spans more cells of longitude far from the equator)."""
    from rapidfuzz import fuzz, utils

    from referral_cli.format.directory_checks import (
        DUPLICATE_DISTANCE_KM,
        DUPLICATE_NAME_SCORE,
        Checked,
        probable_duplicates,
    )
    from referral_cli.geo.distance import distance_km
    from referral_cli.records.model import Provider, Source

    providers = [
        Provider(
            id=f"p{i:02d}",
            name=name,
            services=("counseling",),
            areas=(),
            lat=base_lat + dlat,
            lon=-119.0 + dlon,
            source=Source("dir.yaml", i + 2, 5),
        )
        for i, (name, dlat, dlon) in enumerate(points)
    ]
    found: set[tuple[str, str]] = set()

    def add(q: Checked, severity: str, message: str, code: str) -> None:
        assert (severity, code) == ("warning", "duplicate")
        found.add((q.id, re.match(r"'[^']+' may duplicate '([^']+)'", message).group(1)))  # type: ignore[union-attr]

    probable_duplicates([Checked.of(p) for p in providers], add)
    expected = {
        (q.id, p.id)
        for p in providers
        for q in providers
        if q.id > p.id
        and distance_km(p.lat, p.lon, q.lat, q.lon) <= DUPLICATE_DISTANCE_KM
        and fuzz.token_sort_ratio(p.name, q.name, processor=utils.default_process)
        >= DUPLICATE_NAME_SCORE
    }
    assert found == expected


def test_a_location_written_wrong_gets_its_error_and_no_warning_that_it_is_missing(
    runner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """'location.lat' null is required (it was read as no location at all), and the
    provider is not also told it has no 'location'."""
    text = BASE.replace("{lat: 36.7, lon: -119.7}", "{lat: null, lon: -119.7}")
    result, out = check(runner, tmp_path, text)
    assert result.exit_code == 1
    assert "dir.yaml:7:15: error: 'location.lat' is required" in out
    assert "no 'location'" not in out and "1 error(s), 0 warning(s)" in result.stderr


@pytest.mark.parametrize(
    ("number", "col"),
    [("661-555-01", 12), ("555-0192", 12), ("+1 661 555 019", 12), ("+1 000-000-0000", 12)],
)
def test_a_phone_that_cannot_be_dialled_is_an_error(
    runner: CliRunner, tmp_path: Path, number: str, col: int
) -> None:
    """The shape check lets 7 to 15 digits through; the numbering plan of the
    provider's country decides whether a caller could ring it."""
    text = BASE.replace('"+1 559-555-0100"', f'"{number}"')
    result, out = check(runner, tmp_path, text)
    assert result.exit_code == 1
    assert f"dir.yaml:5:{col}: error: 'phone' '{number}' cannot be dialled:" in out


@pytest.mark.parametrize(
    "number", ["+1 559-555-0100 x12", "211", "(559) 555-0142", "+52 55 5555 0100"]
)
def test_a_dialable_phone_passes(runner: CliRunner, tmp_path: Path, number: str) -> None:
    result, out = check(runner, tmp_path, BASE.replace('"+1 559-555-0100"', f'"{number}"'))
    assert result.exit_code == 0, out
