"""referral_cli.hsds.fields: phones, web and e-mail addresses."""

from __future__ import annotations

import pytest

from referral_cli.hsds.fields import normalise_email, normalise_phone, normalise_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("305-253-4841", "+1 305-253-4841"),
        ("(650) 403-4300", "+1 650-403-4300"),
        ("1-800-373-7888", "+1 800-373-7888"),
        ("305-555-0100 x123", "+1 305-555-0100 x123"),
        ("211", "211"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("'+1 305-555-0100", "+1 305-555-0100"),
        ("703-555-ABCD", None),
        ("12", None),
    ],
)
def test_phone_normalisation(raw: str, expected: str | None) -> None:
    assert normalise_phone(raw, "", "US")[0] == expected


def test_phone_extension_that_is_not_a_number_is_dropped_with_a_note() -> None:
    number, note = normalise_phone("305-891-8850 xOPT2", "", "US")
    assert number == "+1 305-891-8850" and "OPT2" in note


def test_urls_and_emails() -> None:
    assert normalise_url("www.camillus.org") == "https://www.camillus.org"
    assert normalise_url("https:/www.example.org/a") == "https://www.example.org/a"
    assert normalise_url("not a url") is None
    assert normalise_email("mailto:Help@Example.org") == "Help@Example.org"
    assert normalise_email("help at example") is None
