"""The coverage matrix on a small hand-made directory: exact counts in every framework,
remote reach, population filters, gaps, formats, safety of untrusted text, the CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import invoke, write
from typer.testing import CliRunner

from referral_cli.coverage.choices import UnknownChoice
from referral_cli.coverage.count import admits, count
from referral_cli.coverage.model import Matrix, Place
from referral_cli.coverage.render_text import print_table
from referral_cli.directory import load
from referral_cli.taxonomy import load as load_taxonomy

# Two California counties, one Nevada county, a place without a county, a statewide
# legal line and a national hotline (both without an address).
DIRECTORY = """\
providers:
  - id: fresno-adult-shelter
    name: Fresno Adult Shelter
    services: [temporary-shelter, counseling]
    eligibility: {ages: [18, null]}
    phone: "+1 559-555-0100"
    last_verified: 2026-10-01
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
  - id: fresno-jobs
    name: Fresno Jobs
    services: [job-placement]
    phone: "+1 559-555-0101"
    last_verified: 2026-10-01
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
  - id: fresno-coalition
    name: Fresno Coalition
    services: [coalition]
    phone: "+1 559-555-0102"
    last_verified: 2026-10-01
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
  - id: fresno-dental
    name: Fresno Dental
    services: [dental]
    phone: "+1 559-555-0103"
    last_verified: 2026-10-01
    address: {city: Fresno, region: CA, country: US}
  - id: tulare-girls-shelter
    name: Tulare Girls Shelter
    services: [temporary-shelter]
    eligibility: {ages: [12, 17], genders: [female]}
    phone: "+1 559-555-0104"
    last_verified: 2026-10-01
    confidential: true
    address: {street: 1 Hidden Way, city: Visalia, county: Tulare County, region: CA, postal_code: "93291", country: US}
    location: {lat: 36.3302, lon: -119.2921}
  - id: tulare-awareness
    name: Tulare Parent Awareness
    services: [awareness-education]
    eligibility: {ages: [18, null]}
    phone: "+1 559-555-0105"
    last_verified: 2026-10-01
    address: {city: Visalia, county: Tulare County, region: CA, country: US}
    service_area: {radius_km: 200}
  - id: reno-outreach
    name: Reno Outreach
    services: [outreach]
    phone: "+1 775-555-0106"
    last_verified: 2026-10-01
    address: {city: Reno, county: Washoe County, region: NV, country: US}
  - id: ca-legal-line
    name: California Legal Line
    services: [legal-aid]
    phone: "+1 800-555-0107"
    last_verified: 2026-10-01
    service_area: {regions: [US-CA], remote: true}
  - id: us-hotline
    name: National Hotline
    services: [hotline]
    phone: "+1 888-555-0108"
    last_verified: 2026-10-01
    service_area: {countries: [US], remote: true}
