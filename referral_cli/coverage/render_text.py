"""The coverage matrix and the planning matrices on a terminal (Rich), or as the
plain text of that rendering (``--format table --output FILE``)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.segment import Segment, Segments
from rich.style import Style
from rich.table import Table
from rich.text import Text

from referral_cli.coverage.legend import COVERED_LEGEND, LEGEND, NO_GAPS, SHADES
from referral_cli.coverage.model import Cell, Matrix, Place, Row
from referral_cli.coverage.plans import Grid, cell_text
from referral_cli.output import rich_text

SHADE_WORDS = {
    0: "none",
    1: "only remote",
    2: "1",
    3: "2-3",
    4: "4+",
}

# Terminals with only the 16 standard colours, whose shades differ from one theme to
# another: red and yellow blocks for gaps and remote-only help, green numbers else.
STANDARD_SHADES = {
    0: "bold bright_white on red",
    1: "black on yellow",
    2: "green",
    3: "bold green",
    4: "bold bright_green",
}

_Item = TypeVar("_Item")


def _style(level: int, palette: str | None = "full") -> str:
    if palette == "standard":
        return STANDARD_SHADES[level]
    bg, fg = SHADES[level]
    return f"bold {fg} on {bg}" if level == 0 else f"{fg} on {bg}"


def abbreviate(label: str, width: int = 7) -> str:
    """A short column header: the first word, cut to ``width`` letters with a dot
    (``Prevention`` -> ``Prevent.``, ``Restoration`` -> ``Restor.``)."""
    words = label.replace("/", " ").replace("&", " ").split()
    word = words[0] if words else label
    if len(word) <= width + 1:
        return word
    cut = word[:width]
    while len(cut) > 3 and cut[-1].lower() in "aeiouy":
        cut = cut[:-1]
    return cut + "."


COLUMN_MIN_WIDTH = 5  # of a place's or an area's column


def _cell_text(cell: Cell, color: str | None, row: Row | None = None) -> Text:
    style = ""
    if color:
        pale = row is not None and row.kind == "service" and cell.level == 0
        style = "dim" if pale else _style(cell.level, color)
    return Text(f" {cell.text} ", style=style, justify="center")


def _fits(out: Console, table: Table, *, wrap: bool = False) -> bool:
    """Whether ``table`` fits the console; with ``wrap``, column headers may wrap."""
    # Measure unconstrained: Rich clamps a measurement to the width it is given.
    options = out.options.update(max_width=100_000)
    measured = Measurement.get(out, options, table)
    return bool((measured.minimum if wrap else measured.maximum) <= out.width)


def _row_label(row: Row) -> Text:
    if row.kind == "area":
        return rich_text(row.label, "bold")
    return rich_text("  " + row.label)


def _new_table() -> Table:
    return Table(box=box.SIMPLE_HEAD, padding=(0, 0), pad_edge=False, show_edge=False)


def _places_as_columns(m: Matrix, places: Sequence[Place], color: str | None) -> Table:
    table = _new_table()
    first = "Area / service" if m.detail == "services" else "Area"
    table.add_column(first + " ", no_wrap=True)
    for pl in places:
        table.add_column(rich_text(pl.label, "bold"), justify="center", min_width=COLUMN_MIN_WIDTH)
    for i, row in enumerate(m.rows):
        last_of_area = i + 1 == len(m.rows) or m.rows[i + 1].kind == "area"
        table.add_row(
            _row_label(row),
            *(_cell_text(m.cell(row.key, pl.label), color, row) for pl in places),
            end_section=last_of_area and (m.detail == "services" or i + 1 == len(m.rows)),
        )
    table.add_row(
        rich_text("Areas covered", "italic"), *(rich_text(m.score(pl.label)) for pl in places)
    )
    return table


def _places_as_rows(
    m: Matrix,
    rows: Sequence[Row],
    color: str | None,
    short: bool,
    measured: _Measured | None = None,
) -> Table:
    """Places as rows, these rows as columns: every place, or with ``measured``
    only the widest (:meth:`_Measured.widest`), which make the table as wide."""
    table = _new_table()
    table.add_column(m.by.capitalize(), no_wrap=True)
    for row in rows:
        label = abbreviate(row.label) if short else row.label
        table.add_column(rich_text(label, "bold"), justify="center", min_width=COLUMN_MIN_WIDTH)
    table.add_column(rich_text(" Covered", "italic"), justify="right", no_wrap=True)
    shown = m.places if measured is None else measured.widest(rows)
    covered = m.places_covered if measured is None else measured.covered
    for pl in shown:
        table.add_row(
            rich_text(pl.label + " "),
            *(_cell_text(m.cell(row.key, pl.label), color) for row in rows),
            rich_text(m.score(pl.label)),
            end_section=pl is shown[-1],
        )
    table.add_row(rich_text("Places covered", "italic"), *(rich_text(covered(r)) for r in rows), "")
    return table


class _Measured:
    """What laying out places as rows measures of every place, measured once per
    matrix (the layout tries several tables): the place of each row's widest
    cell, of the widest name and score, and each row's places covered."""

    def __init__(self, m: Matrix) -> None:
        self.m = m
        self._widest: dict[str, Place] = {}
        self._covered: dict[str, str] = {}
        self._name_and_score = [
            max(m.places, key=lambda pl: cell_len(pl.label)),
            max(m.places, key=lambda pl: cell_len(m.score(pl.label))),
        ] if m.places else []  # fmt: skip

    def widest(self, rows: Sequence[Row]) -> list[Place]:
        """The places whose lines make a table of places as rows as wide as all
        of them would (a column is as wide as its widest cell): a matrix of a
        thousand places is measured in a few lines."""
        m = self.m
        if len(m.places) <= 2 * (len(rows) + 2):
            return list(m.places)
        keep = {id(pl) for pl in self._name_and_score}
        for row in rows:
            if row.key not in self._widest:
                self._widest[row.key] = max(
                    m.places, key=lambda pl: cell_len(m.cell(row.key, pl.label).text)
                )
            keep.add(id(self._widest[row.key]))
        return [pl for pl in m.places if id(pl) in keep]

    def covered(self, row: Row) -> str:
        if row.key not in self._covered:
            self._covered[row.key] = self.m.places_covered(row)
        return self._covered[row.key]


