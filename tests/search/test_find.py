"""`referral find` on a small hand-made directory: filters, geography, formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import invoke, write

DIRECTORY = """\
providers:
  - id: girls-shelter
    name: Girls Safe House
    services: [temporary-shelter, counseling]
    eligibility: {ages: [12, 17], genders: [female]}
    languages: [en, es]
    phone: "+1 559-555-0101"
    hotline: "+1 559-555-0199"
    hours: "24/7"
    address: {street: 12 Secret Lane, city: Fresno, county: Fresno County, region: CA, postal_code: "93701", country: US}
    location: {lat: 36.7468, lon: -119.7726}
    confidential: true
    last_verified: 2026-10-01
  - id: adult-shelter
    name: Adult Emergency Shelter
    services: [temporary-shelter]
    eligibility: {ages: [18, null]}
    languages: [en]
    phone: "+1 559-555-0102"
    address: {street: 5 Open St, city: Fresno, county: Fresno County, region: CA, country: US}
    location: {lat: 36.7378, lon: -119.7871}
    last_verified: 2026-10-01
  - id: mens-shelter
    name: Men's Shelter
    services: [temporary-shelter]
    eligibility: {ages: [18, null], genders: [male]}
    phone: "+1 559-555-0103"
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
    location: {lat: 36.75, lon: -119.80}
    last_verified: 2026-10-01
  - id: visalia-youth-shelter
    name: Visalia Youth Shelter
    services: [temporary-shelter]
    eligibility: {ages: [null, 17]}
    languages: [es]
    phone: "+1 559-555-0104"
    hours: {mon-fri: "09:00-17:00"}
    timezone: America/Los_Angeles
    address: {city: Visalia, county: Tulare County, region: CA, country: US}
    location: {lat: 36.3302, lon: -119.2921}
    last_verified: 2026-10-01
  - id: ca-legal-line
    name: California Legal Line
    services: [legal-aid]
    languages: [en, es, pa]
    phone: "+1 916-555-0105"
    address: {city: Sacramento, county: Sacramento County, region: CA, country: US}
    location: {lat: 38.5816, lon: -121.4944}
    service_area: {regions: [US-CA], remote: true}
    last_verified: 2026-10-01
  - id: labor-legal
    name: Farmworker Legal Aid
    services: [legal-aid]
    eligibility: {trafficking: [labor]}
    phone: "+1 559-555-0106"
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
    location: {lat: 36.74, lon: -119.78}
    last_verified: 2026-10-01
  - id: texas-counseling
    name: Houston Counseling
    services: [counseling]
    phone: "+1 713-555-0107"
    address: {city: Houston, county: Harris County, region: TX, country: US}
    location: {lat: 29.7604, lon: -95.3698}
    last_verified: 2026-10-01
