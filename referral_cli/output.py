"""Rendering for people and machines, and the rules that keep data text inert.

Provider fields are untrusted: a pull request or an HSDS import may carry Rich
markup, terminal escape sequences, HTML or spreadsheet formulas. Every channel
goes through one of the functions here:

* :func:`clean` — terminal and plain text (escape sequences and control codes removed);
* :func:`csv_cell` — CSV (also defuses ``= + - @`` formulas);
* :func:`html_text` — HTML (escaped after cleaning);
* Rich tables get data only as :class:`rich.text.Text`, never as markup.

And every channel is written in an encoding that cannot fail: machine output
(JSON, NDJSON, CSV, Markdown, HTML) is UTF-8 whatever the console or locale
(:func:`utf8_stdout`); what is meant for a person on a terminal is in the
console's encoding, a character it lacks replaced (:func:`forgiving_streams`).

:data:`FORMATS` is the one table of ``--format`` values: what each is, which
commands offer it, and for the machine formats the writer that every command's
output goes through (:func:`write_output`).
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    from rich.text import Text

# ESC-introduced sequences (CSI, OSC incl. OSC 8 hyperlinks, DCS, single shifts),
# their 8-bit C1 forms, then any remaining C0/C1 control or bidi-override character.
# Both kept as text, compiled by ``re`` on first use: most output has neither.
_ANSI = (
    r"(?:\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?)"  # OSC ... BEL | ST
    r"|(?:\x1b[P^_X][^\x1b]*(?:\x1b\\)?)"  # DCS, PM, APC, SOS ... ST
    r"|(?:\x1b\[[0-?]*[ -/]*[@-~]?)"  # CSI
    r"|(?:\x9b[0-?]*[ -/]*[@-~]?)"  # 8-bit CSI
    r"|(?:\x9d[^\x07\x9c]*[\x07\x9c]?)"  # 8-bit OSC
    r"|(?:\x1b[ -/]*[0-~]?)"  # other ESC sequences
)
# Controls, bidi marks and overrides (which can reorder what a terminal shows: the
# Arabic letter mark U+061C too) and lone surrogates.
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Version of the JSON, NDJSON and CSV layouts: raised when a field is removed,
# renamed or changes meaning (new fields may appear without it changing).
FORMAT_VERSION = 1


def clean(text: object, *, multiline: bool = False) -> str:
    """Text safe to print on a terminal: escape sequences and control codes removed.

    Newlines and tabs are kept when ``multiline``; otherwise they become spaces.
    """
    s = "" if text is None else str(text)
    if not s.isprintable() or "\x1b" in s:
        s = re.sub(_ANSI, "", s)
        s = s.replace("\u2028", "\n").replace("\u2029", "\n")
        if not multiline:
            s = s.replace("\n", " ").replace("\t", " ")
        s = re.sub(_CONTROL, "", s.replace("\r\n", "\n"))
    return s


def csv_cell(value: object, *, multiline: bool = False) -> str:
    """A CSV cell that a spreadsheet will not evaluate as a formula (line breaks
    kept when ``multiline``)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    s = clean(value, multiline=multiline)
    if s.startswith(_FORMULA_START):
        # A leading apostrophe makes spreadsheets show the text as text (OWASP advice).
        # Phone numbers such as "+1 555" keep their meaning for a human reader.
        s = "'" + s
    return s


def html_text(value: object) -> str:
    """Text for HTML element content or a quoted attribute."""

    import html  # its entity table costs every run that never writes HTML

    return html.escape(clean(value, multiline=True), quote=True)


