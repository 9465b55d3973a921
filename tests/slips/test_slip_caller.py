"""Slips for the person holding them: every revealing word list in one place, the
format taken from --output or refused, languages, fonts, page layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import invoke
from typer.testing import CliRunner

from referral_cli.directory import sample_path
from referral_cli.slips import labels

SAMPLE = str(sample_path())
# every test reads the shipped sample: its index is built once for the module
pytestmark = pytest.mark.usefixtures("shared_index")


def sample_slip(runner, *args: str):  # type: ignore[no-untyped-def]
    return invoke(runner, "slip", *args, "--data", SAMPLE)


def test_discreet_slip_names_no_immigration_relief_or_police_work(runner: CliRunner) -> None:
    ids = ("valley-youth-safe-house", "central-valley-immigrant-legal")
    discreet = sample_slip(runner, *ids).stdout
    for word in ("T-visa", "U-visa", "law enforcement", "traffick", "victim"):
        assert word.lower() not in discreet.lower(), word
    assert "Address given when you call" in discreet  # the slip is still made
    agency = sample_slip(runner, *ids, "--no-discreet").stdout
    assert "T-visas" in agency and "law enforcement" in agency


def test_every_revealing_word_comes_from_one_file() -> None:
    words = labels.sensitive_words()
    for word in ("traffick", "t-visa", "law enforcement", "víctima", "buôn người", "受害者"):
        assert word in words
    assert all("sensitive_words" not in block for block in labels._all_labels().values())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "slip.docx"], "cannot write a slip as '.docx'"),
        (["-o", "slip.html", "--format", "pdf"], "--format pdf does not match --output slip.html"),
        (["-o", "slip"], "give --output a suffix"),
    ],
)
def test_output_format_must_match_the_file_name(runner, chdir_tmp: Path, args, message) -> None:  # type: ignore[no-untyped-def]
    result = sample_slip(runner, "valley-youth-safe-house", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(chdir_tmp.iterdir()) == []  # nothing written


def test_output_format_from_the_suffix(runner: CliRunner, chdir_tmp: Path) -> None:
    for name, start in (("s.HTML", b"<!DOCTYPE"), ("s.md", b"# ")):
        result = sample_slip(runner, "valley-youth-safe-house", "-o", name)
        assert result.exit_code == 0, result.stderr
        assert (chdir_tmp / name).read_bytes().startswith(start)
    same = sample_slip(runner, "valley-youth-safe-house", "-o", "t.txt", "--format", "text")
    assert same.exit_code == 0 and (chdir_tmp / "t.txt").read_text("utf-8").startswith("Comm")
    plain = sample_slip(runner, "valley-youth-safe-house", "-o", "noext", "--format", "text")
    assert plain.exit_code == 0


TRANSLATED = """\
providers:
  - id: casa
    name: Casa Segura
    services: [temporary-shelter]
    description: A quiet house with a garden.
    eligibility: {ages: [18, null], notes: Call before you come}
    intake: Call the front desk.
    cost: free
    phone: "+1 559-555-0101"
    address: {city: Fresno, region: CA, country: US}
    translations:
      es:
        description: Una casa tranquila con jardín.
        cost: gratis
        eligibility_notes: Llame antes de venir
      vi:
        intake: Gọi quầy tiếp tân.