def _rows_fit(
    measured: _Measured, out: Console, rows: Sequence[Row], color: str | None, short: bool
) -> bool:
    return _fits(out, _places_as_rows(measured.m, rows, color, short, measured))


def _columns_fit(
    m: Matrix, out: Console, places: Sequence[Place], color: str | None, wrap: bool = False
) -> bool:
    if len(places) * COLUMN_MIN_WIDTH > out.width:  # never, however they wrap
        return False
    return _fits(out, _places_as_columns(m, places, color), wrap=wrap)


def _print_place_rows(
    measured: _Measured, out: Console, table: _PlaceRows, color: str | None
) -> None:
    """A table of places as rows, as Rich prints it (see :func:`_place_lines`)."""
    segments = _place_lines(measured, out, table, color)
    if segments is None:
        out.print(_places_as_rows(measured.m, table.rows, color, table.short))
    else:
        out.print(Segments(segments), crop=False, no_wrap=True, overflow="ignore")


def _place_lines(
    measured: _Measured, out: Console, table: _PlaceRows, color: str | None
) -> list[Segment] | None:
    """The lines of a table of many places, as Rich would print them; ``None``
    when Rich must lay it out itself (few places, or a table that wraps).

    Rich lays out a cell at a time, which for a national directory's thousand
    places is most of the command. When the table fits the width, each column is
    as wide as its widest cell: Rich renders the header and the last lines of a
    table of the widest places only (:meth:`_Measured.widest`), and every place's
    line is made from those widths, aligned as Rich aligns a cell.
    """
    m, rows, short = measured.m, table.rows, table.short
    widest = measured.widest(rows)
    if len(widest) == len(m.places):
        return None
    skeleton = _places_as_rows(m, rows, color, short, measured)
    lines = out.render_lines(skeleton, out.options, pad=False)
    widths = _column_widths(skeleton)
    if (
        len(lines) != len(widest) + 4
        or Segment.get_line_length(lines[0]) != sum(widths) + len(widths) - 1
    ):  # wrapped or shrunk
        return None
    segments: list[Segment] = [*lines[0], Segment.line(), *lines[1], Segment.line()]
    for pl in m.places:
        line = [_aligned(rich_text(pl.label + " "), widths[0], "left")]
        for row, width in zip(rows, widths[1:], strict=False):
            line.append(_aligned(_cell_text(m.cell(row.key, pl.label), color), width, "center"))
        line.append(_aligned(rich_text(m.score(pl.label)), widths[-1], "right"))
        for i, segment in enumerate(line):
            if i:
                segments.append(_SPACE)
            segments.append(segment)
        segments.append(Segment.line())
    for last in lines[-2:]:
        segments.extend((*last, Segment.line()))
    return segments