def json_safe(value: Any) -> Any:
    """A copy of ``value`` with every string, keys included, cleaned of control codes.

    Keys can come from the data too (``capacity: {beds: 8}``)."""
    if isinstance(value, str):
        return clean(value, multiline=True)
    if isinstance(value, Mapping):
        return {clean(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def forgiving_streams() -> None:
    """Standard output and error that replace ('?') a character their encoding
    cannot show instead of stopping the command half-way: a Windows pipe or
    redirect writes the ANSI code page, an old terminal ASCII."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def utf8_stdout() -> IO[str]:
    """Standard output for machine output, switched to UTF-8 (after what was
    written before it) when it is in another encoding: a script or spreadsheet
    reading JSON, CSV or HTML gets every character, on any console and code page."""
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    if isinstance(stream, io.TextIOWrapper) and encoding not in ("utf-8", "utf8"):
        stream.reconfigure(encoding="utf-8", errors="replace")
    return stream


def native_newlines(text: str) -> str:
    """``text`` with the platform's line endings, for text files a person opens
    (a slip, a CSV or Markdown report): CRLF on Windows, as standard output
    writes there too."""
    return text if os.linesep == "\n" else text.replace("\n", os.linesep)


def write_json(obj: Any, stream: IO[str] | None = None) -> None:

    stream = stream or utf8_stdout()
    import json  # not loaded by --version, --help or a table

    json.dump(json_safe(obj), stream, ensure_ascii=False, indent=2, sort_keys=False)
    stream.write("\n")


def write_ndjson(rows: Iterable[Any], stream: IO[str] | None = None) -> None:
    import json  # not loaded by --version, --help or a table

    stream = stream or utf8_stdout()
    for row in rows:
        stream.write(json.dumps(json_safe(row), ensure_ascii=False, sort_keys=False))
        stream.write("\n")


def write_csv(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    stream: IO[str] | None = None,
    *,
    bom: bool = False,
) -> None:
    """CSV with a header row, each row written as it arrives (every cell through
    :func:`csv_cell`), after a :data:`BOM` when ``bom``."""
    stream = stream or utf8_stdout()
    buf = io.StringIO()
    import csv  # not loaded by --version, --help or a table

    writer = csv.writer(buf, lineterminator="\n")
    buf.write(BOM if bom else "")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
        stream.write(buf.getvalue())
        buf.seek(0)
        buf.truncate()
    stream.write(buf.getvalue())


# The byte order mark that tells Excel a CSV file is UTF-8 (without it Excel on
# Windows reads the ANSI code page: "José" shows as "JosÃ©"); scripts do without.
BOM = "\ufeff"


def _no_rows() -> Iterable[Mapping[str, Any]]:
    return ()


@dataclass(frozen=True)
class MachineOutput:
    """What a command tells a script, for :func:`write_output`: the document
    (JSON), the rows under their columns (CSV), and the NDJSON lines (the rows
    unless given). Functions, so only what the format asked for needs is built,
    and rows stream out as they are made."""

    document: Callable[[], Any]
    rows: Callable[[], Iterable[Mapping[str, Any]]] = _no_rows
    columns: Sequence[str] = ()
    lines: Callable[[], Iterable[Any]] | None = None


def _write_json_document(out: MachineOutput, stream: IO[str] | None, bom: bool) -> None:
    write_json(out.document(), stream)


def _write_ndjson_lines(out: MachineOutput, stream: IO[str] | None, bom: bool) -> None:
    write_ndjson((out.lines or out.rows)(), stream)


def _write_csv_rows(out: MachineOutput, stream: IO[str] | None, bom: bool) -> None:
    write_csv(out.rows(), out.columns, stream, bom=bom)


Writer = Callable[[MachineOutput, IO[str] | None, bool], None]


@dataclass(frozen=True)
class Format:
    """A ``--format`` value: what it gives (the option's help and the shell's
    completion show it), the commands that offer it, its writer when it is a
    machine format every command writes alike (the others each command renders),
    and whether a file of it is text a person opens (in Notepad, say), written
    with the platform's line endings (:func:`native_newlines`)."""

    name: str
    help: str
    commands: tuple[str, ...]
    writer: Writer | None = None
    opened_by_people: bool = False


# Every --format value, in the order a command lists its own (its first is its
# default). "find --batch" is find answering a file of queries.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "table",
            "for a person",
            ("find", "coverage", "coverage --compare", "taxonomy"),
            opened_by_people=True,
        ),
        Format(
            "text",
            "for a person",
            ("show", "locate", "validate", "verify", "slip"),
            opened_by_people=True,
        ),
        Format("tabular", "CSV tables + datapackage.json", ("export-hsds",)),
        Format(
            "json",
            "one document",
            (
                "find",
                "find --batch",
                "show",
                "coverage",
                "coverage --compare",
                "locate",
                "validate",
                "verify",
                "taxonomy",
                "export-hsds",
            ),
            _write_json_document,
        ),
        Format(
            "csv",
            "a spreadsheet",
            ("find", "find --batch", "coverage", "coverage --compare", "verify"),
            _write_csv_rows,
            opened_by_people=True,
        ),
        Format("ndjson", "a JSON object a line", ("find", "find --batch"), _write_ndjson_lines),
        Format(
            "markdown",
            "for a pull request or a wiki",
            ("coverage", "coverage --compare", "slip"),
            opened_by_people=True,
        ),
        Format("html", "one self-contained page", ("coverage", "coverage --compare", "slip")),
        Format("github", "workflow annotations", ("validate", "coverage --compare")),
        Format("pdf", "to print", ("slip",)),
    )
}


def formats_of(*commands: str) -> tuple[str, ...]:
    """The formats any of ``commands`` offers, in the table's order."""
    return tuple(name for name, f in FORMATS.items() if set(commands) & set(f.commands))


def is_machine(fmt: str | None) -> TypeGuard[str]:
    """Whether ``fmt`` is written alike by every command (:func:`write_output`)."""
    return fmt is not None and FORMATS[fmt].writer is not None


def write_output(
    fmt: str, out: MachineOutput, stream: IO[str] | None = None, *, bom: bool = False
) -> None:
    """``out`` in the machine format ``fmt``, to ``stream`` (standard output in UTF-8)."""
    writer = FORMATS[fmt].writer
    if writer is None:
        raise ValueError(f"{fmt} is rendered by its command, not written alike")
    writer(out, stream, bom)


def color_enabled(stream: IO[str] | None = None) -> bool:
    """Colour only on a terminal, and never with ``NO_COLOR`` set (no-color.org)."""
    if "NO_COLOR" in os.environ:
        return False
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def console(stderr: bool = False, width: int | None = None) -> Any:
    """A Rich console that is plain when piped or under ``NO_COLOR``."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    tty = color_enabled(stream)
    return Console(
        file=stream,
        no_color=not tty,
        color_system="auto" if tty else None,
        force_terminal=tty,
        highlight=False,
        markup=False,
        emoji=False,
        width=width or (None if tty else _piped_width()),
        soft_wrap=False,
    )


def _piped_width() -> int:
    """80 columns when piped, unless $COLUMNS says otherwise."""
    try:
        return max(40, int(os.environ.get("COLUMNS", "80")))
    except ValueError:
        return 80


def rich_text(value: object, style: str = "") -> Text:
    """Data as a Rich ``Text``: never parsed as markup."""
    from rich.text import Text

    return Text(clean(value), style=style)
