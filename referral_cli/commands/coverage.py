"""``referral coverage``: the coverage matrix by place and strategy area, with its gaps."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from referral_cli.app import DataOption, app, check_format, note_line, open_directory
from referral_cli.errors import UsageError

if TYPE_CHECKING:
    from referral_cli.coverage.model import Matrix
    from referral_cli.coverage.plans import Grid

FORMATS = ("table", "json", "csv", "markdown", "html")
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


@contextlib.contextmanager
def _as_flags() -> Iterator[None]:
    """An unknown value the coverage package reports, as the usage error of its flag."""
    from referral_cli.coverage.choices import UnknownChoice

    try:
        yield
    except UnknownChoice as e:
        raise UsageError(f"{FLAGS[e.parameter]}: {e.reason}") from None


@app.command()
def coverage(
    by: Annotated[
        str, typer.Option("--by", help="Places as columns: county | city | region | country.")
    ] = "county",
    framework: Annotated[
        str | None,
        typer.Option("--framework", help="freedom (default) | sos | prr | 5p.", show_default=False),
    ] = None,
    detail: Annotated[
        str, typer.Option("--detail", help="Rows: areas | services (service types within areas).")
    ] = "areas",
    for_: Annotated[
        str | None,
        typer.Option(
            "--for",
            help="Count only providers that serve: minors, adults, women, men, girls, lgbtq, …",
            show_default=False,
        ),
    ] = None,
    area: Annotated[
        str | None,
        typer.Option("--area", "-a", help="Only this area of the framework.", show_default=False),
    ] = None,
    matrix: Annotated[
        str,
        typer.Option(
            "--matrix",
            "-m",
            help="areas (the coverage matrix) | capacity (beds by population) | languages "
            "(spoken in person) | stale (records not verified in a year).",
        ),
    ] = "areas",
    sort: Annotated[
        str,
        typer.Option(
            "--sort", help="Places by name, or by gaps: those in most need first (name | gaps)."
        ),
    ] = "name",
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table | json | csv | markdown | html.")
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to FILE instead of standard output.", show_default=False
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing --output file.")
    ] = False,
    data: DataOption = None,
) -> None:
    """Show which strategy areas each place has (located and remote providers) and the gaps.

    Cells read "2+1": 2 providers located in the place + 1 remote or statewide
    service reaching it; "--" is a gap. --format html writes one self-contained
    page to mail to partners.

    Example: referral coverage --by county --for minors --format html -o coverage.html
    """
    with _as_flags():
        _coverage(by, framework, detail, for_, area, matrix, sort, fmt, output, force, data)


def _coverage(
    by: str,
    framework: str | None,
    detail: str,
    population: str | None,
    area: str | None,
    matrix: str,
    sort: str,
    fmt: str,
    output: Path | None,
    force: bool,
    data: str | None,
) -> None:
    # The coverage package loads Rich and the taxonomy: only this command needs them.
    from referral_cli.coverage import choices, count, model, render_text
    from referral_cli.output import console
    from referral_cli.taxonomy import load

    check_format(fmt, FORMATS)
    tax = load()
    # Usage errors before the directory is read.
    choices.resolve_choice("by", by, model.BY_CHOICES)
    choices.resolve_choice("detail", detail, model.DETAILS)
    choices.resolve_choice("sort", sort, model.SORTS)
    fw = choices.resolve_framework(framework, tax)
    if population:
        choices.resolve_population(population, tax)
    if area:
        choices.resolve_area(area, fw)

    if matrix != "areas":
        _plan(matrix, by, population, detail, area, sort, fmt, output, force, data)
        return
    directory = open_directory(data)
    coverage_matrix = count.count(
        directory.providers,
        by=by,
        framework=fw.key,
        detail=detail,
        population=population,
        area=area,
        sort=sort,
        tax=tax,
    )
    if fmt == "table" and output is None:
        render_text.print_table(coverage_matrix, console())
        return
    _emit(_render(coverage_matrix, fmt, directory.notes), output, force)


def _emit(text: str, output: Path | None, force: bool) -> None:
    if output is None:
        typer.echo(text, nl=False)
        return
    from referral_cli.files import write_atomic

    write_atomic(output, text.encode("utf-8"), force=force)
    note_line(f"wrote {output}")


def _plan(
    kind: str,
    by: str,
    population: str | None,
    detail: str,
    area: str | None,
    sort: str,
    fmt: str,
    output: Path | None,
    force: bool,
    data: str | None,
) -> None:
    """``--matrix capacity|languages|stale``: a planning matrix (coverage.plans)."""
    from referral_cli.config import load_config
    from referral_cli.coverage import choices, model, plans, render_text
    from referral_cli.output import console
    from referral_cli.taxonomy import load

    kind = choices.resolve_choice("matrix", kind, model.MATRICES)
    for flag, given in (
        ("--detail", detail != "areas"),
        ("--area", area),
        ("--sort", sort != "name"),
    ):
        if given:
            raise UsageError(f"{flag} goes with the coverage matrix, not --matrix {kind}")
    tax = load()
    pop = choices.resolve_population(population, tax) if population else None
    directory = open_directory(data)
    grid = plans.build(
        kind,
        directory.providers,
        by=by,
        population=pop,
        stale_days=load_config().stale_days,
        tax=tax,
    )
    if fmt == "table" and output is None:
        render_text.print_grid(grid, console())
        return
    _emit(_render_grid(grid, fmt, directory.notes), output, force)


def _render(matrix: Matrix, fmt: str, notes: list[str]) -> str:
    """The matrix as text in ``fmt`` (the table as plain text, 80 columns); JSON
    carries ``notes`` (what the directory left out)."""
    from referral_cli.coverage import model, render_html, render_markdown, render_text

    if fmt == "json":
        return _json(matrix.as_dict(), notes)
    if fmt == "csv":
        return _csv(matrix.csv_rows(), model.CSV_COLUMNS)
    if fmt == "markdown":
        return render_markdown.markdown(matrix)
    if fmt == "html":
        return render_html.html(matrix)
    return render_text.table_text(matrix)


def _render_grid(grid: Grid, fmt: str, notes: list[str]) -> str:
    """A planning matrix as text in ``fmt``, as :func:`_render` does the coverage matrix."""
    from referral_cli.coverage import render_html, render_markdown, render_text

    if fmt == "json":
        return _json(grid.as_dict(), notes)
    if fmt == "csv":
        return _csv(grid.csv_rows(), grid.csv_columns)
    if fmt == "markdown":
        return render_markdown.grid_markdown(grid)
    if fmt == "html":
        return render_html.grid_html(grid)
    return render_text.grid_text(grid)


def _json(doc: dict[str, Any], notes: list[str]) -> str:
    from referral_cli.output import write_json

    buf = io.StringIO()
    doc["notes"] = [*doc.get("notes", []), *notes]
    write_json(doc, buf)
    return buf.getvalue()


def _csv(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    from referral_cli.output import write_csv

    buf = io.StringIO()
    write_csv(rows, columns, buf)
    return buf.getvalue()
