"""The blind corpus (tests/corpus/blind/): what ``find`` answers to each case, scored.

A case passes when the facts read are the ones a supervisor expects and the first
result is one of ``first_any_of``; a result among ``never`` is an eligibility
violation, counted apart. Each round is one file, written blind by a new author
(``callers.yaml`` for issue 30, ``callers2.yaml`` and ``callers3.yaml`` later); within a round, cases
with an even index are the tuning half (the only ones looked at while changing
the parser), odd ones the report half.

Run ``python tests/blind_corpus.py [ROUND] [-v tune|report]`` to print the
figures of the code on ``PYTHONPATH`` (so the same file measures an older
checkout too).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import yaml_of

HERE = Path(__file__).parent / "corpus" / "blind"
DIRECTORIES = {
    "sample": Path(__file__).parent.parent / "referral_cli" / "data" / "resources.yaml",
    "region": HERE / "region_directory.yaml",
    "region_pnw": HERE / "region_pnw.yaml",
}
FACTS = ("needs", "not_needs", "age", "gender", "trafficking", "languages", "place")
FACTS += ("children_ages",)
RADIUS_KM = 50.0  # find's with no settings file


@dataclass
class Outcome:
    case: dict[str, Any]
    wrong_facts: list[str] = field(default_factory=list)
    first: str | None = None
    violations: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def first_right(self) -> bool:
        wanted = self.case["expect"].get("first_any_of") or []
        return self.first in wanted if wanted else self.first is None

    @property
    def passed(self) -> bool:
        return not self.wrong_facts and self.first_right and not self.violations


ROUNDS = {"1": "callers.yaml", "2": "callers2.yaml", "3": "callers3.yaml", "4": "callers4.yaml"}


def cases(round: str = "1") -> list[dict[str, Any]]:
    data = yaml_of((HERE / ROUNDS[round]).read_text(encoding="utf-8"))
    return list(data["cases"])


def half(name: str, round: str = "1") -> list[dict[str, Any]]:
    """The tuning half (even case index) or the report half (odd) of a round."""
    parity = 0 if name == "tune" else 1
    return [c for i, c in enumerate(cases(round)) if i % 2 == parity]


def _same_place(expected: str | None, label: str | None) -> bool:
    if expected is None or label is None:
        return expected is None and label is None
    want = [p.strip().lower() for p in expected.split(",")]
    got = [p.strip().lower() for p in label.split(",")]
    if want[0] != got[0]:
        return False
    # "Fresno, CA" against "Fresno, CA, US" or "Bakersfield, CA 93301, US": the state;
    # "Tijuana, Mexico" against "Tijuana, BCN, MX": the town only
    # "Tijuana, MX" against "Tijuana, BCN, MX": two letters may name the country too
    state = want[1] if len(want) > 1 and len(want[1]) == 2 else None
    return state is None or (len(got) > 1 and state in (got[1].split()[0], got[-1]))


def _got(result: Any) -> dict[str, Any]:
    q = result.query
    negated = getattr(q, "negated", [])
    return {
        "needs": sorted(q.services),
        "not_needs": sorted(k.partition(":")[2] for k in negated if k.startswith("service:")),
        "age": q.age,
        "gender": q.gender,
        "trafficking": sorted(q.trafficking),
        "languages": sorted(q.languages),
        "children_ages": sorted(getattr(q, "household", [])),
    }


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):
        yield


@functools.cache
def _opened(name: str) -> Any:
    """Each directory opened once for every case, as a call keeps it for every line."""
    from referral_cli.directory import open_directory

    return open_directory(str(DIRECTORIES[name]), None)


def run(case: dict[str, Any]) -> Outcome:
    """What ``referral find TEXT --data DIRECTORY`` answers, scored."""
    from referral_cli import languages
    from referral_cli.errors import ReferralError
    from referral_cli.query.parser import parse
    from referral_cli.search.answer import answer
    from referral_cli.taxonomy import load

    out = Outcome(case)
    tax = load()
    directory = _opened(case["directory"])
    q = parse(case["text"], tax, directory.countries)
    q.text = case["text"]
    try:
        with _quiet():
            result = answer(
                directory, q, home=None, radius=RADIUS_KM, limit=10,
                open_now=False, online=False, stated_only=False,
            )  # fmt: skip
    except ReferralError as e:
        out.error = str(e)
        out.wrong_facts = ["place"] if case["facts"].get("place") else []
        return out
    got = _got(result)
    for key in FACTS:
        if key not in case["facts"]:
            continue
        want = case["facts"][key]
        if key == "place":
            if not _same_place(want, result.origin.label if result.origin else None):
                out.wrong_facts.append(key)
        elif key == "languages":
            if sorted(languages.lookup(w) or w for w in want) != got[key]:
                out.wrong_facts.append(key)
        elif (sorted(want) if isinstance(want, list) else want) != got[key]:
            out.wrong_facts.append(key)
    ids = [r.provider.id for r in result.results]
    out.first = ids[0] if ids else None
    never = set(case["expect"].get("never") or [])
    out.violations = [i for i in ids if i in never]
    return out


def score(outcomes: list[Outcome]) -> dict[str, int]:
    return {
        "cases": len(outcomes),
        "passed": sum(o.passed for o in outcomes),
        "facts_right": sum(not o.wrong_facts for o in outcomes),
        "first_right": sum(o.first_right for o in outcomes),
        "never_violations": sum(len(o.violations) for o in outcomes),
        "cases_with_violation": sum(bool(o.violations) for o in outcomes),
        "errors": sum(o.error is not None for o in outcomes),
    }


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    round = next((a for a in argv if a in ROUNDS), "1")
    for name in ("tune", "report"):
        outcomes = [run(c) for c in half(name, round)]
        print(name, score(outcomes))
        if verbose and name in argv:
            for o in outcomes:
                if not o.passed:
                    print(
                        " ", o.case["id"], repr(o.case["text"]), "facts:", o.wrong_facts,
                        "first:", o.first, "want:", o.case["expect"].get("first_any_of"),
                        "never:", o.violations, o.error or "",
                    )  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
