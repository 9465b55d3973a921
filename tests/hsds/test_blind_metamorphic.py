"""Metamorphic properties of the blind directories' questions (tests/fixtures/blind-*),
asked through ``referral import-hsds`` and ``referral find``: the same facts said
with a word nobody knows added keep the first three answers; said with the last
clause first, the first answer. Phoenix (a 211 resource export) in the default run,
every directory in the long profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .blind import ask, imported, questions

FIXTURES = Path(__file__).parents[1] / "fixtures"
SOURCES = {
    "phoenix": "resources.csv",
    "atlanta": "services.json",
    "houston": "package",
    "dc": "package",
    "baltimore": "package",
    "denver": "package",
}
# The reordering splits a sentence at its last comma: where that falls inside a
# bracket ("(girl 6, boy 9)") the pieces are no longer what was said.
SPLIT_INSIDE_A_BRACKET = "("


def _firsts(answers: list[tuple[dict[str, Any], dict[str, Any]]], n: int) -> list[list[str]]:
    return [[r["id"] for r in (answer.get("results") or [])[:n]] for _, answer in answers]


def _last_clause_first(text: str) -> str | None:
    head, sep, tail = text.rpartition(",")
    if not sep or SPLIT_INSIDE_A_BRACKET in tail or head.count("(") != head.count(")"):
        return None
    return f"{tail.strip()}, {head.strip()}"


@pytest.mark.parametrize(
    "folder",
    [pytest.param(name, marks=[] if name == "phoenix" else [pytest.mark.long]) for name in SOURCES],
)
def test_an_unknown_word_or_a_clause_moved_changes_no_answer(folder: str, tmp_path: Path) -> None:
    blind = FIXTURES / f"blind-{folder}"
    directory = imported(blind / SOURCES[folder], tmp_path / "directory.yaml")
    asked = questions(blind)
    plain = ask(directory, asked)
    with_word = ask(directory, [{**q, "q": q["q"] + " zorblat"} for q in asked])
    assert _firsts(with_word, 3) == _firsts(plain, 3)
    moved = [(q, _last_clause_first(q["q"])) for q in asked]
    kept = [(q, text) for q, text in moved if text is not None]
    reordered = ask(directory, [{**q, "q": text} for q, text in kept])
    again = ask(directory, [q for q, _ in kept])
    assert _firsts(reordered, 1) == _firsts(again, 1)