_SPACE = Segment(" ")


def _column_widths(table: Table) -> list[int]:
    """Each column's width in a table that fits: its widest cell's (header too)."""
    widths = []
    for column in table.columns:
        found = [cell_len(_plain(column.header))]
        found.extend(cell_len(_plain(cell)) for cell in column.cells)
        widths.append(max(column.min_width or 0, *found))
    return widths


def _plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _aligned(text: Text, width: int, justify: str) -> Segment:
    """One cell's text as Rich aligns it in a column of ``width`` (no wrapping)."""
    plain = text.plain
    if justify == "left":
        plain += " " * (width - cell_len(plain))
    else:
        plain = plain.rstrip()
        left = (width - cell_len(plain)) // 2 if justify == "center" else width - cell_len(plain)
        plain = " " * left + plain
        plain += " " * (width - cell_len(plain))
    return Segment(plain, Style.parse(text.style) if isinstance(text.style, str) else text.style)


def _chunks(items: Sequence[_Item], fits: Callable[[list[_Item]], bool]) -> list[list[_Item]]:
    """``items`` cut greedily into runs for which ``fits(run)`` holds (at least one each)."""
    pages: list[list[_Item]] = []
    current: list[_Item] = []
    for item in items:
        if current and not fits([*current, item]):
            pages.append(current)
            current = []
        current.append(item)
    if current:
        pages.append(current)
    return pages


@dataclass(frozen=True)
class _PlaceRows:
    """A table of every place as a row and these rows as columns (printed by
    :func:`_print_place_rows`)."""

    rows: Sequence[Row]
    short: bool


def _layout(
    measured: _Measured, out: Console, color: str | None
) -> tuple[list[Table | _PlaceRows], bool]:
    """The tables to print, and whether area headers are abbreviated.

    Areas as rows and places as columns when that fits the width; otherwise
    (``detail="areas"``) places as rows and areas as columns, abbreviated if
    needed; on very narrow screens places as columns with wrapped names, or
    else several tables of area columns;
    with service rows, the places are split into several tables of columns.
    """
    m = measured.m
    if _columns_fit(m, out, m.places, color):
        return [_places_as_columns(m, m.places, color)], False
    if m.detail == "areas":
        for short in (False, True):
            if _rows_fit(measured, out, m.rows, color, short):
                return [_PlaceRows(m.rows, short)], short
        if _columns_fit(m, out, m.places, color, wrap=True):
            return [_places_as_columns(m, m.places, color)], False
        pages = _chunks(m.rows, lambda rows: _rows_fit(measured, out, rows, color, True))
        return [_PlaceRows(rows, True) for rows in pages], True
    place_pages = _chunks(m.places, lambda places: _columns_fit(m, out, places, color, wrap=True))
    return [_places_as_columns(m, places, color) for places in place_pages], False


def print_table(m: Matrix, out: Console) -> None:
    """The heatmap, its legend and the gaps with each place's score, for a terminal.

    Fits ``out.width`` (see :func:`_layout`); plain text without colour when the
    console has none (empty cells read ``--``, so they stand out anyway), without
    the spaces Rich pads lines with.
    """
    color = None
    if out.color_system and not out.no_color:
        color = "standard" if out.color_system in ("standard", "windows") else "full"
    if color:
        _print_table(m, out, color)
        return
    with out.capture() as captured:
        _print_table(m, out, color)
    text = "\n".join(line.rstrip() for line in captured.get().splitlines())
    out.file.write(text + "\n")


