"""Security properties of the real commands, end to end (docs/security.md names each test).

* Untrusted text stays text: provider fields carrying Rich markup, terminal escape
  sequences, HTML/JavaScript and spreadsheet formulas go through every command and
  every output channel (terminal table and text, JSON, NDJSON, CSV, Markdown, HTML,
  PDF, HSDS export, validate messages) without being interpreted.
* Confidential means confidential, as a property: for generated confidential
  providers mixed with public ones, no command in any format prints the street,
  the postal code or coordinates to three decimals.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
import yaml
from conftest import LONG_PROFILE, HtmlCollector
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from referral_cli.cli import app

# The Click command is built from the Typer app once (building it costs more than
# most commands); it is the very object ``referral`` builds and runs.
_COMMAND = typer.main.get_command(app)


def cli(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    original = typer.testing._get_command
    typer.testing._get_command = lambda _app: _COMMAND  # type: ignore[assignment]
    try:
        return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    finally:
        typer.testing._get_command = original


def ok(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    result = cli(*args, env=env)
    assert result.exit_code == 0, (args, result.stderr)
    return result


# ============================================================ untrusted text stays text

MARKUP = "[bold red]MARKUP[/bold red] [link=https://rich.invalid]L[/link]"
HTML = '<script>alert(1)</script><img src=x onerror="alert(2)">'
ESCAPES = (
    "\x1b[31mRED\x1b[0m"  # CSI colour
    "\x1b[2J\x1b[H\x1b[5A\x1b[10;10H"  # clear screen, cursor home / up / to
    "\x1b]8;;https://osc8.invalid/\x1b\\CLICK\x1b]8;;\x1b\\"  # OSC 8 hyperlink
    "\x1b]0;pwned-title\x07"  # OSC window title, ended by BEL
    "\x07"  # bell
    "\x9b2J"  # 8-bit CSI
    "\u202e"  # right-to-left override
    "\u061c"  # Arabic letter mark (a bidi mark outside the override block)
    "\x08"  # backspace
)
# What must never come out of a terminal or text channel: the control characters,
# and the hidden payloads of the sequences (a sequence is removed whole).
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\x08", "\u202e", "\u061c", "osc8.invalid", "pwned-title")
HOSTILE = f"{MARKUP} {HTML} {ESCAPES}"
SHOWN = f"{MARKUP} {HTML} REDCLICK"  # what a reader sees of HOSTILE
FORMULA_NAME = '=HYPERLINK("https://formula.invalid","x")'
EVIL_PROVIDER = {
    "id": "evil-shelter",
    "name": f"{FORMULA_NAME} {HOSTILE}",
    "organization": f"+cmd|' /C calc'!A0 {HOSTILE}",
    "description": f"-2+3 {HOSTILE}",
    "services": ["temporary-shelter", "counseling"],
    "phone": "+1 559-555-0100",
    "hours": "24/7",
    "intake": f"@SUM(A1) {HOSTILE}",
    "cost": HOSTILE,
    "eligibility": {"notes": HOSTILE},
    "address": {
        "street": f"5 Open St {HOSTILE}",
        "city": f"=Evil City {ESCAPES}",
        "county": f"@Evil County {HOSTILE}",
        "region": "CA",
        "country": "US",
    },
    "location": {"lat": 36.74, "lon": -119.79},
    "capacity": {f"beds {ESCAPES}": 4},
    "keywords": [HOSTILE],
    "last_verified": "2026-10-01",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")  # a number, such as a longitude, is not a formula
# An international phone number (HSDS phones.number, written as a number for other
# systems) is not a formula either: digits, spaces and dashes after the plus.
PHONE_NUMBER = re.compile(r"\+\d{1,3}(?: \d{1,4})?(?:[ -]\d{2,4}){1,4}")
WIDE = {"COLUMNS": "3000"}  # no wrapping: hostile strings stay on one line


@pytest.fixture
def evil(tmp_path: Path) -> str:
    path = tmp_path / "evil.yaml"
    path.write_text(yaml.safe_dump({"providers": [EVIL_PROVIDER]}, allow_unicode=True), "utf-8")
    assert cli("validate", str(path)).exit_code == 0  # hostile, yet valid
    return str(path)


def assert_inert(text: str, where: object = "", *, quoted: bool = False) -> None:
    """No control character; no hidden payload either, unless ``quoted`` (a message
    that shows a bad value escaped, as Python's repr does, shows it as text)."""
    for bad in FORBIDDEN[:5] if quoted else FORBIDDEN:
        assert bad not in text, (where, bad)
    assert not [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t"], where


def assert_inert_json(value: Any, where: object = "", *, quoted: bool = False) -> None:
    """Every key and string of a parsed JSON value is free of controls and sequences."""
    if isinstance(value, str):
        assert_inert(value, where, quoted=quoted)
    elif isinstance(value, dict):
        for key, item in value.items():
            assert_inert(key, (where, "key"), quoted=quoted)
            assert_inert_json(item, where, quoted=quoted)
    elif isinstance(value, list):
        for item in value:
            assert_inert_json(item, where, quoted=quoted)


def assert_no_formula_cells(text: str, where: object = "") -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            assert (
                NUMBER.fullmatch(cell)
                or PHONE_NUMBER.fullmatch(cell)
                or not cell.startswith(FORMULA_START)
            ), (where, cell)
    return rows


def test_find_table_prints_markup_and_escapes_as_text(evil: str) -> None:
    result = ok("find", "shelter near Fresno", "--data", evil, env=WIDE)
    assert_inert(result.stdout + result.stderr, "find table")
    assert SHOWN in result.stdout  # markup and HTML shown literally, escapes removed
    assert FORMULA_NAME in result.stdout


def test_find_table_in_a_colour_terminal_emits_only_its_own_colours(
    evil: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from referral_cli import output

    monkeypatch.setattr(output, "color_enabled", lambda stream=None: True)
    for args in (["find", "shelter near Fresno"], ["coverage"]):
        result = ok(*args, "--data", evil, env=WIDE)
        assert "\x1b[" in result.stdout, args  # the colour path was taken
        plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)  # Rich's own SGR colours
        assert_inert(plain, args)  # no hyperlink, cursor move, title, bell or data escape
        assert MARKUP in plain, args


def test_find_json_and_ndjson_are_clean_text(evil: str) -> None:
    result = ok("find", "shelter near Fresno", "--data", evil, "--format", "json")
    payload = json.loads(result.stdout)
    assert_inert_json(payload, "json")
    assert "\\u001b" not in result.stdout and "\\u0007" not in result.stdout
    (row,) = payload["results"]
    assert row["name"] == f"{FORMULA_NAME} {SHOWN}"  # JSON keeps the text, not the codes
    result = ok("find", "shelter near Fresno", "--data", evil, "--format", "ndjson")
    lines = result.stdout.splitlines()
    assert len(lines) == 2  # the result, then the summary record
    assert_inert_json(json.loads(lines[0]), "ndjson")
    assert_inert(lines[0], "ndjson raw")


def test_find_csv_defuses_formulas_and_escapes(evil: str) -> None:
    result = ok("find", "shelter near Fresno", "--data", evil, "--format", "csv")
    assert_inert(result.stdout, "csv")
    header, row = assert_no_formula_cells(result.stdout, "find csv")
    cells = dict(zip(header, row, strict=True))
    assert cells["name"] == f"'{FORMULA_NAME} {SHOWN}"
    assert cells["city"] == "'=Evil City REDCLICK"
    assert cells["phone"] == "'+1 559-555-0100"


def test_show_text_and_json(evil: str) -> None:
    result = ok("show", "evil-shelter", "--data", evil, env=WIDE)
    assert_inert(result.stdout + result.stderr, "show")
    assert SHOWN in result.stdout and FORMULA_NAME in result.stdout
    result = ok("show", "evil-shelter", "--data", evil, "--format", "json")
    payload = json.loads(result.stdout)
    assert_inert_json(payload, "show json")
    assert payload["intake"] == f"@SUM(A1) {SHOWN}"


def test_slip_text_via_cli(evil: str) -> None:
    for args in (["slip", "evil-shelter"], ["find", "shelter near Fresno", "--slip"]):
        result = ok(*args, "--data", evil, "--no-discreet")
        assert_inert(result.stdout + result.stderr, args)
        assert "[bold red]MARKUP[/bold red]" in result.stdout, args


def test_slip_markdown_via_cli(evil: str, tmp_path: Path) -> None:
    md = ok("slip", "evil-shelter", "--data", evil, "--format", "markdown").stdout
    out = tmp_path / "slip.md"
    ok("find", "shelter near Fresno", "--slip", "-o", str(out), "--data", evil)
    for text in (md, out.read_text("utf-8")):
        assert_inert(text, "markdown")
        assert not re.search(r"(?<!\\)<", text), "raw HTML in Markdown"
        assert not re.search(r"(?<!\\)\[(bold|link|/)", text), "unescaped link or markup"
        assert "\\[bold red\\]MARKUP\\[/bold red\\]" in text
        assert "\\<script\\>alert(1)\\</script\\>" in text


ACTIVE_TAGS = {"script", "img", "iframe", "object", "embed", "link", "svg", "math", "form",
               "input", "base", "video", "audio", "source", "frame", "applet"}  # fmt: skip


def assert_inert_html(page: str, where: object) -> str:
    assert_inert(page, where)
    parser = HtmlCollector()
    parser.feed(page)
    assert not ACTIVE_TAGS & set(parser.tags), (where, ACTIVE_TAGS & set(parser.tags))
    assert parser.tags.count("style") <= 1, where  # the page's own style sheet only
    assert not [name for name, _ in parser.attrs if name.startswith("on")], where
    for name, value in parser.attrs:
        if name in ("href", "src", "action", "formaction"):
            assert (value or "").startswith(("tel:", "mailto:", "#")), (where, name, value)
    return " ".join(parser.text)


def test_slip_html_via_cli(evil: str, tmp_path: Path) -> None:
    page = ok("slip", "evil-shelter", "--data", evil, "--format", "html").stdout
    out = tmp_path / "slip.html"
    ok("find", "shelter near Fresno", "--slip", "-o", str(out), "--data", evil)
    for html in (page, out.read_text("utf-8")):
        text = assert_inert_html(html, "slip html")
        assert SHOWN in text  # the data is shown as text
        assert "<script>" not in html and "&lt;script&gt;" in html


PDF_ACTIVE = (b"/JavaScript", b"/JS ", b"/JS(", b"/Launch", b"/SubmitForm", b"/ImportData",
              b"/EmbeddedFile", b"/RichMedia", b"/GoToR", b"/AA ")  # fmt: skip


def test_slip_pdf_via_cli(evil: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "slip.pdf"
    ok("slip", "evil-shelter", "--data", evil, "--no-discreet", "-o", str(out))
    body = out.read_bytes()
    stdout = cli("slip", "evil-shelter", "--data", evil, "--format", "pdf").stdout_bytes
    for pdf in (body, stdout):
        assert pdf.startswith(b"%PDF")
        for active in PDF_ACTIVE:
            assert active not in pdf, active
        for uri in re.findall(rb"/URI\s*\(([^)]*)\)", pdf):
            assert uri.startswith((b"tel:", b"mailto:")), uri
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert_inert(text, "pdf")
        flat = " ".join(text.split())
        assert "[bold red]MARKUP[/bold red]" in flat and "<script>alert(1)</script>" in flat


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "html"])
@pytest.mark.parametrize("by", ["county", "city"])
def test_coverage_every_format(evil: str, fmt: str, by: str) -> None:
    result = ok("coverage", "--data", evil, "--format", fmt, "--by", by, env=WIDE)
    out = result.stdout
    assert_inert(out + result.stderr, (fmt, by))
    place = "@Evil County" if by == "county" else "=Evil City REDCLICK"
    if fmt == "json":
        payload = json.loads(out)
        assert_inert_json(payload, (fmt, by))
        assert any(p["label"].startswith(place) for p in payload["places"])
    elif fmt == "csv":
        rows = assert_no_formula_cells(out, (fmt, by))
        assert any(row[6].startswith("'" + place) for row in rows[1:])
    elif fmt == "html":
        text = assert_inert_html(out, (fmt, by))
        assert place in text
    elif fmt == "markdown":
        assert not re.search(r"(?<!\\)<", out.replace("&lt;", "")), "raw HTML in Markdown"
        assert "<script>" not in out
        if by == "county":
            assert "\\[bold red\\]MARKUP\\[/bold red\\]" in out
    else:
        assert place in out
        if by == "county":
            assert MARKUP in out


def test_export_hsds_defuses_formulas_and_escapes(evil: str, tmp_path: Path) -> None:
    out = tmp_path / "hsds"
    ok("export-hsds", "--data", evil, "--output", str(out))
    files = sorted(out.iterdir())
    assert files
    for path in files:
        text = path.read_text("utf-8")
        assert_inert(text, path.name)
        if path.suffix == ".csv":
            assert_no_formula_cells(text, path.name)
        elif path.suffix == ".json":
            assert_inert_json(json.loads(text), path.name)


def test_validate_messages_quote_hostile_values_inertly(tmp_path: Path) -> None:
    bad = {
        "id": "bad",
        "name": "Bad",
        "services": ["legal-aid", f"shelterz {ESCAPES}"],
        "phone": f"+1 559 {ESCAPES}",
        "email": f"x@{ESCAPES}",
        "languages": [f"xx{ESCAPES}"],
        "hours": {f"mon{ESCAPES}": "09:00-17:00"},
        f"unknown{ESCAPES}": 1,
        "last_verified": "2026-10-01",
    }
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"providers": [bad]}, allow_unicode=True), "utf-8")
    for fmt in ("text", "json", "github"):
        result = cli("validate", str(path), "--format", fmt)
        assert result.exit_code == 1, result.stderr
        assert_inert(result.stdout + result.stderr, fmt, quoted=True)
        if fmt == "json":
            assert_inert_json(json.loads(result.stdout), fmt, quoted=True)
        elif fmt == "github":  # no data can start a workflow command of its own
            assert all(
                line.startswith(("::error ", "::warning ")) for line in result.stdout.splitlines()
            )
        else:
            assert len(result.stdout.splitlines()) == 7


