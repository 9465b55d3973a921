"""Untrusted text stays text in every channel."""

from __future__ import annotations

import io
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from referral_cli import output

HOSTILE = [
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "\x1b]0;title\x07",
    "\x1b[2J\x1b[H",
    "bell\x07",
    "\x9b31m8-bit",
    "back\x08space",
    "rtl\u202eoverride",
]


def test_clean_removes_escape_sequences_and_controls() -> None:
    for text in HOSTILE:
        cleaned = output.clean(text)
        assert "\x1b" not in cleaned and "\x07" not in cleaned and "\x9b" not in cleaned
        assert "\u202e" not in cleaned and "\x08" not in cleaned
    assert output.clean("\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\") == "click"
    assert output.clean("\x1b[31mred\x1b[0m") == "red"


@given(st.text())
def test_clean_output_is_always_printable_on_one_line(text: str) -> None:
    cleaned = output.clean(text)
    assert "\x1b" not in cleaned and "\n" not in cleaned
    assert not any(
        unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or "\u202a" <= ch <= "\u202e"
        for ch in cleaned
    )


def test_csv_cells_defuse_formulas() -> None:
    assert output.csv_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert output.csv_cell("+1 559-555-0100") == "'+1 559-555-0100"
    assert output.csv_cell("-2") == "'-2"
    assert output.csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert output.csv_cell("plain") == "plain"
    assert output.csv_cell(["a", "b"]) == "a; b"


def test_html_text_escapes() -> None:
    assert output.html_text("<script>alert('x')</script>") == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    )


def test_json_strings_are_cleaned() -> None:
    buf = io.StringIO()
    output.write_json({"name": "\x1b[31mred", "list": ["\x07x"]}, buf)
    assert json.loads(buf.getvalue()) == {"name": "red", "list": ["x"]}


def test_rich_text_is_never_markup() -> None:
    from rich.console import Console

    console = Console(file=io.StringIO(), no_color=True, width=80)
    console.print(output.rich_text("[bold red]x[/bold red] [link=https://evil]y[/link]"))
    printed = console.file.getvalue()  # type: ignore[attr-defined]
    assert "[bold red]x[/bold red]" in printed
    assert "[link=https://evil]y[/link]" in printed


def test_no_colour_when_not_a_terminal_or_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert output.color_enabled(io.StringIO()) is False

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert output.color_enabled(Tty()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert output.color_enabled(Tty()) is False