"""
# The directory spans two states: every county is named with its state.
FRESNO, TULARE, WASHOE = "Fresno County, CA", "Tulare County, CA", "Washoe County, NV"
UNKNOWN = "California, US"  # Fresno Dental's address has no county: counted in its state


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write(tmp_path / "dir.yaml", DIRECTORY)


@pytest.fixture
def providers(data: Path) -> list:  # type: ignore[type-arg]
    directory = load(data, use_cache=False)
    assert not directory.errors, directory.errors
    return directory.providers


def counts(m: Matrix, place: str) -> dict[str, str]:
    return {r.key: m.cell(r.key, place).text for r in m.rows}


def label(service: str) -> str:
    text = load_taxonomy().service_types[service].label
    return text[0].lower() + text[1:]


# --------------------------------------------------------------------- exact counts


def test_freedom_cells_tell_located_from_remote(providers) -> None:  # type: ignore[no-untyped-def]
    m = count(providers)
    assert [p.label for p in m.places] == [FRESNO, TULARE, WASHOE, UNKNOWN]
    assert [r.key for r in m.rows] == [
        "prevention",
        "identification",
        "rescue-exit",
        "restoration",
        "reforms",
    ]
    assert counts(m, FRESNO) == {
        "prevention": "--",
        "identification": "0+1",  # the national hotline
        "rescue-exit": "1+2",  # adult shelter; legal line + hotline
        "restoration": "2+1",  # shelter's counselling, jobs; legal line
        "reforms": "1",
    }
    assert counts(m, TULARE) == {
        "prevention": "1",
        "identification": "0+1",
        "rescue-exit": "1+2",
        "restoration": "0+1",
        "reforms": "--",
    }
    # Nevada: the California legal line does not reach it; the national hotline does.
    assert counts(m, WASHOE) == {
        "prevention": "--",
        "identification": "1+1",
        "rescue-exit": "0+1",
        "restoration": "--",
        "reforms": "--",
    }
    # No county: counted under "(unknown)" in its region, which the CA line reaches.
    assert counts(m, UNKNOWN)["restoration"] == "1+1"
    assert m.places[-1] == Place(UNKNOWN, "county", "US-CA", "US")
    cell = m.cell("rescue-exit", FRESNO)
    assert (cell.local, cell.remote, cell.total) == (1, 2, 3)
    assert cell.local_ids == ("fresno-adult-shelter",)
    assert cell.remote_ids == ("ca-legal-line", "us-hotline")


def test_a_radius_counts_only_in_its_own_place(providers) -> None:  # type: ignore[no-untyped-def]
    m = count(providers)
    assert m.cell("prevention", TULARE).local_ids == ("tulare-awareness",)
    assert m.cell("prevention", FRESNO).total == 0  # 200 km would reach Fresno: not counted


EXPECTED = {
    "sos": {
        FRESNO: {"recognize-resource": "1+1", "reach-rehabilitate": "1+1", "restore-renew": "1"},
        TULARE: {"recognize-resource": "1+1", "reach-rehabilitate": "1+1", "restore-renew": "--"},
        WASHOE: {"recognize-resource": "1+1", "reach-rehabilitate": "--", "restore-renew": "--"},
    },
    "prr": {
        FRESNO: {"prevention": "1", "rescue": "1+1", "recovery": "2+1"},
        TULARE: {"prevention": "1", "rescue": "1+1", "recovery": "0+1"},
        WASHOE: {"prevention": "--", "rescue": "1+1", "recovery": "--"},
    },
    "5p": {
        FRESNO: {
            "prevention": "--",
            "protection": "2+2",
            "prosecution": "0+1",
            "partnership": "1",
            "policy": "--",
        },
        TULARE: {
            "prevention": "1",
            "protection": "1+2",
            "prosecution": "0+1",
            "partnership": "--",
            "policy": "--",
        },
        WASHOE: {
            "prevention": "--",
            "protection": "1+1",
            "prosecution": "--",
            "partnership": "1",
            "policy": "--",
        },
    },
}


@pytest.mark.parametrize("framework", ["sos", "prr", "5p"])
def test_exact_cells_in_the_other_frameworks(providers, framework: str) -> None:  # type: ignore[no-untyped-def]
    m = count(providers, framework=framework)
    assert [r.key for r in m.rows] == [a.key for a in load_taxonomy().frameworks[framework].areas]
    for place, expected in EXPECTED[framework].items():
        assert counts(m, place) == expected, (framework, place)


def test_every_framework_counts_the_same_providers_per_place(providers) -> None:  # type: ignore[no-untyped-def]
    seen = {}
    for framework in ("freedom", "sos", "prr", "5p"):
        m = count(providers, framework=framework)
        per_place = {}
        for p in m.places:
            local = {i for r in m.rows for i in m.cell(r.key, p.label).local_ids}
            remote = {i for r in m.rows for i in m.cell(r.key, p.label).remote_ids}
            per_place[p.label] = (len(local), len(remote))
        assert per_place == m.reach
        seen[framework] = per_place
    assert seen["freedom"] == {FRESNO: (3, 2), TULARE: (2, 2), WASHOE: (1, 1), UNKNOWN: (1, 2)}
    assert seen["sos"] == seen["prr"] == seen["5p"] == seen["freedom"]


def test_by_region_city_and_country(providers) -> None:  # type: ignore[no-untyped-def]
    m = count(providers, by="region")
    # regions by their names, not their codes
    assert [(p.label, p.region) for p in m.places] == [
        ("California", "US-CA"),
        ("Nevada", "US-NV"),
    ]
    assert counts(m, "California")["rescue-exit"] == "3+2"  # shelters, dental; legal + hotline
    assert counts(m, "Nevada")["rescue-exit"] == "0+1"
    m = count(providers, by="city")
    assert [p.label for p in m.places] == ["Fresno, CA", "Reno, NV", "Visalia, CA"]
    assert counts(m, "Fresno, CA")["restoration"] == "3+1"  # counselling, jobs, dental; legal
    m = count(providers, by="country")
    assert [p.label for p in m.places] == ["US"]
    assert counts(m, "US")["rescue-exit"] == "3+2"  # a statewide line reaches part of the US


def test_same_county_name_in_two_states_is_told_apart(tmp_path: Path) -> None:
    text = DIRECTORY + (
        "  - id: orange-ca\n    name: Orange CA\n    services: [outreach]\n"
        '    phone: "+1 714-555-0100"\n    last_verified: 2026-10-01\n'
        "    address: {city: Anaheim, county: Orange County, region: CA, country: US}\n"
        "  - id: orange-fl\n    name: Orange FL\n    services: [outreach]\n"
        '    phone: "+1 407-555-0100"\n    last_verified: 2026-10-01\n'
        "    address: {city: Orlando, county: Orange County, region: FL, country: US}\n"
    )
    providers = load(write(tmp_path / "d.yaml", text), use_cache=False).providers
    m = count(providers)
    labels = [p.label for p in m.places]
    assert "Orange County, CA" in labels and "Orange County, FL" in labels
    assert m.cell("rescue-exit", "Orange County, CA").remote_ids == ("ca-legal-line", "us-hotline")
    assert m.cell("rescue-exit", "Orange County, FL").remote_ids == ("us-hotline",)


# --------------------------------------------------------------------- populations


def test_for_minors_drops_adult_only_providers(providers) -> None:  # type: ignore[no-untyped-def]
    m = count(providers, population="minors")
    assert m.cell("rescue-exit", FRESNO).text == "0+2"  # the adults' shelter is not counted
    assert m.cell("rescue-exit", TULARE).local_ids == ("tulare-girls-shelter",)
    assert m.cell("prevention", TULARE).text == "--"  # parents' workshop is for adults
    assert [p.label for p in m.places] == [FRESNO, TULARE, WASHOE, UNKNOWN]  # places stay


def test_population_synonyms_and_gender(providers) -> None:  # type: ignore[no-untyped-def]
    assert count(providers, population="kids").population.key == "minors"  # type: ignore[union-attr]
    boys = count(providers, population="boys", detail="services")
    assert boys.cell("rescue-exit/temporary-shelter", TULARE).total == 0  # girls only
    girls = count(providers, population="girls", detail="services")
    assert girls.cell("rescue-exit/temporary-shelter", TULARE).local == 1
    women = count(providers, population="women", detail="services")
    assert women.cell("rescue-exit/temporary-shelter", TULARE).total == 0  # ages 12-17
    assert women.cell("rescue-exit/temporary-shelter", FRESNO).local == 1
    lgbtq = count(providers, population="lgbtq")
    assert lgbtq.cells == count(providers).cells  # group populations exclude nobody


def test_unknown_population_is_a_usage_error_with_a_suggestion(providers) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(
        UnknownChoice, match="^population: unknown population 'minros'; did you mean 'minors'"
    ):
        count(providers, population="minros")
    with pytest.raises(UnknownChoice, match="^framework: unknown framework '6p'"):
        count(providers, framework="6p")
    with pytest.raises(UnknownChoice, match="^area: .*did you mean 'restoration'"):
        count(providers, area="restortion")


def test_admits_overlapping_ages_only() -> None:
    from referral_cli.model import Eligibility

    minors = load_taxonomy().populations["minors"]
    assert not admits(Eligibility(min_age=18), minors)
    assert admits(Eligibility(min_age=12, max_age=17), minors)
    assert admits(Eligibility(max_age=21), minors)
    assert admits(Eligibility(), minors)
    women = load_taxonomy().populations["women"]
    assert not admits(Eligibility(genders=("male",)), women)
    assert admits(Eligibility(genders=("female", "nonbinary")), women)


# --------------------------------------------------------------------- gaps


def test_gaps_in_plain_words(providers) -> None:  # type: ignore[no-untyped-def]
    m = count(providers)
    gaps = {g.place: g for g in m.gaps}
    assert gaps[FRESNO].message == (
        "Fresno County, CA: nothing in Prevention; no medical care; only remote in Identification"
    )
    assert gaps[TULARE].message == (
        f"Tulare County, CA: nothing in Reforms; no {label('counseling')} or medical care;"
        " only remote in Identification and Restoration"
    )
    assert gaps[WASHOE].message == (
        "Washoe County, NV: nothing in Prevention, Restoration or Reforms; no temporary shelter, "
        f"{label('counseling')}, legal aid or medical care; only remote in Rescue / Exit"
    )
    assert gaps[TULARE].remote_only_areas == ("identification", "restoration")
    assert gaps[WASHOE].missing_areas == ("prevention", "restoration", "reforms")
    assert gaps[WASHOE].missing_services == (
        "temporary-shelter",
        "counseling",
        "legal-aid",
        "medical",
    )
    # located areas + areas reached only remotely / all areas: remote-only is never complete
    assert {k: c.text for k, c in m.completeness.items()} == {
        FRESNO: "3+1/5",
        TULARE: "2+2/5",
        WASHOE: "1+1/5",
        UNKNOWN: "2+1/5",
    }
    assert not any(c.complete for c in m.completeness.values())
    assert m.completeness[TULARE].covered == 4


def test_gaps_for_a_population_say_for_whom(providers) -> None:  # type: ignore[no-untyped-def]
    m = count(providers, population="minors")
    gaps = {g.place: g.message for g in m.gaps}
    # Nothing in Prevention for anyone in Fresno; only the adults' shelter there.
    assert gaps[FRESNO] == (
        f"Fresno County, CA: nothing in Prevention; no temporary shelter, {label('counseling')}"
        " or medical care for minors; only remote in Identification and Rescue / Exit"
    )
    # Tulare has prevention work, but only for adults.
    assert gaps[TULARE] == (
        "Tulare County, CA: nothing in Reforms; nothing in Prevention for minors;"
        f" no {label('counseling')} or medical care for minors;"
        " only remote in Identification and Restoration"
    )
    assert m.completeness[TULARE].text == "1+2/5"


def test_completeness_counts_the_frameworks_areas(providers) -> None:  # type: ignore[no-untyped-def]
    assert count(providers, framework="sos").completeness[WASHOE].text == "1/3"
    assert count(providers, framework="5p").completeness[FRESNO].text == "2+1/5"


def test_area_filter_and_service_detail(providers) -> None:  # type: ignore[no-untyped-def]
    m = count(providers, area="Restoration", detail="services")
    assert m.rows[0].key == "restoration" and all(r.area == "restoration" for r in m.rows)
    assert "restoration/job-placement" in [r.key for r in m.rows]
    assert m.cell("restoration/job-placement", FRESNO).text == "1"
    restoration = m.completeness[TULARE]  # only the statewide legal line
    assert (restoration.text, restoration.covered, restoration.complete) == ("0+1/1", 1, False)
    # Shelter is not a Restoration service: not reported when only Restoration is shown.
    assert all("temporary-shelter" not in g.missing_services for g in m.gaps)


# --------------------------------------------------------------------- formats


def test_json_shape(providers) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(json.dumps(count(providers, population="kids").as_dict()))
    assert set(doc) >= {"framework", "by", "detail", "population", "area", "places", "rows"}
    assert doc["framework"] == {"key": "freedom", "label": "Freedom Strategy"}
    assert doc["population"]["key"] == "minors"
    assert doc["places"][0] == {
        "label": FRESNO,
        "kind": "county",
        "region": "US-CA",
        "country": "US",
        "providers": {"local": 2, "remote": 2, "total": 4},
        "completeness": {
            "covered": 4,
            "located": 2,
            "remote_only": 2,
            "total": 5,
            "complete": False,
        },
    }
    assert len(doc["cells"]) == len(doc["rows"]) * len(doc["places"])
    cell = next(c for c in doc["cells"] if c["row"] == "rescue-exit" and c["place"] == TULARE)
    assert cell == {
        "row": "rescue-exit",
        "place": TULARE,
        "local": 1,
        "remote": 2,
        "total": 3,
        "local_ids": ["tulare-girls-shelter"],
        "remote_ids": ["ca-legal-line", "us-hotline"],
    }
    gap = next(g for g in doc["gaps"] if g["place"] == WASHOE)
    assert set(gap) == {
        "place",
        "message",
        "missing_areas",
        "missing_services",
        "remote_only_areas",
    }


def test_cli_json_csv_markdown(runner: CliRunner, data: Path) -> None:
    result = invoke(
        runner, "coverage", "--data", str(data), "--format", "json", "--framework", "prr"
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["framework"]["key"] == "prr" and len(doc["rows"]) == 3

    result = invoke(runner, "coverage", "--data", str(data), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5 * 4
    fresno = next(r for r in rows if r["row"] == "rescue-exit" and r["place"] == FRESNO)
    assert (fresno["local"], fresno["remote"], fresno["total"]) == ("1", "2", "3")
    assert fresno["remote_ids"] == "ca-legal-line; us-hotline"

    result = invoke(runner, "coverage", "--data", str(data), "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert f"| Area | {FRESNO} | {TULARE} | {WASHOE} | {UNKNOWN} |" in result.stdout
    assert "| **Rescue / Exit** | 1+2 | 1+2 | 0+1 | 1+2 |" in result.stdout
    assert "- **Fresno County, CA** (3+1/5): nothing in Prevention; no medical care" in (
        result.stdout
    )


def test_terminal_table_reads_without_colour(
    runner: CliRunner, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = invoke(runner, "coverage", "--data", str(data), "--for", "minors")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out  # plain text when piped
    assert "Coverage by county — Freedom Strategy, for minors" in out
    assert "2+1 = 2 located here + 1 remote/statewide" in out
    assert "Tulare County, CA (1+2/5): nothing in Reforms; nothing in Prevention for" in out
    assert "Covered 1+4/5 = 1 area with a provider located here + 4 only remote" in out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = {  # long place names: the places are the rows
        cells[0]: cells[1:]
        for line in lines
        if line.startswith((FRESNO, TULARE, WASHOE, UNKNOWN))
        for cells in (re.split(r"\s{2,}", line.strip()),)
    }
    assert rows[TULARE] == ["--", "0+1", "1+2", "0+1", "--", "1+2/5"]
    assert [r[0] for r in rows.values()] == ["--"] * 4  # Prevention: gaps visible


def many_counties(tmp_path: Path, n: int = 12) -> Path:
    text = "providers:\n" + "".join(
        f"  - id: p{i}\n    name: P{i}\n    services: [outreach{', legal-aid' if i % 2 else ''}]\n"
        f'    phone: "+1 559-555-01{i:02d}"\n    last_verified: 2026-10-01\n'
        f"    address: {{city: Town {i}, county: Long Name {i} County, region: CA, country: US}}\n"
        for i in range(n)
    )
    return write(tmp_path / "many.yaml", text)


def test_wide_matrix_is_transposed_to_fit_80_columns(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = invoke(runner, "coverage", "--data", str(many_counties(tmp_path)))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if line.startswith("County"))
    assert "Prevention" in header or "Prevent." in header
    row = next(line for line in lines if line.startswith("Long Name 3 County"))
    assert row.split()[-6:] == ["--", "1", "1", "1", "--", "3/5"]
    totals = next(line for line in lines if line.startswith("Places covered"))
    assert totals.split()[2:] == ["0/12", "12/12", "6/12", "6/12", "0/12"]
    # Service rows: places split into several tables instead.
    result = invoke(
        runner, "coverage", "--data", str(many_counties(tmp_path)), "--detail", "services"
    )
    assert result.exit_code == 0, result.stderr
    assert "Part 1 of" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_terminal_colour_shades_cells(providers, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console

    monkeypatch.delenv("NO_COLOR", raising=False)
    out = Console(file=io.StringIO(), width=80, force_terminal=True, color_system="truecolor")
    print_table(count(providers), out)
    text = out.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b[" in text and "48;2;175;0;0" in text  # red background on empty cells
    assert "Shading (providers):" in text


# --------------------------------------------------------------------- untrusted text


HOSTILE = """\
providers:
  - id: evil
    name: "<script>alert(1)</script> [bold]Shelter[/bold]"
    services: [temporary-shelter]
    phone: "+1 559-555-0100"
    last_verified: 2026-10-01
    confidential: true
    address: {street: 1 Hidden Way, city: "<img src=x onerror=alert(2)>", county: "<b>Evil</b> | *County*", region: CA, country: US}
