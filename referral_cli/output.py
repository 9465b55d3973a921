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
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.text import Text

# ESC-introduced sequences (CSI, OSC incl. OSC 8 hyperlinks, DCS, single shifts),
# their 8-bit C1 forms, then any remaining C0/C1 control or bidi-override character.
_ANSI = re.compile(
    r"(?:\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?)"  # OSC ... BEL | ST
    r"|(?:\x1b[P^_X][^\x1b]*(?:\x1b\\)?)"  # DCS, PM, APC, SOS ... ST
    r"|(?:\x1b\[[0-?]*[ -/]*[@-~]?)"  # CSI
    r"|(?:\x9b[0-?]*[ -/]*[@-~]?)"  # 8-bit CSI
    r"|(?:\x9d[^\x07\x9c]*[\x07\x9c]?)"  # 8-bit OSC
    r"|(?:\x1b[ -/]*[0-~]?)"  # other ESC sequences
)
# Controls, bidi marks and overrides (which can reorder what a terminal shows: the
# Arabic letter mark U+061C too) and lone surrogates.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
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
        s = _ANSI.sub("", s)
        s = s.replace("\u2028", "\n").replace("\u2029", "\n")
        if not multiline:
            s = s.replace("\n", " ").replace("\t", " ")
        s = _CONTROL.sub("", s.replace("\r\n", "\n"))
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
    json.dump(json_safe(obj), stream, ensure_ascii=False, indent=2, sort_keys=False)
    stream.write("\n")


def write_ndjson(rows: Iterable[Any], stream: IO[str] | None = None) -> None:

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
    CsvWriter(columns, stream, bom=bom).write(rows)


# The byte order mark that tells Excel a CSV file is UTF-8 (without it Excel on
# Windows reads the ANSI code page: "José" shows as "JosÃ©"); scripts do without.
BOM = "\ufeff"


class CsvWriter:
    """CSV with a header row, written as rows arrive (every cell through
    :func:`csv_cell`), after a :data:`BOM` when ``bom``."""

    def __init__(
        self, columns: Sequence[str], stream: IO[str] | None = None, *, bom: bool = False
    ) -> None:
        self.columns = columns
        self.stream = stream or utf8_stdout()
        self.bom = bom
        self._header_written = False

    def write(self, rows: Iterable[Mapping[str, Any]]) -> None:

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if not self._header_written:
            buf.write(BOM if self.bom else "")
            writer.writerow(self.columns)
            self._header_written = True
        for row in rows:
            writer.writerow([csv_cell(row.get(c)) for c in self.columns])
        self.stream.write(buf.getvalue())


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