# ===================================================== confidentiality as a property

PROPERTY_EXAMPLES = int(os.environ.get("REFERRAL_PROPERTY_EXAMPLES", "60" if LONG_PROFILE else "5"))
FRESNO = (36.7378, -119.7871)  # the gazetteer's Fresno: "near Fresno" prints it
PUBLIC_STREETS = ("100 Public Plaza", "200 Market Street", "300 Civic Center Square")
PUBLIC_POSTAL = ("93650", "93711", "93722")
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=5, max_size=10)
SUFFIX = st.sampled_from(["St", "Lane", "Avenue", "Road", "Way", "Court", "Drive"])


def coordinate(centre: float, spread: float):  # type: ignore[no-untyped-def]
    """A coordinate with up to six decimals within ``spread`` degrees of ``centre``."""
    steps = int(spread * 1_000_000)
    return st.integers(-steps, steps).map(lambda k: round(centre + k / 1_000_000, 6))


def far(a: float, b: float) -> bool:
    """Two coordinates that do not agree to three decimals (nor nearly)."""
    return abs(a - b) >= 0.002


@st.composite
def network(draw):  # type: ignore[no-untyped-def]
    """1-2 confidential providers near Fresno with generated street, postal code and
    coordinates, mixed with 0-3 public providers; returns (providers, secrets).
    Sometimes a confidential provider is invalid the way hand-written data is (an
    unquoted postal code, swapped or out-of-range coordinates): its values must
    stay out of the error messages too."""
    providers: list[dict[str, Any]] = []
    secrets: list[tuple[str, str, str, float, float]] = []
    today = dt.date.today().isoformat()
    for i in range(draw(st.integers(1, 2), label="confidential")):
        word = draw(WORD.filter(lambda w: all(w.capitalize() != s[1] for s in secrets)))
        word = word.capitalize()
        suffix = draw(SUFFIX)
        street = f"{draw(st.integers(1, 99999))} {word} {suffix}"
        postal = str(draw(st.integers(93601, 93799).filter(lambda n: str(n) not in PUBLIC_POSTAL)))
        lat = draw(coordinate(36.76, 0.06).filter(lambda v: far(v, FRESNO[0])))
        lon = draw(coordinate(-119.79, 0.06).filter(lambda v: far(v, FRESNO[1])))
        broken = draw(st.sampled_from([None, None, "postal-number", "swapped", "lat-range"]))
        if broken == "swapped":
            lat, lon = lon, lat
        elif broken == "lat-range":
            lat = round(lat + 100, 6)
        secrets.append((street, word, suffix, lat, lon))
        p: dict[str, Any] = {
            "id": f"safe-house-{i}",
            "name": f"Safe House {i}",
            "services": draw(
                st.lists(st.sampled_from(["counseling", "victim-advocacy", "medical"]), unique=True)
            )
            + ["temporary-shelter"],
            "phone": f"+1 559-555-01{i}0",
            "address": {
                "street": street,
                "city": "Fresno",
                "county": "Fresno County",
                "region": "CA",
                "postal_code": postal,
                "country": "US",
            },  # fmt: skip
            "location": {"lat": lat, "lon": lon},
            "confidential": True,
            "last_verified": today,
        }
        if broken == "postal-number":
            p["address"]["postal_code"] = int(postal)
        area = draw(st.sampled_from([None, {"radius_km": 40}, {"regions": ["US-CA"]}]))
        if area is not None:
            p["service_area"] = area
        if draw(st.booleans()):
            p["eligibility"] = {"ages": [12, 17], "genders": ["female"]}
        if draw(st.booleans()):
            p["hotline"] = "+1 559-555-0199"
        providers.append(p)
    for j in range(draw(st.integers(0, 3), label="public")):
        # Far from both of each secret's numbers: a swapped pair puts its lat among lons.
        def apart(v: float) -> bool:
            return all(far(v, s[3]) and far(v, s[4]) for s in secrets)

        lat = draw(coordinate(36.76, 0.06).filter(apart))
        lon = draw(coordinate(-119.79, 0.06).filter(apart))
        providers.append(
            {
                "id": f"public-{j}",
                "name": f"Public Service {j}",
                "services": [
                    draw(st.sampled_from(["temporary-shelter", "legal-aid", "counseling"]))
                ],
                "phone": f"+1 559-555-02{j}0",
                "address": {
                    "street": PUBLIC_STREETS[j],
                    "city": "Fresno",
                    "county": "Fresno County",
                    "region": "CA",
                    "postal_code": PUBLIC_POSTAL[j],
                    "country": "US",
                },  # fmt: skip
                "location": {"lat": lat, "lon": lon},
                "last_verified": today,
            }
        )
    return draw(st.permutations(providers)), secrets


