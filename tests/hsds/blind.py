"""What the blind directories' tests share (tests/fixtures/blind-*): each directory is
imported once with ``referral import-hsds`` and each question asked with ``referral
find --format json``; a question passes when nothing its author marked ``never`` is
listed and the first answer is one the author accepts (or, when nothing fits, no
provider claims to fit)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from referral_cli.cli import app
from tests.conftest import invoke, yaml_of

Answer = tuple[dict[str, Any], dict[str, Any]]


def questions(folder: Path) -> list[dict[str, Any]]:
    data = yaml_of((folder / "questions.yaml").read_text("utf-8"))
    return list(data["questions"] if isinstance(data, dict) else data)


def imported(source: Path, out: Path) -> Path:
    result = CliRunner().invoke(app, ["import-hsds", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def ask(directory: Path, asked: list[dict[str, Any]]) -> list[Answer]:
    runner = CliRunner()
    found = []
    for q in asked:
        done = invoke(runner, "find", q["q"], "-d", str(directory), "--format", "json")
        found.append((q, json.loads(done.stdout) if done.exit_code == 0 else {}))
    return found


def name(result: dict[str, Any]) -> str:
    return re.sub(r" \(.*\)$", "", str(result["name"]))  # "Name (Its location)"


def passes(q: dict[str, Any], answer: dict[str, Any]) -> bool:
    results = answer.get("results") or []
    names = [name(r) for r in results]
    never = set(q.get("never") or []) | set(q.get("also_wrong") or [])
    if never & set(names):
        return False
    if q["first_any_of"]:
        return bool(names) and names[0] in q["first_any_of"]
    return not [r for r in results if r.get("eligibility", {}).get("stated", True)]


def assert_floor(answers: list[Answer], floor: int) -> None:
    passed = [q["q"] for q, answer in answers if passes(q, answer)]
    assert len(passed) >= floor, f"{len(passed)} of {len(answers)} pass"


def assert_never_listed(answers: list[Answer], never: set[str]) -> None:
    """No question is answered with a record no caller may be sent to."""
    for q, answer in answers:
        listed = {name(r) for r in answer.get("results") or []}
        assert not listed & never, q["q"]
