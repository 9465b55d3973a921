"""Questions as volunteers type them, answered by the real `referral find` on the
shipped sample (tests/corpus/sample_questions.yaml), with the eligibility of every
result checked against what the command said it understood."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import LONG_PROFILE, invoke, yaml_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referral_cli import taxonomy
from referral_cli.config import Config
from referral_cli.directory import load, sample_path
from referral_cli.errors import ReferralError
from referral_cli.query.parser import parse
from referral_cli.search.answer import answer
from referral_cli.search.rules import SearchResult

CORPUS_DIR = Path(__file__).parents[1] / "corpus"
# The tests read the shipped sample, unchanged: one index for the module.
pytestmark = pytest.mark.usefixtures("shared_index")

SPEC = yaml_of((CORPUS_DIR / "sample_questions.yaml").read_text("utf-8"))
GROUPS: dict[str, list[str]] = SPEC["groups"]
QUESTIONS: list[dict[str, Any]] = SPEC["questions"]
SAMPLE = load(sample_path(), "sample")
BY_ID = {p.id: p for p in SAMPLE.providers}
STOP_WORDS = taxonomy.load().stop_words


def _ids(names: list[str]) -> list[str]:
    return [i for name in names for i in GROUPS.get(name, [name])]


def find_json(runner: Any, question: str, *flags: str) -> dict[str, Any]:
    result = invoke(runner, "find", question, "--data", str(sample_path()), "-f", "json", *flags)
    assert result.exit_code == 0, (question, result.stderr)
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def assert_eligible(payload: dict[str, Any]) -> None:
    """Every result admits the age and gender the command understood, and no reason
    is a stop word ("mentions 'in'")."""
    q = payload["query"]
    for r in payload["results"]:
        e = BY_ID[r["id"]].eligibility
        if q["age"] is not None:
            assert e.admits_age(q["age"]), (q["text"], r["id"], q["age"])
        if q["gender"]:
            assert e.admits_gender(q["gender"]), (q["text"], r["id"], q["gender"])
        for reason in r["reasons"]:
            if reason.startswith("mentions "):
                words = [w.strip(" '") for w in reason[len("mentions ") :].split(",")]
                assert not set(words) & STOP_WORDS, (q["text"], reason)


@pytest.mark.parametrize("case", QUESTIONS, ids=[c["q"] for c in QUESTIONS])
def test_sample_question(runner: Any, case: dict[str, Any]) -> None:
    payload = find_json(runner, case["q"])
    ids = [r["id"] for r in payload["results"]]
    assert ids, (case["q"], payload["notes"])
    if "first" in case:
        assert ids[0] == case["first"], (case["q"], ids, payload["query"]["understood"])
    for pid in _ids(case.get("listed", [])):
        assert pid in ids, (case["q"], pid, ids)
    for pid in _ids(case.get("never", [])):
        assert pid not in ids, (case["q"], pid, ids)
    assert payload["query"]["understood"]
    assert_eligible(payload)


def test_corpus_is_large_enough() -> None:
    assert len(QUESTIONS) >= 60
    assert all(BY_ID.get(pid) for c in QUESTIONS for pid in _ids(c.get("never", [])))
    assert all(c["first"] in BY_ID for c in QUESTIONS if "first" in c)


def test_understood_line_says_every_slot(runner: Any) -> None:
    result = invoke(
        runner, "find", "she's 15 and needs a place to stay tonight near Visalia",
        "--data", str(sample_path()),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (
        "Understood: temporary shelter ('place to stay') · age 15 · female ('she's') ·"
        " near Visalia, CA, US" in " ".join(result.stderr.split())
    )


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("shelter 15 near Fresno", "'15' was not used — is it the age? add --age 15"),
        ("lawyer near Fresno, speaks Zorblish", "'Zorblish' after 'speaks' is not a language"),
        ("near Visaila", "'Visaila' read as Visalia, CA, US"),
        ("she said her boyfriend is 17, shelter near Fresno", "'17'"),
        ("mom calling about her son, 15, shelter near Fresno", "'mom' read as the caller"),
        ("boy and girl need shelter near Fresno", "gender not set"),
        ("he is 16, he is 19, shelter near Fresno", "age not set: '16' and '19'"),
        (
            "she says she's 20 but she's really 15, shelter near Fresno",
            "'20' was not used: 'but she's' corrects it to 15",
        ),
    ],
)
def test_unused_facts_are_said(runner: Any, question: str, said: str) -> None:
    result = invoke(runner, "find", question, "--data", str(sample_path()), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert any(said in n for n in json.loads(result.stdout)["notes"]), result.stdout


def test_two_ages_bind_neither_and_each_result_either_excludes_says_check(runner: Any) -> None:
    payload = find_json(runner, "she's 16, she's 19, needs a bed near Fresno")
    assert payload["query"]["age"] is None
    for r in payload["results"]:
        e = BY_ID[r["id"]].eligibility
        for age in (16, 19):
            said = f"check: not for age {age}, if that is the person's age"
            assert (said in r["reasons"]) == (not e.admits_age(age)), (r["id"], r["reasons"])
    assert {r["id"] for r in payload["results"]} & set(_ids(["ADULT_SHELTERS"]))


def test_nothing_in_reach_names_the_phone_services(runner: Any) -> None:
    payload = find_json(runner, "housing for a 16 year old girl near Sacramento")
    assert any("no long-term housing for this person within reach" in n for n in payload["notes"])
    ids = [r["id"] for r in payload["results"]]
    assert "national-survivor-line" in ids and "california-legal-hotline" in ids
    assert "california-policy-coalition" not in ids  # not a service one can phone
    payload = find_json(runner, "Kathmandu, 16 year old girl")
    assert payload["results"] == [] and payload["origin"]["label"] == "Kathmandu, NP"
    assert any("no phone or national service" in n for n in payload["notes"])


def test_radius_widening_is_said(runner: Any) -> None:
    payload = find_json(runner, "girl 15 shelter near Visalia")
    assert payload["query"]["radius_km"] == 50
    assert payload["query"]["radius_used_km"] > 50
    assert any(n.startswith("radius widened from 50 km") for n in payload["notes"])


def test_real_process_understands_a_live_call() -> None:
    exe = shutil.which("referral")
    cmd = [exe] if exe else [sys.executable, "-m", "referral_cli"]
    env = {**os.environ, "REFERRAL_NO_CACHE": "1"}
    proc = subprocess.run(
        [*cmd, "find", "teen girl shelter Fresno", "--data", str(sample_path()), "-f", "json"],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["results"][0]["id"] == "valley-youth-safe-house"
    assert payload["origin"]["label"] == "Fresno, CA, US"
    assert_eligible(payload)


# ------------------------------------------------------------ property

TEXTS = [c["q"] for c in QUESTIONS]
CONFIG = Config()


def _search_text(text: str) -> SearchResult | None:
    try:
        q = parse(text, prefer_countries=SAMPLE.countries)
        return answer(
            SAMPLE,
            q,
            home=CONFIG.home,
            radius=50.0,
            limit=100,
            open_now=False,
            online=False,
            stated_only=False,
        )
    except ReferralError:
        return None


@settings(
    max_examples=200 if LONG_PROFILE else 20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.sampled_from(TEXTS),
    st.one_of(
        st.integers(0, 99).map(lambda age: ("age", age, f", age {age}")),
        st.sampled_from(
            [
                ("gender", "female", ", she is the one who called"),
                ("gender", "male", ", he is the one who called"),
                ("gender", "female", ", female"),
                ("gender", "male", ", male"),
            ]
        ),
    ),
)
def test_stating_age_or_gender_never_adds_an_ineligible_provider(
    text: str, fact: tuple[str, Any, str]
) -> None:
    kind, value, words = fact
    before, after = _search_text(text), _search_text(text + words)
    if before is None or after is None:
        return
    stated = after.query
    if kind == "age" and before.query.age is None:
        assert stated.age == value, (text, words, stated.notes)  # a stated age is used
    for r in after.results:
        e = r.provider.eligibility
        if kind == "age" and stated.age == value:
            assert e.admits_age(value), (text, words, r.provider.id)
        if kind == "gender" and stated.gender == value:
            assert e.admits_gender(value), (text, words, r.provider.id)


# ------------------------------------------------------------ compact layout


def test_compact_layout_is_two_lines_a_result_with_whole_ids(
    runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    question = "shelter for a man and his son, Fresno"  # long ids and reasons
    args = ("find", question, "--data", str(sample_path()), "--layout", "compact", "-n", "8")
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    payload = find_json(runner, question, "-n", "8")
    assert len(lines) == 2 * len(payload["results"]) > 0
    assert all(len(line) <= 80 for line in lines), lines
    for rank, r in enumerate(payload["results"], 1):
        first, second = lines[2 * rank - 2], lines[2 * rank - 1]
        assert first.startswith(f"{rank:>2} ") and (r.get("hotline") or r["phone"]) in first
        assert second.split()[0] == r["id"]  # never cut
    assert "Understood: temporary shelter" in result.stderr
    full = invoke(runner, *args[:4], "--layout", "full", "-n", "8")
    assert "┃ Phone" in full.stdout and "└" in full.stdout  # the bordered table


def test_layout_must_be_known(runner: Any) -> None:
    result = invoke(runner, "find", "shelter", "--data", str(sample_path()), "--layout", "wide")
    assert result.exit_code == 2 and "--layout" in result.stderr


def test_a_flag_that_replaces_the_text_is_said(runner: Any) -> None:
    payload = find_json(runner, "she is 15, shelter near Fresno", "--age", "16")
    assert payload["query"]["age"] == 16
    assert "age 16 used rather than 15" in payload["notes"]
    assert all(BY_ID[r["id"]].eligibility.admits_age(16) for r in payload["results"])


def test_compact_layout_fits_a_short_terminal_and_says_how_many_more() -> None:
    import io

    from rich.console import Console

    from referral_cli.commands.find_table import _print_compact

    result = _search_text("counseling")
    assert result is not None and len(result.results) > 3

    def terminal() -> Console:
        return Console(file=io.StringIO(), force_terminal=True, width=80, height=12)

    out, err = terminal(), terminal()
    _print_compact(result, out, err, above=4)
    shown = out.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert len(shown) == 2 * ((12 - 4 - 2) // 2) == 6  # header rows and the prompt stay
    more = f"{len(result.results) - 3} more: use a taller window, --limit, or --layout full"
    assert more in err.file.getvalue()  # type: ignore[attr-defined]
