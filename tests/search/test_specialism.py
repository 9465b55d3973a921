"""Which provider comes first among those that fit: a specialist in the person's
age, gender or named group before a general one, and a provider focused on a
group the person is not said to be in after both (search/rules.py _specialism)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from referral_cli.query.parser import parse
from referral_cli.records.model import Eligibility
from referral_cli.search.rules import fit
from referral_cli.taxonomy import load

TAX = load()
EVERYONE = Eligibility()
WOMEN = Eligibility(18, None, ("female",))
MEN = Eligibility(18, None, ("male",))
FAMILIES = Eligibility(18, None, populations=("families",))
LGBTQ_YOUTH = Eligibility(13, 24, populations=("lgbtq",))
BOYS = Eligibility(12, 17, ("male",))
YOUTH = Eligibility(16, 24)


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
