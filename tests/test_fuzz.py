"""Fuzzing: hostile or broken directories and queries never crash any command.

A short profile runs with the suite. The long run (recorded in docs/security.md):

    REFERRAL_FUZZ_EXAMPLES=100000 python -m pytest tests/test_fuzz.py -q -p no:cacheprovider
"""

from __future__ import annotations

import os
import re

import yaml
from conftest import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

EXAMPLES = int(os.environ.get("REFERRAL_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=EXAMPLES <= 100,
)
DIAGNOSTIC = re.compile(r"^.+:\d+:\d+: (error|warning): .+$")
NASTY_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "[red]markup[/red]",
            "\x1b[31mred\x1b]8;;http://x\x07link",
            "<script>alert(1)</script>",
            '=HYPERLINK("http://x")',
            "\u202eevil",
            "x" * 5000,
            "",
            "null",
            "no",
            "2026-13-45",
            "&a *a",
            "!!python/object:os.system",
        ]
    ),
)
SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=True), NASTY_TEXT
)
VALUE = st.recursive(
    SCALAR,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
KEYS = [
    "id", "name", "services", "areas", "eligibility", "languages", "phone", "hotline", "email",
    "website", "hours", "timezone", "address", "location", "confidential", "service_area",
    "intake", "cost", "capacity", "last_verified", "keywords", "description",
]  # fmt: skip
BASE = {
    "id": "base-provider",
    "name": "Base",
    "services": ["temporary-shelter"],
    "phone": "+1 559-555-0100",
    "address": {"street": "1 Hidden Way", "city": "Fresno", "region": "CA", "country": "US"},
    "location": {"lat": 36.7, "lon": -119.7},
    "confidential": True,
}


@st.composite
def provider(draw):  # type: ignore[no-untyped-def]
    p = dict(BASE)
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=5)):
        p[key] = draw(VALUE)
    if draw(st.booleans()):
        p[draw(st.text(max_size=10))] = draw(VALUE)
    return p


@st.composite
def document(draw):  # type: ignore[no-untyped-def]
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.text(max_size=300))  # random text
    if kind == 1:
        return yaml.safe_dump(draw(VALUE))  # random YAML of the wrong shape
    providers = draw(st.lists(provider(), min_size=1, max_size=4))
    text = yaml.safe_dump({"providers": providers}, allow_unicode=draw(st.booleans()))
    if kind == 2 and text:
        cut = draw(st.integers(0, len(text)))
        return text[:cut] + draw(st.text(max_size=5)) + text[cut:]  # mutation
    return text


COMMANDS = [
    ["validate", "{data}"],
    ["find", "shelter for minors near Fresno", "--data", "{data}"],
    ["find", "shelter", "--data", "{data}", "--format", "json"],
    ["show", "base-provider", "--data", "{data}"],
    ["slip", "base-provider", "--data", "{data}"],
    ["coverage", "--data", "{data}"],
]


def check(result, args) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code in (0, 1), (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert "unexpected" not in result.stderr, (args, result.stderr)
    if result.exit_code == 1 and args[0] != "validate":
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("referral: error: "), result.stderr
    assert "1 Hidden Way" not in result.stdout or args[0] == "validate"


@FUZZ
@given(document())
def test_broken_directories_never_crash(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("fuzz") / "dir.yaml"
    path.write_text(text, "utf-8")
    runner = CliRunner()
    for template in COMMANDS:
        args = [a.replace("{data}", str(path)) for a in template]
        check(invoke(runner, *args), args)
    result = invoke(runner, "validate", str(path))
    for line in result.stdout.splitlines():
        assert DIAGNOSTIC.match(line), line


@FUZZ
@given(st.text(max_size=120))
def test_any_query_is_answered_or_refused_cleanly(tmp_path_factory, query: str) -> None:  # type: ignore[no-untyped-def]
    from referral_cli.directory import sample_path

    runner = CliRunner()
    args = ["find", "--data", str(sample_path()), "--format", "json", "--", query]
    result = invoke(runner, *args)
    check(result, args)