"""


@pytest.fixture
def data(tmp_path: Path) -> str:
    return str(write(tmp_path / "dir.yaml", DIRECTORY))


def find_json(runner, data: str, *args: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    result = invoke(runner, "find", *args, "--data", data, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def ids(payload: dict) -> list[str]:  # type: ignore[type-arg]
    return [r["id"] for r in payload["results"]]


def test_free_text_equals_flags(runner, data) -> None:  # type: ignore[no-untyped-def]
    text = find_json(runner, data, "temporary shelter for minors near Fresno")
    flags = find_json(
        runner, data, "--service", "temporary-shelter", "--for", "minors", "--near", "Fresno"
    )
    assert ids(text) == ids(flags)
    assert text["results"] == flags["results"]
    assert text["query"]["services"] == ["temporary-shelter"]
    assert text["query"]["populations"] == ["minors"]
    assert text["origin"]["label"].startswith("Fresno")


def test_minors_never_get_adult_shelters(runner, data) -> None:  # type: ignore[no-untyped-def]
    payload = find_json(runner, data, "temporary shelter for minors near Fresno")
    assert "adult-shelter" not in ids(payload) and "mens-shelter" not in ids(payload)
    assert ids(payload)[0] == "girls-shelter"
    reasons = payload["results"][0]["reasons"]
    assert "offers temporary shelter" in reasons
    assert any("km away" in r for r in reasons)


def test_age_and_gender_are_hard_filters(runner, data) -> None:  # type: ignore[no-untyped-def]
    boy = find_json(runner, data, "shelter for a 15 year old boy near Fresno", "--radius", "200")
    assert "girls-shelter" not in ids(boy)
    assert "adult-shelter" not in ids(boy)
    assert "visalia-youth-shelter" in ids(boy)
    assert boy["query"]["age"] == 15
    woman = find_json(
        runner, data, "--service", "temporary-shelter", "--for", "women", "--near", "Fresno"
    )
    assert set(ids(woman)) == {"adult-shelter"}


def test_trafficking_type_filter(runner, data) -> None:  # type: ignore[no-untyped-def]
    sex = find_json(runner, data, "lawyer for sex trafficking near Fresno")
    assert "labor-legal" not in ids(sex)
    labor = find_json(runner, data, "lawyer for labor trafficking near Fresno")
    assert ids(labor)[0] == "labor-legal"


def test_statewide_service_is_included_and_labelled(runner, data) -> None:  # type: ignore[no-untyped-def]
    payload = find_json(runner, data, "attorney near Fresno")
    row = next(r for r in payload["results"] if r["id"] == "ca-legal-line")
    assert row["reach"] == "regional"
    assert "statewide service by phone or online" in row["reasons"]
    houston = find_json(runner, data, "attorney near Houston")
    assert "ca-legal-line" not in ids(houston)


def test_radius_widens_with_a_note(runner, data) -> None:  # type: ignore[no-untyped-def]
    payload = find_json(runner, data, "shelter for minors near Visalia", "--radius", "10")
    assert any("radius widened" in n for n in payload["notes"])
    assert "girls-shelter" in ids(payload)
    assert payload["query"]["radius_km"] == 10 and payload["query"]["radius_used_km"] > 10


def test_language_filter_never_dropped_silently(runner, data) -> None:  # type: ignore[no-untyped-def]
    spanish = find_json(runner, data, "shelter for minors near Fresno", "--language", "Spanish")
    assert ids(spanish)[0] == "girls-shelter"
    assert all("es" in r.get("languages", []) for r in spanish["results"])
    korean = find_json(runner, data, "shelter for minors near Fresno in Korean")
    assert korean["query"]["languages"] == ["ko"]
    assert any("no match speaks Korean" in n for n in korean["notes"])
    assert ids(korean)


def test_typos_are_corrected_with_a_note(runner, data) -> None:  # type: ignore[no-untyped-def]
    payload = find_json(runner, data, "temporery sheltr for minors near Fresno")
    assert payload["query"]["services"] == ["temporary-shelter"]
    assert any("read as" in n for n in payload["notes"])


def test_unknown_words_are_reported(runner, data) -> None:  # type: ignore[no-untyped-def]
    payload = find_json(runner, data, "shelter near Fresno blorptastic")
    assert any("blorptastic" in n for n in payload["notes"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("shelter in Visalia, FL", "no place named 'Visalia' in FL; did you mean Visalia, CA, US?"),
        ("shelter in Kern, TX", "no place named 'Kern' in TX; did you mean Kern County, CA, US?"),
        ("shelter near Visalia Florida", "no place named 'Visalia' in Florida;"),
    ],
)
def test_a_named_region_is_never_dropped(runner, data, query: str, message: str) -> None:  # type: ignore[no-untyped-def]
    """ "Visalia, FL" is not Visalia, CA: the volunteer is told, not sent to another
    state (shorter beginnings of a place phrase are tried only for other words)."""
    result = invoke(runner, "find", query, "--data", data)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1].startswith(f"referral: error: {message}")


def test_unknown_place_is_one_line_exit_1(runner, data) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "find", "shelter near Qwxyzzyville", "--data", data)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_flag_values_are_usage_errors(runner, data) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "find", "--service", "sheltr-x", "--data", data)
    assert result.exit_code == 2
    assert "unknown service" in result.stderr
    result = invoke(runner, "find", "--format", "xml", "--data", data)
    assert result.exit_code == 2


def test_open_now(runner, data, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from referral_cli.search import rules

    sunday = dt.datetime(2026, 11, 22, 20, 0, tzinfo=dt.UTC)
    p = {q.id: q for q in _providers(data)}
    assert rules.is_open(p["girls-shelter"], sunday) is True
    assert rules.is_open(p["visalia-youth-shelter"], sunday) is False
    monday_noon = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.UTC)  # 12:00 in California
    assert rules.is_open(p["visalia-youth-shelter"], monday_noon) is True
    assert rules.is_open(p["adult-shelter"], monday_noon) is None


def _providers(data: str):  # type: ignore[no-untyped-def]
    from referral_cli.directory import load

    return load(Path(data)).providers


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "ndjson"])
def test_confidential_address_never_printed(runner, data, fmt) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        runner, "find", "shelter for girls near Fresno", "--data", data, "--format", fmt
    )
    assert result.exit_code == 0
    out = result.stdout
    assert "Girls Safe House" in out or "girls-shelter" in out
    for secret in ("Secret Lane", "93701", "36.7468", "-119.7726"):
        assert secret not in out, (fmt, secret)
    assert "5 Open St" not in out or fmt in ("json", "ndjson")


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "ndjson"])
def test_eligibility_holds_in_every_format(runner, data, fmt) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        runner, "find", "shelter for minors near Fresno", "--data", data, "--format", fmt
    )
    assert "Adult Emergency Shelter" not in result.stdout and "adult-shelter" not in result.stdout
    assert "Men's Shelter" not in result.stdout


def test_csv_and_ndjson_shapes(runner, data) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "find", "attorney near Fresno", "--data", data, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and rows[0]["id"] and "reasons" in rows[0]
    assert rows[0]["phone"].startswith("'+1")  # formula-safe
    result = invoke(runner, "find", "attorney near Fresno", "--data", data, "--format", "ndjson")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"id", "name", "score", "distance_km", "reasons"} <= set(lines[0])


def test_batch_from_stdin(runner, data) -> None:  # type: ignore[no-untyped-def]
    text = "shelter for minors near Fresno\n# comment\n\ncounseling near Houston\nshelter near Qwxyzzyville\n"
    result = invoke(runner, "find", "--batch", "-", "--data", data, input=text)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 4, 5]
    assert rows[0]["results"][0]["id"] == "girls-shelter"
    assert rows[1]["results"][0]["id"] == "texas-counseling"
    assert "error" in rows[2]
    assert result.exit_code == 1


def test_table_fits_80_columns_and_has_phone_first(runner, data) -> None:  # type: ignore[no-untyped-def]
    exe = shutil.which("referral")
    cmd = [exe] if exe else [sys.executable, "-m", "referral_cli"]
    proc = subprocess.run(
        [*cmd, "find", "shelter for minors near Fresno", "--data", data],
        capture_output=True,
        text=True,
        env={"COLUMNS": "80", "NO_COLOR": "1", "PATH": "/usr/bin:/bin", "REFERRAL_NO_CACHE": "1"},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Phone" in lines[1] and lines[1].index("Phone") < lines[1].index("Provider")
    assert "+1 559-555-0101" in proc.stdout
    assert "\x1b[" not in proc.stdout


def test_a_query_piped_in_is_the_query(runner) -> None:  # type: ignore[no-untyped-def]
    """`echo … | referral find` answers the piped question, not the whole directory."""
    piped = invoke(runner, "find", "-f", "json", input="shelter for a girl, 15, near Fresno\n")
    given = invoke(runner, "find", "shelter for a girl, 15, near Fresno", "-f", "json")
    assert piped.exit_code == 0, piped.output
    assert json.loads(piped.stdout)["results"] == json.loads(given.stdout)["results"]
    assert json.loads(piped.stdout)["query"]["age"] == 15


def test_several_piped_lines_are_a_usage_error(runner) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "find", input="shelter near Fresno\nlawyer near Visalia\n")
    assert result.exit_code == 2
    assert "--batch -" in result.output


def test_a_piped_query_through_the_installed_command() -> None:
    import subprocess

    run = subprocess.run(
        ["referral", "find", "-f", "json"],
        input="temporary shelter for minors near Fresno",
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout)["results"]
    assert results and all("temporary-shelter" in r["services"] for r in results)
