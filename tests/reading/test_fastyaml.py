"""The fast reader gives exactly what PyYAML gives, or declines.

Documents are drawn from a grammar around the shape directories are written in,
full of the scalars and layouts where YAML is subtle (types, indicators,
comments, flow collections, indentless lists, CRLF). Whenever the fast reader
accepts a document, PyYAML must read it too, to the same values, types and
marks; it must never accept what PyYAML refuses.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import MIAMI, shared_missing
from hypothesis import given, settings
from hypothesis import strategies as st

from referral_cli.reading import fastyaml, nodes, yamldoc

ROOT = Path(__file__).resolve().parents[2]
# The long profile (tests/conftest.py) runs 1,500 examples; the long fuzz run
# (docs/security.md) sets REFERRAL_FUZZ_EXAMPLES for these too.
EXAMPLES = max(
    1500 if os.environ.get("REFERRAL_TEST_PROFILE") == "long" else 100,
    int(os.environ.get("REFERRAL_FUZZ_EXAMPLES", "0")),
)

# Scalars PyYAML reads (many of them typed, or subtle) and ones it refuses or
# reads as something else than a one-line value.
GOOD = [
    "word", "Hope House", "a  b", "yes", "No", "on", "OFF", "null", "~", "Null", "true",
    "1", "-3", "+7", "1.5", "-95.4329", ".5", "1e5", "1.0e+5", ".inf", "-.inf", ".nan",
    "0x1F", "017", "0o17", "0b101", "1_000", "1:30", "190:20:30", "2026-01-02",
    "2026-1-2", "2026-01-02 10:00:00", "2026-01-02T10:00:00Z", "+1 559-555-0100",
    "http://x.org/a?b=c", "a:b", "a #c", "a#b", "-x", "-1", "'q'", "'it''s'", '"dq"',
    '"a, b"', '"a: b"', "[a, b]", "[ a , b ]", "[]", "{}", "[a, [b, c]]", "{k: v}",
    "{a: [1, {b: c}]}", "{1: x}", "[-1, -x]", '{m: "09:00-17:00", s: "a, b"}', "[a] #c",
    "[a, 'b', \"c\"]", "[yes, no, null, 2026-01-02]", "{street: 1 Main St, zip: \"93721\"}",
    "{a:b}", "é日本", "naïve café", "x y", "[a,]", "{a: }", "?x", ":x", "a ]", "a, b",
    "[a #c]", "{2026-01-01: x}", "[1.5, .nan, 0x1F, 1:30]", "{a: -1, b: [-x, +2]}",
    '"x\\"y"', '"tab\\there"', '"\\u00e9\\x41\\U0001F600"', "x\\y", "'x\\y'", '"a\\\\"',
    '{k: "a\\"b, c"}', '["q\\"", w]', '"\\/\\ \\_\\0"',
    "[a,b]", "{a: b,c: d}", "[ ]", "{ }", "[a , b ]", "{a: 1, b: 2 }", "1 #c", "'b' # c",
]  # fmt: skip
BAD = [
    "a: b", "a:", "#c", "-", "- a", "? x", "&a x", "*a", "!t x", "|", ">", "%x", "@x",
    "`x", "'open", '"x\\ty"', '"open', "[, a]", "[a, , b]", "{k: v, k: w}", "[a: b]",
    "[- a]", "[a]#c", "=", "<<", "[a", "{a: b", "2026-13-45", '"\\q"', '"\\ud800"',
    '"a\\"', '"\\x4"',
]  # fmt: skip
SCALARS = GOOD + BAD
KEYS = ["id", "name", "mon-fri", "postal_code", "a b", "1", "1.5", "yes", "null", "x", "spaced "]
ODD_KEYS = ["2026-01-01", "<<", "k:", '"q"', "-k", "?", "x"]


def scalar() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(GOOD), st.sampled_from(GOOD), st.sampled_from(SCALARS))


def key() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS), st.sampled_from(ODD_KEYS))


@st.composite
def block(draw: Any, indent: int, depth: int) -> list[str]:
    """Lines of a block mapping or list at ``indent``."""
    pad = " " * indent
    lines: list[str] = []
    if 0 < depth < 3 and draw(st.booleans()):  # a document is a mapping
        step = draw(st.sampled_from([2, 4]))
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.booleans()):
                lines.append(f"{pad}- {draw(scalar())}")
            else:
                inner = draw(block(indent + step, depth + 1))
                first = inner[0]
                if first.strip().startswith("- ") or not first.strip():
                    lines.append(f"{pad}-")
                    lines.extend(inner)
                else:  # "- key: value" with the rest of the mapping lined up
                    lines.append(f"{pad}- {first.lstrip()}")
                    lines.extend(
                        " " * (step - 2) + line if step >= 2 else line for line in inner[1:]
                    )
        return lines
    for name in draw(st.lists(key(), min_size=1, max_size=4, unique=True)):
        kind = draw(st.integers(0, 6))
        if kind == 6:  # a literal block, with the lines where chomping and indentation matter
            lines.append(f"{pad}{name}: {draw(st.sampled_from(['|', '|-', '|+', '|2', '>']))}")
            body = " " * (indent + draw(st.sampled_from([0, 2, 3])))
            for _ in range(draw(st.integers(1, 4))):
                line = draw(
                    st.sampled_from(["text", "# not a comment", "- x: y", "", "  more", "a  "])
                )
                lines.append(body + line if line else draw(st.sampled_from(["", " "])))
        elif kind <= 2 or depth >= 3:
            lines.append(f"{pad}{name}:{draw(st.sampled_from([' ', '  ']))}{draw(scalar())}")
        elif kind == 3:
            lines.append(f"{pad}{name}:")  # an empty value, or a nested block below
            if draw(st.booleans()):
                lines.extend(draw(block(indent + draw(st.sampled_from([0, 2, 4])), depth + 1)))
        else:
            lines.append(f"{pad}{name}:")
            lines.extend(draw(block(indent + 2, depth + 1)))
        if draw(st.integers(0, 12)) == 0:
            lines.append(
                draw(st.sampled_from(["", "   ", f"{pad}# note", "# note", " " * 3 + "x"]))
            )
    return lines


@st.composite
def documents(draw: Any) -> str:
    lines = draw(block(0, 0))
    if draw(st.integers(0, 5)) == 0:
        lines.insert(0, draw(st.sampled_from(["# head", "---", "%YAML 1.1", ""])))
    end = draw(st.sampled_from(["\n", "\r\n", "\n\n", " \n"]))
    return end.join(lines) + end


def _plain(value: Any) -> Any:
    """Values, types and marks, in a form == compares (nan included)."""
    if isinstance(value, nodes.MarkedDict):
        return (
            "map",
            value.start,
            [(k, value.keymarks[k], value.valmarks[k], _plain(v)) for k, v in value.items()],
        )
    if isinstance(value, nodes.MarkedList):
        return ("seq", value.start, value.itemmarks, [_plain(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (type(value).__name__, value)


def both(text: str, shift: int = 0) -> tuple[Any, Any]:
    try:
        fast = _plain(fastyaml.load(text, shift))
    except fastyaml.Declined:
        fast = "declined"
    try:
        slow = _plain(yamldoc.load_with_pyyaml(text, "x.yaml", shift))
    except yamldoc.YamlError as exc:
        slow = ("error", str(exc.diagnostic))
    return fast, slow


@settings(max_examples=EXAMPLES, deadline=None)
@given(documents(), st.sampled_from([0, 0, 41]))
def test_fast_reader_agrees_with_pyyaml_or_declines(text: str, shift: int) -> None:
    fast, slow = both(text, shift)
    if fast != "declined":
        assert fast == slow, text


@settings(max_examples=EXAMPLES // 5, deadline=None)
@given(st.sampled_from(SCALARS), st.sampled_from(SCALARS), st.sampled_from(KEYS + ODD_KEYS))
def test_every_scalar_in_every_place(a: str, b: str, key: str) -> None:
    for text in (
        f"{key}: {a}\n",
        f"k: {a}\nl: {b}\n",
        f"k:\n  - {a}\n  - {b}\n",
        f"k:\n- {a}\n- x: {b}\n  {key}: {a}\n",
        f"k: [{a}, {b}]\n",
        f"k: {{{key}: {a}, z: {b}}}\n",
        f"k: {{x: [{a}], y: {{z: {b}}}}}\n",
    ):
        fast, slow = both(text)
        if fast != "declined":
            assert fast == slow, text


def test_the_sample_takes_the_fast_path() -> None:
    """The sample is read by the fast reader (or the speed is gone without a test
    failing), to what PyYAML reads."""
    text = (ROOT / "data" / "resources.yaml").read_text("utf-8")
    fast, slow = both(text)
    assert fast != "declined"
    assert fast == slow


def test_generated_benchmark_directory_takes_the_fast_path(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    generate(300, tmp_path / "d.yaml")
    fast, slow = both((tmp_path / "d.yaml").read_text("utf-8"))
    assert fast != "declined" and fast == slow


@pytest.mark.parametrize(
    "text",
    [
        "a: >\n  x\n",  # a folded block scalar
        "a: |+\n  x\n",  # a literal one that keeps its trailing lines
        "a: |\n\n  x\n",  # a blank line first
        "a: &x 1\nb: *x\n",  # anchors
        "a: !t 1\n",  # tags
        "a: b\n  c\n",  # a multi-line scalar
        "a: b\na: c\n",  # a duplicate key: PyYAML's message names both
        "a:\n",  # an empty value
        "a:\tb\n",  # a tab
        'a: "x\\qy"\n',  # an unknown escape
        "---\na: b\n",
        "a: [b,\n  c]\n",  # a flow list over two lines
    ],
)
def test_declines_what_it_does_not_read(text: str) -> None:
    with pytest.raises(fastyaml.Declined):
        fastyaml.load(text)


HSDS_SOURCES = [
    ROOT / "tests" / "fixtures" / "ohana-smc-sample",
    pytest.param(
        MIAMI,
        marks=pytest.mark.long,
        id="open211-miami",
    ),
]


@pytest.mark.parametrize("source", HSDS_SOURCES, ids=lambda p: getattr(p, "name", str(p)))
def test_imported_real_directories_take_the_fast_path(source: Path) -> None:
    """Real 211 data as import-hsds writes it (literal blocks, escaped quotes) is
    read by the fast reader, to what PyYAML reads."""
    if not source.exists():
        pytest.skip(shared_missing("the real directory", source))
    from referral_cli.hsds.importer import import_hsds

    data, _ = import_hsds(source)
    fast, slow = both(data.decode("utf-8"))
    assert fast != "declined"
    assert fast == slow


N = 200_000


@pytest.mark.parametrize(
    "text",
    [
        "a: [a" + " " * N + "x\n",
        "a: {k: a" + " " * N + "x\n",
        "a" + " " * N + "x\n",
        "a" + " b" * N + "\n",
        "a: [a" + " b" * N + "\n",
        "a: [a, {b: " + "x " * N + "\n",
        "a: [" + "a:" * N + "\n",
        'a: ["' + "x" * N + "\n",
        'a: "' + '\\"' * N + "\n",
        "a: '" + "''" * N + "\n",
        "a: [{a: b" + " " * N + "\n",
    ],
    ids=lambda t: repr(t[:12]),
)
def test_hostile_lines_are_declined_in_linear_time(text: str) -> None:
    """Lines built to make a backtracking regex take quadratic time. Every pattern
    is possessive where spaces could match two ways, so each of these is declined
    at once; with the ambiguous patterns of an earlier version the first took
    6 s at 20,000 spaces (and this suite would hang here at 200,000)."""
    with pytest.raises(fastyaml.Declined):
        fastyaml.load(text)
