"""Referral slips: golden text and Markdown, escaped HTML, PDF text, discretion, privacy."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import HtmlCollector, invoke, write
from typer.testing import CliRunner

from referral_cli.directory import load
from referral_cli.slips import formats, labels, wording
from referral_cli.slips.content import build
from referral_cli.slips.formats import FORMATS
from referral_cli.slips.options import SlipOptions
from referral_cli.slips.render_pdf import pdf_printable

GOLDEN = Path(__file__).parents[1] / "golden"

DIRECTORY = """\
providers:
  - id: girls-shelter
    name: Girls Safe House
    description: Shelter for girls who survived trafficking.
    services: [temporary-shelter, counseling, victim-advocacy]
    eligibility: {ages: [12, 17], genders: [female], trafficking: [sex]}
    languages: [en, es, vi, ne]
    phone: "+1 559-555-0101"
    hotline: "+1 559-555-0199"
    hours: "24/7"
    intake: "Call the 24/7 line. Gọi cho chúng tôi. हामीलाई फोन गर्नुहोस्. Hu rau peb."
    cost: free
    address: {street: 12 Secret Lane, city: Fresno, county: Fresno County, region: CA, postal_code: "93701", country: US}
    location: {lat: 36.7468, lon: -119.7726}
    confidential: true
    last_verified: 2026-10-01
  - id: legal-aid
    name: "<script>alert(1)</script> & [bold]Legal[/bold] Aid \\e[31m"
    description: "Lawyers for T-visas & work permits <b>free</b>."
    services: [legal-aid]
    languages: [en, es]
    phone: "+1 559-555-0102"
    website: "https://legal.example.org/?a=1&b=<2>"
    hours: {mon-fri: "09:00-17:00"}
    address: {street: 5 Open St, city: Fresno, county: Fresno County, region: CA, postal_code: "93721", country: US}
    location: {lat: 36.7378, lon: -119.7871}
    service_area: {regions: [US-CA], remote: true}
    last_verified: 2026-09-15
  - id: adult-shelter
    name: Adult Emergency Shelter
    services: [temporary-shelter]
    eligibility: {ages: [18, null]}
    phone: "+1 559-555-0103"
    address: {street: 9 Elm St, city: Fresno, county: Fresno County, region: CA, country: US}
    location: {lat: 36.75, lon: -119.80}
    last_verified: 2026-10-01
"""

SECRETS = ("Secret Lane", "93701", "36.7468", "119.7726")
SENSITIVE = re.compile(r"traffick|victim|rescue|exploitation", re.IGNORECASE)
FIXED = {
    "today": dt.date(2026, 11, 20),
    "referral_number": "R-TEST-0001",
    "hotline_name": "Valley Hotline",
    "hotline_phone": "+1 559-555-0000",
}


@pytest.fixture
def data(tmp_path: Path) -> str:
    return str(write(tmp_path / "dir.yaml", DIRECTORY))


@pytest.fixture
def providers(data: str):  # type: ignore[no-untyped-def]
    directory = load(Path(data))
    return [directory.get("girls-shelter"), directory.get("legal-aid")]


def render(providers, fmt: str, **options) -> bytes:  # type: ignore[no-untyped-def]
    body, _warnings = formats.render(providers, fmt, SlipOptions(**{**FIXED, **options}))
    return body


def pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def edited_provider(tmp_path: Path, old: str, new: str, provider_id: str) -> Any:
    """One provider of the test directory with ``old`` replaced by ``new``."""
    return load(write(tmp_path / "d.yaml", DIRECTORY.replace(old, new))).get(provider_id)


def pdf_fonts(body: bytes) -> set[str]:
    """The fonts a PDF draws with, without the subset prefix ("NotoSansLao")."""
    from pypdf import PdfReader

    return {
        str(font["/BaseFont"]).split("+")[-1]
        for page in PdfReader(io.BytesIO(body)).pages
        for font in page["/Resources"]["/Font"].values()
    }


# ------------------------------------------------------------------- golden files


@pytest.mark.parametrize(("fmt", "name"), [("text", "slip.txt"), ("markdown", "slip.md")])
def test_golden(providers, fmt: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Set UPDATE_GOLDEN=1 to rewrite the files after a deliberate change (and read the diff)."""
    body = render(providers, fmt, name="Ana").decode("utf-8")
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(body, "utf-8")
    assert body == path.read_text("utf-8")


