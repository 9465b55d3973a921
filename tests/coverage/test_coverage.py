"""`referral coverage` on the command line: formats, the terminal table, files,
untrusted text, usage errors, a real subprocess. The counting itself is tested in
tests/coverage/ (one module per module of referral_cli/coverage/)."""

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
from coverage_directory import FRESNO, TULARE, UNKNOWN, WASHOE, providers_of, write_directory
from typer.testing import CliRunner

from referral_cli.coverage import render_html, render_markdown, render_text
from referral_cli.coverage.count import count
from referral_cli.coverage.model import MATRIX_FORMAT_VERSION


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_directory(tmp_path)


def test_cli_json_csv_markdown(runner: CliRunner, data: Path) -> None:
    result = invoke(
        runner, "coverage", "--data", str(data), "--format", "json", "--framework", "prr"
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["framework"]["key"] == "prr" and len(doc["rows"]) == 3

    result = invoke(runner, "coverage", "--data", str(data), "--format", "csv", "--ids")
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


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_machine_formats_give_counts_and_the_ids_only_when_asked(
    runner: CliRunner, data: Path, fmt: str
) -> None:
    """Without --ids JSON and CSV carry the counts of --ids (from the index's group
    sizes, as the table), and no id; with it, each cell's ids."""
    options = ["--data", str(data), "--for", "minors", "--detail", "services", "--format", fmt]
    asked = invoke(runner, "coverage", *options, "--ids")
    counted = invoke(runner, "coverage", *options)
    assert asked.exit_code == counted.exit_code == 0, counted.stderr
    if fmt == "json":
        with_ids, without = json.loads(asked.stdout), json.loads(counted.stdout)
        assert with_ids["format_version"] == without["format_version"] == MATRIX_FORMAT_VERSION
        cells, brief = with_ids.pop("cells"), without.pop("cells")
        assert with_ids == without
    else:
        cells = list(csv.DictReader(io.StringIO(asked.stdout)))
        brief = list(csv.DictReader(io.StringIO(counted.stdout)))
    ids = ("local_ids", "remote_ids")
    assert any(c["remote_ids"] for c in cells)
    assert [{k: v for k, v in c.items() if k not in ids} for c in cells] == brief
    assert not any(k in c for c in brief for k in ids)


def test_ids_go_with_the_machine_formats_of_the_matrix(runner: CliRunner, data: Path) -> None:
    for extra in (["--format", "markdown"], ["--format", "json", "--matrix", "stale"]):
        result = invoke(runner, "coverage", "--data", str(data), "--ids", *extra)
        assert result.exit_code == 2 and "--ids" in result.stderr


@pytest.mark.parametrize("fmt", ["markdown", "html", "table"])
def test_counted_formats_read_as_counted_from_every_provider(
    runner: CliRunner, data: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The formats that show counts only are counted from the sizes of the index's
    groups; they print what a walk over every provider (with ids) gives."""
    monkeypatch.setenv("COLUMNS", "80")
    options = ["--for", "minors", "--detail", "services", "--by", "city"]
    walked = count(providers_of(data), population="minors", detail="services", by="city")
    render = {"markdown": render_markdown.markdown, "html": render_html.html}
    expected = render.get(fmt, render_text.table_text)(walked)
    output = ["-o", str(data.parent / f"out.{fmt}"), "--force"] if fmt == "table" else []
    for _ in range(2):  # filed in the index, then read from it
        result = invoke(runner, "coverage", "--data", str(data), "--format", fmt, *options, *output)
        assert result.exit_code == 0, result.stderr
        shown = (data.parent / f"out.{fmt}").read_text("utf-8") if output else result.stdout
        assert shown == expected
    assert "1+" in expected or "0+" in expected  # remote reach is among what is compared


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
            "--ids",
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


def test_coverage_renders_every_format_it_offers_that_no_writer_writes() -> None:
    """A format added to coverage's row in output.FORMATS needs its renderer here."""
    from referral_cli import output
    from referral_cli.commands.coverage_run import GRID_RENDERERS, MATRIX_RENDERERS

    rendered = {f for f in output.formats_of("coverage") if not output.is_machine(f)}
    assert rendered == set(MATRIX_RENDERERS) == set(GRID_RENDERERS)


SERVED_OTHERWISE = {
    "a.yaml": """\
providers:
  - id: hidden-house
    name: Hidden House
    services: [temporary-shelter, counseling]
    phone: "+1 559-555-0100"
    address: {street: 4417 Quillfeather Lane, city: Fresno, county: Fresno County, region: CA, postal_code: "93722", country: US}
    location: {lat: 36.791234, lon: -119.861234}
    confidential: true
  - id: next-door
    name: Next door
    services: [legal-aid]
    phone: "+1 559-555-0102"
    address: {city: Visalia, county: Tulare County, region: CA, country: US}
    location: {lat: 36.791264, lon: -119.861224}
    service_area: {regions: [US-CA]}
  - id: sibling-beds
    name: Sibling beds
    services: [temporary-shelter]
    eligibility: {ages: [12, 17]}
    phone: "+1 559-555-0101"
    address: {street: 4417 quillfeather ln., city: Fresno, county: Fresno County, region: CA, postal_code: "93722", country: US}
  - id: twice
    name: Twice, older
    services: [medical]
    phone: "+1 559-555-0103"
    last_verified: 2026-01-01
    address: {city: Reno, county: Washoe County, region: NV, country: US}
""",
    "b.yaml": """\
providers:
  - id: twice
    name: Twice, newer
    services: [dental, outreach]
    phone: "+1 559-555-0104"
    last_verified: 2026-06-01
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
""",
}


@pytest.mark.parametrize(
    "options",
    [
        (),
        ("--format", "json"),
        ("--format", "csv"),
        ("--format", "html"),
        ("--format", "json", "--ids", "--for", "minors"),
        ("--format", "csv", "--ids", "--detail", "services"),
    ],
)
def test_providers_served_otherwise_are_counted_without_reading_every_provider(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: tuple[str, ...]
) -> None:
    """Public providers at a confidential one's place (served as confidential) and
    an id repeated in another file (served once) keep coverage, in every format,
    on the index's summaries: no provider list is read, and the output is the
    one a walk over every provider served gives."""
    from referral_cli.directory import Directory
    from referral_cli.index.store import Index

    for name, text in SERVED_OTHERWISE.items():
        write(tmp_path / "d" / name, text)
    data = ("--data", str(tmp_path / "d"))
    walked = monkeypatch.context()
    with walked as m:
        m.setattr(Directory, "facets", lambda self: None)
        expected = invoke(runner, "coverage", *data, *options)
    assert expected.exit_code == 0, expected.stderr
    assert "served as confidential" in expected.stderr and "used twice" in expected.stderr

    def unread(self: Index) -> None:
        raise AssertionError("every provider was read")

    monkeypatch.setattr(Index, "providers", unread)
    for _ in range(2):  # counted, then recalled
        result = invoke(runner, "coverage", *data, *options)
        assert result.exit_code == 0, result.stderr
        assert (result.stdout, result.stderr) == (expected.stdout, expected.stderr)
