"""Fuzzing: hostile or broken directories and queries never crash any command.

Each example of the directory fuzz is one generated or mutated directory
document and one command run on it, both drawn by Hypothesis: validate, find,
show, slip or coverage, in one of their output formats. The test is split by
command, so a run of N examples drives every command N // 5 times on its own
documents. The query fuzz runs N random queries through ``find``.

A short, derandomised profile runs with the suite. The long run (its result is
recorded in docs/security.md):

    REFERRAL_FUZZ_EXAMPLES=100000 nice -n 10 python -m pytest tests/end_to_end/test_fuzz.py \\
        -q -p no:cacheprovider --hypothesis-show-statistics
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
import typer.main
import typer.testing
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from referral_cli.cli import app

# REFERRAL_FUZZ_EXAMPLES is the number of directory documents over all the
# commands (split evenly between them) and, separately, of random queries.
DEFAULT_EXAMPLES = 60
EXAMPLES = int(os.environ.get("REFERRAL_FUZZ_EXAMPLES", str(DEFAULT_EXAMPLES)))
LONG = EXAMPLES > DEFAULT_EXAMPLES


def fuzz(examples: int):  # type: ignore[no-untyped-def]
    return settings(
        max_examples=max(1, examples),
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not LONG,
        print_blob=True,
    )


DIAGNOSTIC = re.compile(r"^.+:\d+:\d+: (error|warning): .+$")
# What must never reach a terminal from the data, on stdout or stderr: C0/C1
# controls but tab and newline (ESC starts every escape sequence, BEL ends OSC),
# bidi marks and overrides.
TERMINAL_CODES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
NASTY_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "[red]markup[/red]",
            "\x1b[31mred\x1b]8;;http://x\x07link",
            "<script>alert(1)</script>",
            '=HYPERLINK("http://x")',
            "\u202eevil",
            "\x1b]0;title\x07\x07\x1b[2J\u061c\x9b2J",  # an OSC title, BEL, screen clear
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
SECRET_STREET = "1 Hidden Way"
BASE = {
    "id": "base-provider",
    "name": "Base",
    "services": ["temporary-shelter"],
    "phone": "+1 559-555-0100",
    "address": {"street": SECRET_STREET, "city": "Fresno", "region": "CA", "country": "US"},
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


# Every command and output format the fuzz drives; "{data}" is the document's path.
COMMANDS: dict[str, list[list[str]]] = {
    "validate": [
        ["validate", "{data}"],
        ["validate", "{data}", "--format", "json"],
        ["validate", "{data}", "--format", "github", "--strict"],
    ],
    "find": [
        ["find", "shelter for minors near Fresno", "--data", "{data}"],
        ["find", "shelter", "--data", "{data}", "--format", "json"],
        ["find", "--near", "Fresno", "--data", "{data}", "--format", "csv"],
        ["find", "counseling", "--data", "{data}", "--format", "ndjson"],
        ["find", "shelter near Fresno", "--slip", "--data", "{data}"],
    ],
    "show": [
        ["show", "base-provider", "--data", "{data}"],
        ["show", "base-provider", "--data", "{data}", "--format", "json"],
    ],
    "slip": [
        ["slip", "base-provider", "--data", "{data}"],
        ["slip", "base-provider", "--data", "{data}", "--format", "markdown"],
        ["slip", "base-provider", "--data", "{data}", "--format", "html", "--lang", "es"],
        ["slip", "base-provider", "--data", "{data}", "--no-discreet", "--name", "Ana"],
    ],
    "coverage": [
        ["coverage", "--data", "{data}"],
        ["coverage", "--data", "{data}", "--format", "json", "--by", "city"],
        ["coverage", "--data", "{data}", "--format", "csv", "--detail", "services"],
        ["coverage", "--data", "{data}", "--format", "markdown", "--framework", "5p"],
        ["coverage", "--data", "{data}", "--format", "html", "--for", "minors"],
    ],
}

# The Click command is built from the Typer app once, not on every invocation
# (building it is most of the cost of a small command); it is the same object
# ``referral`` builds and runs.
_COMMAND = typer.main.get_command(app)


def run(runner: CliRunner, args: list[str], env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    original = typer.testing._get_command
    typer.testing._get_command = lambda _app: _COMMAND  # type: ignore[assignment]
    try:
        return runner.invoke(app, args, env=env, catch_exceptions=False)
    finally:
        typer.testing._get_command = original


def street_is_secret(text: str) -> bool:
    """False when the fuzz made the provider public (``confidential`` changed or cut out)."""
    try:
        doc = yaml.safe_load(text)
    except Exception:  # noqa: BLE001 - unreadable for PyYAML: the street must stay hidden
        return True
    providers = doc.get("providers") if isinstance(doc, dict) else None
    if not isinstance(providers, list):
        return True
    return not any(
        isinstance(p, dict) and p.get("confidential") is not True and SECRET_STREET in repr(p)
        for p in providers
    )


def check(result, args, secret: bool = True) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code in (0, 1), (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    # A crash caught by the last line of defence (a YAML message may say "unexpected").
    assert "referral: error: unexpected " not in result.stderr, (args, result.stderr)
    for stream, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        code = TERMINAL_CODES.search(text)
        assert code is None, (args, stream, code and code.group(), text[-500:])
    if result.exit_code == 1 and args[0] != "validate":
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("referral: error: "), result.stderr
    if args[0] == "validate":
        if "--format" not in args:
            for line in result.stdout.splitlines():
                assert DIAGNOSTIC.match(line), line
    elif secret:
        assert SECRET_STREET not in result.stdout + result.stderr, args


@pytest.mark.parametrize("command", list(COMMANDS))
@fuzz(EXAMPLES // len(COMMANDS))
@given(text=document(), data=st.data())
def test_broken_directories_never_crash(command: str, text: str, data: st.DataObject) -> None:
    template = data.draw(st.sampled_from(COMMANDS[command]), label="args")
    with tempfile.TemporaryDirectory(prefix="referral-fuzz-") as tmp:
        path = Path(tmp) / "dir.yaml"
        path.write_text(text, "utf-8", errors="surrogatepass")
        args = [a.replace("{data}", str(path)) for a in template]
        # Each example has its own index cache, so no example depends on another.
        result = run(CliRunner(), args, env={"REFERRAL_CACHE_DIR": str(Path(tmp) / "cache")})
        check(result, args, secret=street_is_secret(text))


@fuzz(EXAMPLES)
@given(st.text(max_size=120))
def test_any_query_is_answered_or_refused_cleanly(query: str) -> None:
    from referral_cli.directory import sample_path

    args = ["find", "--data", str(sample_path()), "--format", "json", "--", query]
    check(run(CliRunner(), args), args)