"""


def test_html_is_self_contained_and_escapes_data(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "evil.yaml", HOSTILE)
    out = tmp_path / "report.html"
    result = invoke(runner, "coverage", "--data", str(path), "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    page = out.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<b>Evil</b>" not in page and "&lt;b&gt;Evil&lt;/b&gt;" in page
    assert "<script" not in page.lower() and "&lt;script&gt;" not in page  # names not shown
    for external in ("http://", "https://", "src=", "<link", "@import", "url("):
        assert external not in page, external
    assert "1 Hidden Way" not in page
    assert "Freedom Strategy" in page and "Gaps (1 of 1 places)" in page
    # by city: the hostile city is a column heading, escaped.
    result = invoke(runner, "coverage", "--data", str(path), "--format", "html", "--by", "city")
    assert "&lt;img src=x onerror=alert(2)&gt;" in result.stdout and "<img" not in result.stdout
    # Markdown: no raw HTML and no table-breaking pipe from the data.
    result = invoke(runner, "coverage", "--data", str(path), "--format", "markdown")
    assert (
        "<b>" not in result.stdout and "&lt;b&gt;Evil&lt;/b&gt; \\| \\*County\\*" in result.stdout
    )


def test_confidential_street_never_in_any_format(runner: CliRunner, data: Path) -> None:
    for fmt in ("table", "json", "csv", "markdown", "html"):
        result = invoke(runner, "coverage", "--data", str(data), "--format", fmt, "--by", "city")
        assert result.exit_code == 0, (fmt, result.stderr)
        assert "1 Hidden Way" not in result.stdout and "93291" not in result.stdout, fmt
        assert "36.33" not in result.stdout, fmt


# --------------------------------------------------------------------- CLI


def test_output_file_needs_force_to_replace(runner: CliRunner, data: Path, tmp_path: Path) -> None:
    out = tmp_path / "cov.txt"
    result = invoke(runner, "coverage", "--data", str(data), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Covered" in out.read_text("utf-8")
    result = invoke(runner, "coverage", "--data", str(data), "-o", str(out), "--format", "json")
    assert result.exit_code == 1 and "pass --force" in result.stderr
    assert "Covered" in out.read_text("utf-8")  # the old file is kept
    result = invoke(
        runner, "coverage", "--data", str(data), "-o", str(out), "-f", "json", "--force"
    )
    assert result.exit_code == 0 and json.loads(out.read_text("utf-8"))["by"] == "county"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--for", "kidz"], "did you mean 'kid"),
        (["--framework", "5q"], "unknown framework '5q'"),
        (["--by", "conty"], "did you mean 'county'"),
        (["--detail", "service"], "did you mean 'services'"),
        (["--area", "nowhere"], "unknown area 'nowhere'"),
        (["--format", "pdf"], "unknown format 'pdf'"),
    ],
)
def test_usage_errors_exit_2(runner: CliRunner, data: Path, args: list[str], message: str) -> None:
    result = invoke(runner, "coverage", "--data", str(data), *args)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_subprocess_json(data: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "REFERRAL_CONFIG": str(tmp_path / "config.toml"),
        "REFERRAL_CACHE_DIR": str(tmp_path / "cache"),
        "NO_COLOR": "1",
    }
    env.pop("REFERRAL_DATA", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "referral_cli",
            "coverage",
            "--data",
            str(data),
            "--format",
            "json",
            "--for",
            "minors",
            "--framework",
            "5p",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["framework"]["key"] == "5p" and doc["population"]["key"] == "minors"
    protection = next(c for c in doc["cells"] if c["row"] == "protection" and c["place"] == FRESNO)
    assert protection["local_ids"] == ["fresno-jobs"]  # adult shelter not counted for minors
    assert protection["remote_ids"] == ["ca-legal-line", "us-hotline"]


def test_no_places(runner: CliRunner, tmp_path: Path) -> None:
    path = write(
        tmp_path / "d.yaml",
        """\
        providers:
          - id: line
            name: Line
            services: [hotline]
            phone: "+1 888-555-0100"
            last_verified: 2026-10-01
            service_area: {countries: [US], remote: true}
        """,
    )
    result = invoke(runner, "coverage", "--data", str(path))
    assert result.exit_code == 0, result.stderr
    assert "no places to show" in result.stdout


def test_unknown_place_is_told_apart_by_what_the_address_gives(tmp_path: Path) -> None:
    text = DIRECTORY + (
        "  - id: no-address\n    name: No Address\n    services: [mentoring]\n"
        '    phone: "+1 559-555-0199"\n    last_verified: 2026-10-01\n'
        "    location: {lat: 36.7, lon: -119.7}\n"
        "  - id: tijuana\n    name: Tijuana\n    services: [mentoring]\n"
        '    phone: "+52 664 555 0100"\n    last_verified: 2026-10-01\n'
        "    address: {city: Tijuana, region: BC, country: MX}\n"
    )
    providers = load(write(tmp_path / "d.yaml", text), use_cache=False).providers
    m = count(providers)
    assert [p.label for p in m.places][-3:] == ["(unknown)", "Baja California, MX", UNKNOWN]
    # Nothing known of where "(unknown)" is: no remote service is assumed to reach it.
    assert m.cell("restoration", "(unknown)").text == "1"
    mexico = m.cell("rescue-exit", "Baja California, MX")
    assert mexico.text == "--"  # neither the California line nor the US hotline reach it
