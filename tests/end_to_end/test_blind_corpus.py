"""The blind corpus (tests/corpus/blind/callers*.yaml, one file a round): phrasings and
expectations written by someone who never read the parser. Every case runs (about
fifteen seconds); each round's pass rate must stay above its floor, and no case may
list a provider its author marked ``never`` beyond the few known and said below."""

from __future__ import annotations

import pytest
from blind_corpus import ROUNDS, Outcome, cases, run, score

# Measured on the branch r30 (docs/understanding.md): 417 of 445 cases pass (tuning
# half 219/223, report half 198/222). The floor leaves a little room for a change of
# ranking that is argued for in its commit; a fall below it is a regression.
# Round 2 (callers2.yaml, 200 cases by a second blind author): 121 of 200 passed on
# the code it was written against (tune 60, report 61), 132 after the tuning half's
# families were fixed (tune 69, report 63), 135 with local names (71, 64; docs/understanding.md).
# Round 3 (callers3.yaml, 120 cases by a third blind author, 2026-12-07): 71 of 120
# passed on the code it was written against (tune 34, report 37); 81 once control was
# read by the shape of its clause and a relative clause's actor kept apart (43, 38);
# 88 at the end of that evening (48, 40), when round 1 passed 427 and round 2 153.
# Round 4 (callers4.yaml, 120 cases by a fourth blind author, 2026-12-08, half of them
# on a new Washington directory, region_pnw.yaml): 69 of 120 passed on the code it was
# written against (tune 38, report 31; first answers right 52 and 51), none listing a
# provider marked ``never``.
FLOORS = {"1": 420, "2": 148, "3": 84, "4": 69}
# Cases whose results still hold a provider marked ``never``, each because a fact was
# misread (docs/understanding.md lists why). A case fixed leaves this list; a new one
# fails the test.
# Round 3: one report-half case (e056), whose misses are not read.
KNOWN_VIOLATIONS: frozenset[str] = frozenset({"e056"})


@pytest.fixture(scope="module")
def rounds() -> dict[str, list[Outcome]]:
    return {r: [run(c) for c in cases(r)] for r in ROUNDS}


@pytest.fixture(scope="module")
def outcomes(rounds: dict[str, list[Outcome]]) -> list[Outcome]:
    return [o for r in rounds.values() for o in r]


@pytest.mark.parametrize("round", sorted(ROUNDS))
def test_the_pass_rate_stays_above_the_floor(rounds: dict[str, list[Outcome]], round: str) -> None:
    figures = score(rounds[round])
    assert figures["passed"] >= FLOORS[round], figures


def test_no_new_eligibility_violation(outcomes: list[Outcome]) -> None:
    violating = {o.case["id"]: o.violations for o in outcomes if o.violations}
    new = {k: v for k, v in violating.items() if k not in KNOWN_VIOLATIONS}
    assert not new, f"providers the corpus marks 'never' were listed: {new}"
    fixed = KNOWN_VIOLATIONS - set(violating)
    assert not fixed, f"fixed: take {sorted(fixed)} out of KNOWN_VIOLATIONS"
