"""What ``referral coverage`` does once its options are read (:mod:`.coverage`
holds them): the matrix or the comparison counted, rendered and written."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from referral_cli.app import note_line, open_directory
from referral_cli.config import load_config
from referral_cli.coverage import (
    choices,
    count,
    model,
    plans,
    render_html,
    render_markdown,
    render_text,
)
from referral_cli.coverage.model import COUNT_COLUMNS, Matrix
from referral_cli.coverage.plans import Grid
from referral_cli.directory import display_path
from referral_cli.directory import load as load_directory
from referral_cli.errors import UsageError
from referral_cli.files import write_atomic
from referral_cli.output import (
    FORMATS,
    MachineOutput,
    console,
    is_machine,
    native_newlines,
    utf8_stdout,
    write_output,
)
from referral_cli.taxonomy import load as load_taxonomy

if TYPE_CHECKING:
    from referral_cli.coverage.compare import Comparison

# The parameter an UnknownChoice of the coverage package names -> the flag that gave it.
FLAGS = {
    "by": "--by",
    "detail": "--detail",
    "sort": "--sort",
    "matrix": "--matrix",
    "framework": "--framework",
    "population": "--for",
    "area": "--area",
}

# The formats coverage renders itself (output.FORMATS writes the machine ones), as
# text: the table as plain text, 80 columns, when it goes to a file or a pipe.
MATRIX_RENDERERS: dict[str, Callable[[Matrix], str]] = {
    "table": render_text.table_text,
    "markdown": render_markdown.markdown,
    "html": render_html.html,
}
GRID_RENDERERS: dict[str, Callable[[Grid], str]] = {
    "table": render_text.grid_text,
    "markdown": render_markdown.grid_markdown,
    "html": render_html.grid_html,
}


@contextlib.contextmanager
def as_flags() -> Iterator[None]:
    """An unknown value the coverage package reports, as the usage error of its flag."""
    try:
        yield
    except choices.UnknownChoice as e:
        raise UsageError(f"{FLAGS[e.parameter]}: {e.reason}") from None


def build(
    by: str,
    framework: str | None,
    detail: str,
    population: str | None,
    area: str | None,
    matrix: str,
    sort: str,
    data: str | None,
    fmt: str,
    ids: bool,
) -> tuple[Matrix | Grid, list[str]]:
    """The coverage matrix, or with ``--matrix capacity|languages|stale`` a planning
    matrix, and the notes of the directory (what it left out). Every option is
    checked before the directory is read; the matrix carries ids (``ids``) and
    remote services only for the formats that print them."""
    tax = load_taxonomy()
    choices.resolve_choice("by", by, model.BY_CHOICES)
    choices.resolve_choice("detail", detail, model.DETAILS)
    choices.resolve_choice("sort", sort, model.SORTS)
    fw = choices.resolve_framework(framework, tax)
    pop = choices.resolve_population(population, tax) if population else None
    if area:
        choices.resolve_area(area, fw)
    if matrix == "areas":
        directory = open_directory(data)
        report: Matrix | Grid = count.count(
            directory,
            by=by,
            framework=fw.key,
            detail=detail,
            population=population,
            area=area,
            sort=sort,
            tax=tax,
            ids=ids,
            remote_services=fmt == "html",  # the only format that lists them
        )
        return report, directory.notes
    kind = choices.resolve_choice("matrix", matrix, model.MATRICES)
    for flag, given in (
        ("--detail", detail != "areas"),
        ("--area", area),
        ("--sort", sort != "name"),
    ):
        if given:
            raise UsageError(f"{flag} goes with the coverage matrix, not --matrix {kind}")
    directory = open_directory(data)
    grid = plans.build(
        kind,
        directory.providers,
        by=by,
        population=pop,
        stale_days=load_config().stale_days,
        tax=tax,
        report_hours=load_config().report_hours,
    )
    return grid, directory.notes


def compare_with(
    against: str,
    by: str,
    framework: str | None,
    detail: str,
    population: str | None,
    area: str | None,
    sort: str,
    data: str | None,
) -> Comparison:
    """The directory's coverage beside the coverage of ``against`` (a folder or file
    that exists, else a git revision of the repository holding the directory)."""
    # --compare only: git (subprocess) and the comparison stay out of a plain run
    from referral_cli.coverage.compare import compare
    from referral_cli.revision import checked_out

    tax = load_taxonomy()
    directory = open_directory(data)
    options: dict[str, Any] = {
        "by": by,
        "framework": framework,
        "detail": detail,
        "population": population,
        "area": area,
        "sort": sort,
        "tax": tax,
    }
    after = count.count(directory.providers, **options)
    given = Path(against)
    with contextlib.ExitStack() as stack:
        if given.exists():
            old_location = given
        else:
            old_location = stack.enter_context(checked_out(against, directory.location))
        old = load_directory(old_location, "--compare", use_cache=False)
        for note in old.notes:
            note_line(f"{against}: {note}")
        old_providers = list(old.providers)
    before = count.count(old_providers, **options)
    return compare(
        before,
        after,
        old_providers,
        directory.providers,
        before_label=against,
        after_label=display_path(directory.location),
        tax=tax,
    )


def render_comparison(c: Comparison, fmt: str, bom: bool) -> str:
    from referral_cli.coverage import render_compare  # --compare only

    if is_machine(fmt):
        return _machine(
            fmt, MachineOutput(lambda: _with_notes(c.as_dict(), []), c.csv_rows, c.csv_columns), bom
        )
    renderers = {
        "table": render_compare.text,
        "markdown": render_compare.markdown,
        "html": render_compare.html,
        "github": render_compare.github,
    }
    return renderers[fmt](c)


def emit(text: str, output: Path | None, force: bool, fmt: str) -> None:
    """To standard output, or to ``output`` in UTF-8 (text, CSV and Markdown in
    the platform's line endings, as standard output would give them)."""
    if output is None:
        utf8_stdout().write(text)
        return
    if FORMATS[fmt].opened_by_people:
        text = native_newlines(text)
    write_atomic(output, text.encode("utf-8"), force=force)
    note_line(f"wrote {output}")


def render(report: Matrix | Grid, fmt: str, notes: list[str], ids: bool, bom: bool) -> str:
    """The coverage matrix or a planning matrix as text in ``fmt`` (the table as
    plain text, 80 columns); JSON carries ``notes`` (what the directory left out),
    JSON and CSV the cells' ids with ``ids``."""
    if isinstance(report, Grid):
        if is_machine(fmt):
            grid = report
            out = MachineOutput(
                lambda: _with_notes(grid.as_dict(), notes), grid.csv_rows, grid.csv_columns
            )
            return _machine(fmt, out, bom)
        return GRID_RENDERERS[fmt](report)
    if is_machine(fmt):
        matrix = report
        out = MachineOutput(
            lambda: _with_notes(matrix.as_dict(ids), notes),
            lambda: matrix.csv_rows(ids),
            matrix.csv_columns if ids else COUNT_COLUMNS,
        )
        return _machine(fmt, out, bom)
    return MATRIX_RENDERERS[fmt](report)


def _with_notes(doc: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """The JSON document with the directory's notes after its own."""
    doc["notes"] = [*doc.get("notes", []), *notes]
    return doc


def _machine(fmt: str, out: MachineOutput, bom: bool) -> str:
    """``out`` written in ``fmt``, as text for :func:`emit`."""
    buf = io.StringIO()
    write_output(fmt, out, buf, bom=bom)
    return buf.getvalue()


def print_report(report: Matrix | Grid) -> None:
    """The matrix as a table on the terminal."""
    if isinstance(report, Grid):
        render_text.print_grid(report, console())
    else:
        render_text.print_table(report, console())