DECIMAL = re.compile(r"-?\d+\.\d{3,}")


def leaks(text: str, secrets: list[tuple[str, str, str, float, float]], postal: list[str]) -> list:  # type: ignore[type-arg]
    found = []
    numbers = [float(n) for n in DECIMAL.findall(text)]
    for street, word, suffix, lat, lon in secrets:
        if street in text or f"{word} {suffix}" in text:
            found.append(street)
        found += [n for n in numbers if abs(n - lat) < 0.001 or abs(n - lon) < 0.001]
    found += [code for code in postal if re.search(rf"(?<!\d){code}(?!\d)", text)]
    return found


def pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def every_output(data: Path, ids: list[str], tmp: Path, valid: bool = True) -> dict[str, str]:
    """What every command prints or writes, in every format, for this directory
    (each command succeeding when it is ``valid``; else validate failing with its
    errors and the serving commands serving what is valid)."""
    env = {"REFERRAL_CACHE_DIR": str(tmp / "cache")}
    d = ["--data", str(data)]
    runs: list[list[str]] = [
        *(["find", "shelter near Fresno", *d, "-f", f] for f in ("table", "json", "csv", "ndjson")),
        ["find", "--near", "Fresno", "--radius", "100", *d, "-f", "json", "-n", "50"],
        ["find", "shelter near Fresno", "--slip", "--no-discreet", *d],
        *(["show", pid, *d, "-f", f] for pid in ids for f in ("text", "json")),
        *(["slip", *ids, *d, "-f", f] for f in ("text", "markdown", "html")),
        ["slip", *ids, *d, "-f", "markdown", "--no-discreet", "--lang", "es"],
        *(["coverage", *d, "-f", f] for f in ("table", "json", "csv", "markdown", "html")),
        ["coverage", *d, "-f", "json", "--by", "city", "--detail", "services"],
        *(["validate", str(data), "-f", f] for f in ("text", "json", "github")),
    ]
    seen: dict[str, str] = {}
    for args in runs:
        result = cli(*args, env=env)
        # With errors, validate fails; a serving command serves what is valid (exit 0)
        # or, when nothing is, refuses (exit 1).
        allowed = (0,) if valid else (1,) if args[0] == "validate" else (0, 1)
        assert result.exit_code in allowed, (args, result.stderr)
        seen[" ".join(args)] = result.stdout + result.stderr
        if args[:2] == ["find", "shelter near Fresno"] and "json" in args:
            seen["found"] = result.stdout
    if not valid:
        return seen
    result = cli("slip", *ids, *d, "-f", "pdf", "--no-discreet", env=env)
    seen["slip pdf"] = pdf_text(result.stdout_bytes)
    ok("find", "shelter near Fresno", "--slip", "-o", str(tmp / "slip.html"), *d, env=env)
    seen["find --slip -o slip.html"] = (tmp / "slip.html").read_text("utf-8")
    ok("export-hsds", *d, "--output", str(tmp / "hsds"), env=env)
    for path in (tmp / "hsds").iterdir():
        seen[f"export-hsds {path.name}"] = path.read_text("utf-8")
    ok("publish", str(tmp / "api"), *d, env=env)
    for path in (tmp / "api").rglob("*.*"):
        seen[f"publish {path.relative_to(tmp / 'api')}"] = path.read_text("utf-8")
    return seen


