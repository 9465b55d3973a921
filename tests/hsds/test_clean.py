"""referral_cli.hsds.clean: mis-decoded text, cleaned cells, slugs, placeholder records."""

from __future__ import annotations

import pytest

from referral_cli.hsds.clean import Cleaner, placeholder_reason, slug
from referral_cli.hsds.mapping import load_map


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("CafÃ© niÃ±os", "Café niños"),  # UTF-8 read as Windows-1252
        ("the OfficeGÇÖs hours", "the Office’s hours"),  # 211 Miami's lossy variant
        ("GÇ£MentorsGÇ¥", "“Mentors”"),
        ("Caf+¬ and C+íncer", "Café and Cáncer"),
        ("Café déjà vu", "Café déjà vu"),  # correct text is left alone
    ],
)
def test_mis_decoded_characters(raw: str, fixed: str) -> None:
    assert Cleaner(load_map()).text(raw) == fixed


def test_cleaner_text() -> None:
    c = Cleaner(load_map())
    assert c.text("  Line one\\nLine   two  ", multiline=True) == "Line one\nLine two"
    assert c.text("Help ###MON###") == "Help"
    assert c.text("\x1b[31mred\x1b[0m") == "red"  # terminal codes never get in
    assert c.text("   ") is None


def test_slugs() -> None:
    assert slug("Centro de Niños, Inc.") == "centro-de-ninos-inc"
    assert slug("A & B's") == "a-and-bs"
    assert len(slug("word " * 40)) <= 60


@pytest.mark.parametrize(
    ("names", "texts"),
    [
        (["Passport Photos"], ["[NOTE THIS IS NOT A REAL SERVICE] Lorem ipsum dolor sit amet"]),
        (["Fake Org"], ["An organization created for testing purposes."]),
        (["Example Service Name"], [""]),
        (["Service for Admin Test Location"], ["just a test service"]),
        (["Admin Test Org"], [""]),
        (["ZZ Test Shelter - DO NOT USE"], [""]),
        (["Night Shelter"], ["TEST RECORD. Do not refer."]),
    ],
)
def test_placeholders_are_recognised(names: list[str], texts: list[str]) -> None:
    assert placeholder_reason(names, texts)


@pytest.mark.parametrize(
    ("names", "texts"),
    [
        (["Test Prep Tutoring"], ["SAT test preparation for high school students"]),
        (["HIV Testing"], ["Free and confidential testing"]),
        (["Sample Distribution Center"], ["Food samples for families"]),
        (["Testing Center"], ["Free STD test; record of results mailed. Do not use perfume."]),
    ],
)
def test_real_services_that_mention_tests_are_not_placeholders(
    names: list[str], texts: list[str]
) -> None:
    assert placeholder_reason(names, texts) is None
