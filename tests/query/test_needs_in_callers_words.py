"""Needs said in a caller's words rather than the taxonomy's: the money a person is
short of, the housing a young person leaving foster care needs, through the parser
and the real command."""

from __future__ import annotations

from pathlib import Path

import pytest

from referral_cli.query.parser import parse
from referral_cli.taxonomy import load
from tests.conftest import directory_yaml, found_ids, provider_yaml, write

TAX = load()


@pytest.mark.parametrize(
    "text",
    [
        "my client is 70 and needs help paying her electric bill",
        "she is behind on rent, two kids, Fresno",
        "necesita ayuda para pagar la luz",
        "a young mom needs diapers and baby formula",
    ],
)
def test_bills_and_basic_needs_are_material_help(text: str) -> None:
    """The money a person is short of is material help, never the words of a name
    that happens to hold them (a clinic named after a "Bill")."""
    assert parse(text, TAX, ("US", "CA")).services == ["vulnerability-support"]


def test_a_bill_to_pay_finds_material_help_not_a_name(tmp_path: Path) -> None:
    directory = write(
        tmp_path / "d.yaml",
        directory_yaml(
            provider_yaml("bill-clinic", 'William "Bill" Clinic', "medical"),
            provider_yaml("energy-help", "Energy Help Desk", "vulnerability-support"),
        ),
    )
    assert found_ids(directory, "she needs help paying her electric bill near Fresno") == [
        "energy-help"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "17 year old boy aging out of foster care needs transitional living, PG County",
        "she aged out of foster care and needs housing",
        "TLP for a 19 year old",
    ],
)
def test_leaving_foster_care_asks_for_transitional_living_not_foster_care(text: str) -> None:
    """Aging out of foster care is where the person comes from; foster care is not
    what they ask for."""
    q = parse(text, TAX, ("US", "MD"))
    assert q.services == ["long-term-housing"]
    assert "transitional" not in q.terms and "living" not in q.terms


@pytest.mark.parametrize(
    "text", ["LGBTQ youth drop in, 17", "youth drop-in, 17", "a drop in center"]
)
def test_a_drop_in_written_any_way_is_outreach(text: str) -> None:
    assert parse(text, TAX, ("US", "DC")).services == ["outreach"]