def test_text_fits_80_columns_and_reads_in_order(providers) -> None:  # type: ignore[no-untyped-def]
    text = render(providers, "text").decode("utf-8")
    assert max(len(line) for line in text.splitlines()) <= 80
    block = text[text.index("1. Girls Safe House") :]
    # phone first: it is what the person needs most
    assert block.index("Phone: +1 559-555-0101") < block.index("24/7 line") < block.index("Offers")


# ------------------------------------------------------------------ confidentiality


@pytest.mark.parametrize("fmt", FORMATS)
def test_confidential_address_never_printed(providers, fmt: str) -> None:  # type: ignore[no-untyped-def]
    body = render(providers, fmt)
    text = pdf_text(body) if fmt == "pdf" else body.decode("utf-8")
    for secret in SECRETS:
        assert secret not in text, (fmt, secret)
    assert "Address given when you call (Fresno, CA)" in " ".join(text.split())
    assert "+1 559-555-0101" in text  # the confidential provider is still reachable
    assert "5 Open St" in text  # a public address is printed


# ------------------------------------------------------------------------ discretion


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_discreet_by_default(providers, fmt: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    body = render(providers, fmt, lang=lang)
    text = pdf_text(body) if fmt == "pdf" else body.decode("utf-8")
    assert not SENSITIVE.search(text), SENSITIVE.search(text)
    assert not re.search(r"\btrata\b|víctima", text, re.IGNORECASE)
    assert "Girls Safe House" in text


def test_no_discreet_for_agencies(providers) -> None:  # type: ignore[no-untyped-def]
    text = render(providers, "text", discreet=False).decode("utf-8")
    assert text.startswith("Anti-trafficking referral")
    assert "survived trafficking" in text  # the description is kept
    assert "(sex trafficking)" in text


def test_no_label_of_any_language_names_trafficking_outside_agency_keys() -> None:
    # "services" is checked through the words a discreet slip really uses, below
    agency_only = {"title_agency", "intro_agency", "trafficking", "services"}
    words = labels.sensitive_words()

    def values(node):  # type: ignore[no-untyped-def]
        if isinstance(node, dict):
            for value in node.values():
                yield from values(value)
        elif isinstance(node, list):
            for value in node:
                yield from values(value)
        else:
            yield str(node)

    for lang in labels.languages():
        for key, value in labels.labels(lang).items():
            if key in agency_only:
                continue
            for text in values(value):
                assert not any(w in text.lower() for w in words), (lang, key, text)
        lab = labels.labels(lang)
        for key in lab["services"]:
            text = wording.services_words((key,), lab, discreet=True)
            assert not any(w in text.lower() for w in words), (lang, key, text)


def test_every_translation_has_every_label() -> None:
    english = set(labels._all_labels()["en"])
    for lang, block in labels._all_labels().items():
        assert set(block) == english, (lang, english ^ set(block))


def test_sensitive_fields_kept_are_warned(tmp_path: Path) -> None:
    provider = edited_provider(
        tmp_path,
        "name: Adult Emergency Shelter",
        "name: Trafficking Victims Center",
        "adult-shelter",
    )
    _body, warnings = formats.render([provider], "text", SlipOptions(**FIXED))
    assert warnings and "name of 'adult-shelter'" in warnings[0]


# --------------------------------------------------------------------------- escaping


def test_html_escapes_every_field_and_is_self_contained(providers) -> None:  # type: ignore[no-untyped-def]
    page = render(providers, "html").decode("utf-8")
    parser = HtmlCollector()
    parser.feed(page)
    assert "script" not in parser.tags and "b" not in parser.tags
    assert not {"img", "link", "iframe", "object"} & set(parser.tags)
    assert not [a for a in parser.attrs if a[0] == "src"]
    assert "@import" not in page
    # the only url() are the embedded font subsets, as data: URLs
    assert page.count("url(") == page.count("url(data:font/woff;base64,") > 0
    text = "".join(parser.text)
    assert "<script>alert(1)</script> & [bold]Legal[/bold] Aid" in text  # shown literally
    assert "\x1b" not in page
    assert "@media print" in page and "size: letter" in page
    hrefs = [v for k, v in parser.attrs if k == "href"]
    assert "tel:+1-559-555-0101" in hrefs  # RFC 3966
    assert "https://legal.example.org/?a=1&b=<2>" not in page  # not a raw attribute
    assert "size: A4" in render(providers, "html", page="a4").decode()


def test_markdown_escapes_markup(providers) -> None:  # type: ignore[no-untyped-def]
    md = render(providers, "markdown").decode("utf-8")
    assert "\\<script\\>" in md and "\\[bold\\]" in md
    assert "<script>" not in md and "\x1b" not in md


def test_text_strips_terminal_codes(providers) -> None:  # type: ignore[no-untyped-def]
    text = render(providers, "text").decode("utf-8")
    assert "\x1b" not in text and "[31m" not in text
    assert "<script>alert(1)</script> & [bold]Legal[/bold] Aid" in text


# -------------------------------------------------------------------------------- PDF


def test_pdf_text_page_sizes_and_scripts(providers) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    letter = render(providers, "pdf")
    box = PdfReader(io.BytesIO(letter)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    a4 = render(providers, "pdf", page="a4", lang="es")
    box = PdfReader(io.BytesIO(a4)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = pdf_text(letter)
    assert "Gọi cho chúng tôi" in text  # Vietnamese
    assert "Hu rau peb" in text  # Hmong (RPA)
    assert "Tiếng Việt" in text
    assert "Teléfono" in pdf_text(a4)
    assert "NotoSansDevanagari" in pdf_fonts(letter)  # Nepali drawn with its own font


def test_pdf_fonts_cover_the_issue_languages() -> None:
    for sample in (
        "Español ñ á", "Tiếng Việt ạ ố", "हामीलाई नेपाली", "Hmoob Ntawv",
        "ਪੰਜਾਬੀ ਕਾਨੂੰਨੀ", "ភាសាខ្មែរ", "ພາສາລາວ", "ภาษาไทย",
    ):  # fmt: skip
        assert pdf_printable(sample), sample
    assert not pdf_printable("中文")  # CJK is not shipped: say so


def test_pdf_draws_punjabi_khmer_lao_and_thai_with_their_fonts(tmp_path: Path) -> None:
    provider = edited_provider(
        tmp_path, "languages: [en, es]", "languages: [pa, km, lo, th]", "legal-aid"
    )
    body, warnings = formats.render([provider], "pdf", SlipOptions(**FIXED))
    assert warnings == []
    text = pdf_text(body)
    for name in ("ਪੰਜਾਬੀ (Punjabi)", "(Khmer)", "ລາວ (Lao)", "ไทย (Thai)"):
        assert name in text, name
    fonts = {"NotoSansGurmukhi", "NotoSansKhmer", "NotoSansLao", "NotoSansThai"}
    assert fonts <= pdf_fonts(body)


def test_pdf_uses_english_language_name_when_script_missing(tmp_path: Path) -> None:
    provider = edited_provider(tmp_path, "languages: [en, es]", "languages: [zh]", "legal-aid")
    _body, warnings = formats.render([provider], "pdf", SlipOptions(**FIXED))
    slip = build([provider], SlipOptions(**FIXED), pdf_printable)
    row = next(r for r in slip.blocks[0].rows if r.key == "languages")
    assert row.value == "Chinese"
    assert warnings == []


# ------------------------------------------------------------------------------- CLI


def test_cli_slip_text_with_header(
    runner: CliRunner, data: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke(runner, "config", "set", "hotline_name", "Valley Hotline")
    invoke(runner, "config", "set", "hotline_phone", "+1 559-555-0000")
    result = invoke(runner, "slip", "girls-shelter", "legal-aid", "--data", data)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("Community resources\n")
    assert "Referred by: Valley Hotline, +1 559-555-0000" in out
    assert re.search(r"Referral number: R-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\n", out)
    assert "For:" not in out  # no caller data unless given
    assert out.index("Girls Safe House") < out.index("Legal")


def test_cli_referral_number_is_random(runner: CliRunner, data: str) -> None:
    numbers = {
        re.search(
            r"Referral number: (\S+)",
            invoke(runner, "slip", "legal-aid", "--data", data, "--name", "Ana").stdout,
        )[1]  # type: ignore[index]
        for _ in range(5)
    }
    assert len(numbers) == 5


def test_cli_name_is_first_name_only(runner: CliRunner, data: str) -> None:
    result = invoke(runner, "slip", "legal-aid", "--data", data, "--name", "Ana")
    assert "For: Ana\n" in result.stdout
    for bad in ("Ana Maria Lopez", "Ana 2", "", "<b>x</b>"):
        result = invoke(runner, "slip", "legal-aid", "--data", data, "--name", bad)
        assert result.exit_code == 2, bad
        assert "first name only" in result.stderr


def test_cli_unknown_id_did_you_mean(runner: CliRunner, data: str) -> None:
    result = invoke(runner, "slip", "girls-shelter", "legal-aide", "--data", data)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "did you mean 'legal-aid'" in result.stderr


def test_cli_output_file_by_suffix_no_clobber(runner: CliRunner, data: str, tmp_path: Path) -> None:
    target = tmp_path / "slip.html"
    result = invoke(runner, "slip", "girls-shelter", "--data", data, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert "wrote" in result.stderr and result.stdout == ""
    again = invoke(runner, "slip", "girls-shelter", "--data", data, "-o", str(target))
    assert again.exit_code == 1 and "--force" in again.stderr
    forced = invoke(runner, "slip", "legal-aid", "--data", data, "-o", str(target), "--force")
    assert forced.exit_code == 0 and "Legal" in target.read_text("utf-8")


def test_cli_lang_es_and_unknown_lang(runner: CliRunner, data: str) -> None:
    result = invoke(runner, "slip", "legal-aid", "--data", data, "--lang", "es", "-f", "markdown")
    assert result.stdout.startswith("# Recursos comunitarios")
    assert "**Teléfono:**" in result.stdout
    bad = invoke(runner, "slip", "legal-aid", "--data", data, "--lang", "fr")
    assert bad.exit_code == 2 and "en, es" in bad.stderr


def test_find_slip_lists_only_eligible_results(
    runner: CliRunner, data: str, tmp_path: Path
) -> None:
    result = invoke(
        runner, "find", "shelter for a 15 year old girl near Fresno", "--slip", "--data", data
    )
    assert result.exit_code == 0, result.stderr
    assert "Girls Safe House" in result.stdout
    assert "Adult Emergency Shelter" not in result.stdout  # eligibility is hard on slips too
    assert "Secret Lane" not in result.stdout
    target = tmp_path / "s.pdf"
    result = invoke(
        runner,
        "find",
        "shelter for minors near Fresno",
        "--slip",
        "-o",
        str(target),
        "--data",
        data,
    )
    assert result.exit_code == 0, result.stderr
    assert "Girls Safe House" in pdf_text(target.read_bytes())
    assert "girls-shelter" in result.stdout  # the results table still prints
    misuse = invoke(runner, "find", "shelter", "--name", "Ana", "--data", data)
    assert misuse.exit_code == 2


@pytest.mark.skipif(shutil.which("referral") is None, reason="referral not installed")
def test_real_process_writes_pdf(data: str, tmp_path: Path) -> None:
    target = tmp_path / "slip.pdf"
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "referral_cli",
            "slip",
            "girls-shelter",
            "legal-aid",
            "--data",
            data,
            "-o",
            str(target),
            "--page",
            "a4",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = pdf_text(target.read_bytes())
    assert "+1 559-555-0101" in text
    assert not any(secret in text for secret in SECRETS)


def test_a_discreet_slip_of_a_forensic_clinic_says_nothing_of_the_exam(tmp_path: Path) -> None:
    """A clinic's description of sexual assault exams (as 211 records word it) is
    left off a discreet slip in every slip language; the clinic is still named."""
    clinic = edited_provider(
        tmp_path,
        "Shelter for girls who survived trafficking.",
        "Free sexual assault exams (SANE nurses), HIV testing and emergency contraception.",
        "girls-shelter",
    )
    for lang in labels.languages():
        text = render([clinic], "text", lang=lang).decode("utf-8").lower()
        assert "sexual assault" not in text and "contraception" not in text, lang
        assert "girls safe house" in text


def test_discreet_slips_of_real_imported_records_carry_no_revealing_word(tmp_path: Path) -> None:
    """Every provider of the sample and of the imported San Mateo records: the
    discreet slip holds none of discreet_words.yaml's words, in English and Spanish,
    but in what is needed to reach help and kept with a warning (a name such as
    "… Anti-Trafficking Task Force")."""
    from referral_cli.hsds.importer import import_hsds

    data, _ = import_hsds(Path(__file__).parents[1] / "fixtures" / "ohana-smc-sample")
    imported = write(tmp_path / "ohana.yaml", data.decode("utf-8"))
    sample = Path(__file__).parents[2] / "data" / "resources.yaml"
    words = labels.sensitive_words()
    for source in (sample, imported):
        providers = list(load(source).providers)
        assert providers
        for lang in ("en", "es"):
            for p in providers:
                text = render([p], "text", lang=lang).decode("utf-8").lower()
                for kept in (p.name, p.organization, p.intake, p.cost, p.website, p.email):
                    text = text.replace((kept or "").lower(), "")
                assert not [w for w in words if w in text], (source.name, p.id, lang)