@settings(
    max_examples=PROPERTY_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize="REFERRAL_PROPERTY_EXAMPLES" not in os.environ,
    print_blob=True,
)
@given(network())
def test_no_output_reveals_a_confidential_address(case) -> None:  # type: ignore[no-untyped-def]
    providers, secrets = case
    postal = [str(p["address"]["postal_code"]) for p in providers if p.get("confidential")]
    valid = all(abs(s[3]) <= 90 for s in secrets) and all(
        isinstance(p["address"]["postal_code"], str) for p in providers
    )
    with tempfile.TemporaryDirectory(prefix="referral-secret-") as name:
        tmp = Path(name)
        data = tmp / "dir.yaml"
        data.write_text(yaml.safe_dump({"providers": providers}, allow_unicode=True), "utf-8")
        outputs = every_output(data, [p["id"] for p in providers], tmp, valid)
        # The index holds the rows, addresses included: only the user may read it.
        for path in (tmp / "cache").rglob("*"):
            mode = path.stat().st_mode & 0o777
            assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    for where, text in outputs.items():
        assert not leaks(text, secrets, postal), (where, leaks(text, secrets, postal))
    if not valid:
        assert any("must be" in text for text in outputs.values())
        return
    found = json.loads(outputs.pop("found"))
    assert {r["id"] for r in found["results"]} >= {
        p["id"] for p in providers if p.get("confidential") and "eligibility" not in p
    }  # the confidential shelters are really there, found "near Fresno"
    for where, text in outputs.items():
        assert not leaks(text, secrets, postal), (where, leaks(text, secrets, postal))
    # The public providers' addresses are printed: the check would see a leak.
    public = [p for p in providers if not p.get("confidential")]
    if public:
        street = public[0]["address"]["street"]
        assert any(street in text for text in outputs.values())


