"""Which provider comes first among those that fit: a specialist in the person's
age, gender or named group before a general one, and a provider focused on a
group the person is not said to be in after both (search/rules.py _specialism);
an age limit when nothing of the person's age is said ranks with the eligibilities
not stated (``known_to_fit``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from referral_cli.query.parser import parse
from referral_cli.records.model import Eligibility
from referral_cli.search.rules import fit
from referral_cli.taxonomy import load
from tests.conftest import invoke, write

TAX = load()
EVERYONE = Eligibility()
WOMEN = Eligibility(18, None, ("female",))
MEN = Eligibility(18, None, ("male",))
FAMILIES = Eligibility(18, None, populations=("families",))
LGBTQ_YOUTH = Eligibility(13, 24, populations=("lgbtq",))
BOYS = Eligibility(12, 17, ("male",))
YOUTH = Eligibility(16, 24)
WOMEN_AND_CHILDREN = Eligibility(18, None, ("female",), populations=("families",))


def _order(text: str, *eligibilities: Eligibility) -> list[int]:
    """The eligibilities' positions, most specialised first (ties keep their order)."""
    q = parse(text, TAX, ("US", "CA"))
    focus = [fit(e, q, TAX) for e in eligibilities]
    assert all(reason is not None for reason, _ in focus), (text, focus)
    return sorted(range(len(eligibilities)), key=lambda i: -focus[i][1])


@pytest.mark.parametrize(
    ("text", "first", "then"),
    [
        ("woman 30 needs shelter", WOMEN, FAMILIES),
        # a women's shelter that takes their children too is a women's shelter still
        ("woman 55 needs emergency shelter", WOMEN_AND_CHILDREN, EVERYONE),
        ("mujer de 30 años, necesita refugio", WOMEN, FAMILIES),
        ("19 yo man, shelter tonight", MEN, FAMILIES),
        ("hombre de 45, necesita un lugar para dormir", MEN, FAMILIES),
        ("19yo man needs counseling", EVERYONE, LGBTQ_YOUTH),
        ("she's 16, someone to talk to", YOUTH, LGBTQ_YOUTH),
        ("gay kid 15, kicked out, needs a place to stay", LGBTQ_YOUTH, BOYS),
        ("chico gay de 16, necesita refugio", LGBTQ_YOUTH, BOYS),
        ("mom 26 with a baby, shelter", FAMILIES, WOMEN),
        ("madre de 30 con dos niños, refugio", FAMILIES, WOMEN),
    ],
)
def test_the_specialist_for_the_person_comes_first(
    text: str, first: Eligibility, then: Eligibility
) -> None:
    assert _order(text, then, first)[0] == 1


def test_nobody_said_keeps_every_focus() -> None:
    """With no person said, a family shelter is not ranked down: it may be for them."""
    q = parse("shelter Fresno CA", TAX, ("US",))
    assert fit(FAMILIES, q, TAX)[1] >= fit(EVERYONE, q, TAX)[1]


@settings(max_examples=40, deadline=None)
@given(
    st.integers(18, 80),
    st.sampled_from(["woman", "man", "mujer", "hombre"]),
    st.sampled_from(["shelter", "counseling", "a lawyer", "refugio"]),
)
def test_a_focus_on_a_group_not_said_never_outranks_a_general_provider(
    age: int, who: str, need: str
) -> None:
    """For an adult said by age and gender alone, a provider for families or LGBTQ
    people ranks after one that serves everyone, and it is still listed (fits)."""
    q = parse(f"{who} {age}, {need}", TAX, ("US",))
    for e in (FAMILIES, LGBTQ_YOUTH if age <= 24 else Eligibility(populations=("lgbtq",))):
        reason, focus = fit(e, q, TAX)
        assert reason is not None
        assert focus <= fit(EVERYONE, q, TAX)[1]


AGES_UNSAID = """\
providers:
  - id: children-only
    name: Children Only Legal Clinic
    services: [legal-aid]
    eligibility: {ages: [null, 17]}
    phone: "+1 559-555-0121"
    address: {street: 1 Court St, city: Fresno, region: CA, country: US}
    location: {lat: 36.7378, lon: -119.7871}
  - id: unstated-but-closer-to-the-need
    name: Record Relief Clinic
    services: [legal-aid]
    description: Clears the records of people who were trafficked.
    eligibility: {stated: false}
    phone: "+1 559-555-0122"
    address: {street: 2 Court St, city: Fresno, region: CA, country: US}
    location: {lat: 36.7400, lon: -119.7800}
"""


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # nothing of her age is said: the children's clinic is no more known to fit her
        # than the clinic whose eligibility is not stated, and the words decide
        (
            "she needs a lawyer to clear her record, she was trafficked",
            "unstated-but-closer-to-the-need",
        ),
        # her age is said: the clinic that states it serves her comes first
        ("she's 15, needs a lawyer to clear her record, she was trafficked", "children-only"),
    ],
)
def test_an_age_limit_with_no_age_said_ranks_with_the_unstated(
    runner: CliRunner, tmp_path: Path, text: str, first: str
) -> None:
    directory = write(tmp_path / "dir.yaml", AGES_UNSAID)
    out = json.loads(invoke(runner, "find", text, "-d", str(directory), "--format", "json").stdout)
    assert out["results"][0]["id"] == first, [r["id"] for r in out["results"]]


@pytest.mark.parametrize(
    "text",
    [
        "somewhere a 20-year-old guy can sleep tonight",
        "15 year old sleeping at the bus station, where can she go tonight?",
    ],
)
def test_where_to_go_or_sleep_tonight_asks_for_a_shelter(text: str) -> None:
    assert "temporary-shelter" in parse(text, TAX).services
