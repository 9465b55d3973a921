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


# Arguments a command needs before its --format is read (none is looked up: the
# format is checked first).
_NEEDS = {"show": ["x"], "locate": ["x"], "slip": ["x"], "export-hsds": ["--output", "x"]}


def test_every_format_option_offers_what_the_table_says() -> None:
    """Each command's --format accepts exactly the formats output.FORMATS gives it:
    a format added to the table reaches the command, its help and its completion."""
    from typer.main import get_command
    from typer.testing import CliRunner

    from referral_cli.cli import whole_app

    group = get_command(whole_app())
    commands = {c.split()[0] for f in output.FORMATS.values() for c in f.commands}
    with_format = {
        name
        for name, command in group.commands.items()  # type: ignore[attr-defined]
        if any("--format" in p.opts for p in command.params)
    }
    assert commands == with_format
    for name in sorted(commands):
        offered = output.formats_of(name, f"{name} --compare")
        result = CliRunner().invoke(
            whole_app(), [name, *_NEEDS.get(name, []), "--format", "nosuch"]
        )
        assert result.exit_code == 2, (name, result.output)
        assert result.stderr.endswith(f"use one of: {', '.join(offered)}\n"), result.stderr
        help_text = " ".join(CliRunner().invoke(whole_app(), [name, "--help"]).stdout.split())
        for fmt in offered:
            assert f"{fmt} ({output.FORMATS[fmt].help})" in help_text, (name, fmt)


def test_machine_formats_write_the_same_output_alike() -> None:
    out = output.MachineOutput(
        lambda: {"a": "=1"}, lambda: [{"a": "=1", "b": 2}], ("a", "b"), lines=lambda: [{"n": 1}]
    )
    written = {}
    for fmt in (f for f in output.FORMATS if output.is_machine(f)):
        buf = io.StringIO()
        output.write_output(fmt, out, buf, bom=fmt == "csv")
        written[fmt] = buf.getvalue()
    assert written == {
        "json": '{\n  "a": "=1"\n}\n',
        "csv": "\ufeffa,b\n'=1,2\n",
        "ndjson": '{"n": 1}\n',
    }
    with pytest.raises(ValueError, match="rendered by its command"):
        output.write_output("table", out)