def cell_point(centre: float):  # type: ignore[no-untyped-def]
    """A point within 0.0049 degrees of ``centre`` (so it rounds to it at 2 decimals)."""
    return st.integers(-4900, 4900).map(lambda k: round(centre + k / 1_000_000, 6))


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(
    cell=st.tuples(st.integers(3670, 3680), st.integers(-11984, -11974)),
    data=st.data(),
    origin=st.tuples(coordinate(36.75, 0.5), coordinate(-119.8, 0.5)),
)
def test_distances_cannot_locate_a_confidential_provider(cell, data, origin) -> None:  # type: ignore[no-untyped-def]
    """Two confidential shelters anywhere in the same ~1 km cell are the same distance
    from every origin, in whole km: repeated searches cannot pin down either address."""
    lat, lon = cell[0] / 100, cell[1] / 100
    providers = [
        {
            "id": f"shelter-{i}",
            "name": f"Shelter {i}",
            "services": ["temporary-shelter"],
            "phone": "+1 559-555-0100",
            "address": {"city": "Fresno", "region": "CA", "country": "US"},
            "location": {"lat": data.draw(cell_point(lat)), "lon": data.draw(cell_point(lon))},
            "confidential": True,
        }
        for i in range(2)
    ]
    with tempfile.TemporaryDirectory(prefix="referral-distance-") as name:
        path = Path(name) / "dir.yaml"
        path.write_text(yaml.safe_dump({"providers": providers}), "utf-8")
        env = {"REFERRAL_CACHE_DIR": str(Path(name) / "cache")}
        near = f"{origin[0]},{origin[1]}"
        result = ok("find", "--near", near, "--radius", "200", "--data", str(path), "-f", "json",
                    env=env)  # fmt: skip
    distances = [r["distance_km"] for r in json.loads(result.stdout)["results"]]
    assert len(distances) == 2
    assert distances[0] == distances[1] and distances[0] == int(distances[0]) >= 1