def _print_table(m: Matrix, out: Console, color: str | None) -> None:
    out.print(rich_text(m.title(), "bold"))
    if not m.places:
        out.print(
            rich_text(
                f"No provider has a {m.by} in its address: there are no places to show."
                " Try --by region or --by country."
            )
        )
        return
    out.print()
    measured = _Measured(m)
    tables, short = _layout(measured, out, color)
    for n, table in enumerate(tables, 1):
        if len(tables) > 1:
            out.print(rich_text(f"Part {n} of {len(tables)}", "italic"))
        if isinstance(table, _PlaceRows):
            _print_place_rows(measured, out, table, color)
        else:
            out.print(table)
    if short:
        _print_abbreviations(m, out)
    out.print(rich_text(LEGEND))
    out.print(rich_text(COVERED_LEGEND))
    if color:
        swatches = Text("Shading (providers): ")
        for level in SHADES:
            swatches.append(f" {SHADE_WORDS[level]} ", style=_style(level, color))
            swatches.append(" ")
        out.print(swatches)
    out.print()
    if not m.gaps:
        out.print(rich_text(NO_GAPS, "bold"))
        return
    out.print(rich_text(f"Gaps ({len(m.gaps)} of {len(m.places)} places)", "bold"))
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for g in m.gaps:
        line = Text()
        line.append_text(rich_text(g.place, "bold"))
        line.append(f" ({m.score(g.place)}): ")
        line.append_text(rich_text(g.details))
        grid.add_row(" *", line)
    out.print(grid)


def _print_abbreviations(m: Matrix, out: Console) -> None:
    """What the abbreviated column headers stand for, wrapped between keys."""
    keys = [f"{abbreviate(r.label)} = {r.label}" for r in m.rows if abbreviate(r.label) != r.label]
    text = "Columns:"
    for key in keys:  # wrapped between keys, never inside one
        if len(text) + 3 + len(key) > out.width and text.strip():
            out.print(rich_text(text + ";"))
            text = "        "
        text += (" " if text.endswith(":") or not text.strip() else ";  ") + key
    if keys:
        out.print(rich_text(text))


def _plain_console(buf: io.StringIO, width: int) -> Console:
    return Console(
        file=buf,
        width=width,
        no_color=True,
        color_system=None,
        force_terminal=False,
        highlight=False,
        markup=False,
        emoji=False,
    )


def table_text(m: Matrix, width: int = 80) -> str:
    """The terminal rendering as plain text (for ``--output`` with ``--format table``)."""
    buf = io.StringIO()
    print_table(m, _plain_console(buf, width))
    return buf.getvalue()


def _grid_table(grid: Grid, columns: Sequence[int]) -> Table:
    """The place labels and the ``columns`` (their indexes) of a planning matrix."""
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column(rich_text(grid.first), no_wrap=True)
    last = len(grid.columns) - 1
    for i in columns:
        wide = isinstance(grid.rows[0][1][i], str) if grid.rows else False
        table.add_column(
            rich_text(grid.columns[i]),
            justify="left" if wide else "right",
            overflow="fold",
            min_width=24 if wide and i == last else len(grid.columns[i]),
        )
    for label, cells in grid.rows:
        table.add_row(rich_text(label), *(rich_text(cell_text(cells[i])) for i in columns))
    return table


def print_grid(grid: Grid, out: Console) -> None:
    """A planning matrix as Rich tables (plain text when piped), then its notes. A
    matrix wider than the terminal is stacked: the columns that fit, then the next
    ones under them, each with the place labels, so no column is cut off."""
    out.print(rich_text(grid.title, "bold"))
    out.print()
    pages = _chunks(
        list(range(len(grid.columns))),
        lambda run: _fits(out, _grid_table(grid, run)),
    )
    for columns in pages:
        out.print(_grid_table(grid, columns))
        out.print()
    for note in grid.notes:
        out.print(rich_text(f"note: {note}"))


def grid_text(grid: Grid, width: int = 80) -> str:
    """A planning matrix as plain text (for ``--output`` with ``--format table``)."""
    buf = io.StringIO()
    print_grid(grid, Console(file=buf, width=width, no_color=True, color_system=None))
    return buf.getvalue()