"""


def translated_slip(runner: CliRunner, tmp_path: Path, lang: str) -> str:
    data = tmp_path / "d.yaml"
    data.write_text(TRANSLATED, "utf-8")
    result = invoke(runner, "slip", "casa", "--lang", lang, "--data", str(data))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_translated_fields_and_the_english_fallback_marked(
    runner: CliRunner, tmp_path: Path
) -> None:
    spanish = translated_slip(runner, tmp_path, "es")
    assert "Acerca de: Una casa tranquila con jardín." in spanish
    assert "Costo: gratis" in spanish
    assert "Llame antes de venir" in spanish and "Call before you come" not in spanish
    assert "Cómo empezar: Call the front desk. (en inglés)" in spanish
    vietnamese = translated_slip(runner, tmp_path, "vi")
    assert "Cách bắt đầu: Gọi quầy tiếp tân." in vietnamese
    assert "Chi phí: free (bằng tiếng Anh)" in vietnamese
    english = translated_slip(runner, tmp_path, "en")
    assert "Cost: free\n" in english and "(in English)" not in english


def test_translations_are_validated(runner: CliRunner, tmp_path: Path) -> None:
    bad = TRANSLATED.replace("      vi:\n        intake:", "      xx:\n        intak:")
    path = tmp_path / "bad.yaml"
    path.write_text(bad, "utf-8")
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 1
    assert "unknown language code 'xx' under 'translations'" in result.stdout
    good = tmp_path / "good.yaml"
    good.write_text(TRANSLATED, "utf-8")
    shown = invoke(runner, "show", "casa", "--data", str(good), "-f", "json")
    assert json.loads(shown.stdout)["translations"]["es"]["cost"] == "gratis"


@pytest.mark.parametrize("lang", ["vi", "hmn", "pa", "zh", "tl"])
def test_slip_in_each_new_language_plain_and_discreet(runner: CliRunner, lang: str) -> None:
    lab = labels.labels(lang)
    result = sample_slip(runner, "valley-youth-safe-house", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(lab["title"])
    assert lab["address_hidden"] in result.stdout  # the confidential address, in the language
    assert "draft not yet reviewed by a native speaker" in result.stderr
    for word in labels.sensitive_words():
        assert word not in result.stdout.lower(), (lang, word)
    agency = sample_slip(runner, "valley-youth-safe-house", "--lang", lang, "--no-discreet")
    assert agency.stdout.startswith(lab["title_agency"])


def test_a_pdf_slip_in_a_script_without_a_shipped_font_is_refused(
    runner: CliRunner, chdir_tmp: Path
) -> None:
    result = sample_slip(runner, "valley-youth-safe-house", "--lang", "zh", "-o", "s.pdf")
    assert result.exit_code == 2 and "-o slip.html" in result.stderr
    assert not (chdir_tmp / "s.pdf").exists()


def embedded_fonts(page: str) -> dict[str, set[int]]:
    """Family -> the characters of the fonts an HTML page embeds."""
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    out: dict[str, set[int]] = {}
    for family, data in re.findall(
        r'font-family: "([^"]+)"; font-weight: \d+; font-style: normal;'
        r" src: url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)",
        page,
    ):
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        out.setdefault(family, set()).update(font.getBestCmap())
    return out


def visible_text(page: str) -> str:
    import re
    from html import unescape

    body = page.split("<body>", 1)[1]
    return unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("lang", ["pa", "en"])
def test_html_slip_embeds_the_glyphs_of_every_script_it_shows(
    runner, chdir_tmp: Path, lang
) -> None:  # type: ignore[no-untyped-def]
    ids = ("valley-youth-safe-house", "central-valley-immigrant-legal", "fresno-trauma-counseling")
    result = sample_slip(runner, *ids, "--lang", lang, "-o", "s.html")
    assert result.exit_code == 0, result.stderr
    page = (chdir_tmp / "s.html").read_text("utf-8")
    fonts = embedded_fonts(page)
    covered = set().union(*fonts.values())
    text = visible_text(page)
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in covered}
    assert missing == set(), (lang, sorted(missing))
    if lang == "pa":
        assert "Slip Noto Sans Gurmukhi" in fonts  # Punjabi labels
    assert "font-src data:" in page  # allowed by the page's own policy, nothing else
    assert "http" not in page.split("<body>")[0].replace("http-equiv", "")
    assert len(page) < 400_000  # subsets, not whole fonts


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(path)).pages]


@pytest.mark.parametrize(("page", "lang"), [("letter", "vi"), ("a4", "en")])
def test_three_providers_fit_one_page(
    runner: CliRunner, chdir_tmp: Path, page: str, lang: str
) -> None:
    ids = (
        "valley-youth-safe-house",
        "central-valley-immigrant-legal",
        "san-jose-vietnamese-counseling",
    )
    result = sample_slip(runner, *ids, "--lang", lang, "--page", page, "-o", "s.pdf")
    assert result.exit_code == 0, result.stderr
    pages = pdf_pages(chdir_tmp / "s.pdf")
    assert len(pages) == 1, (lang, page, len(pages))
    assert "Lotus Counseling San Jose" in pages[0]


def test_a_provider_never_splits_across_pages(runner: CliRunner, chdir_tmp: Path) -> None:
    ids = (
        "valley-youth-safe-house",
        "central-valley-immigrant-legal",
        "san-jose-vietnamese-counseling",
        "fresno-mens-emergency-shelter",
        "harbor-house-women",
        "fresno-trauma-counseling",
        "tulare-crisis-line",
    )
    result = sample_slip(runner, *ids, "-o", "s.pdf")
    assert result.exit_code == 0, result.stderr
    pages = pdf_pages(chdir_tmp / "s.pdf")
    assert len(pages) > 1
    for number in range(1, len(ids) + 1):
        # a provider's number heads its block; its last line is "Last checked"
        holding = [i for i, text in enumerate(pages) if f"\n{number}. " in f"\n{text}"]
        assert len(holding) == 1, (number, holding)
        text = pages[holding[0]]
        after = text.split(f"{number}. ", 1)[1]
        block = after.split(f"\n{number + 1}. ", 1)[0]
        assert "Last checked" in block, (number, block[-200:])
