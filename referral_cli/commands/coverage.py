"""``referral coverage``: the coverage matrix by place and strategy area, with its gaps."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from referral_cli.app import DataOption, app, check_format, note_line, open_directory

if TYPE_CHECKING:
    from referral_cli.coverage import Matrix

FORMATS = ("table", "json", "csv", "markdown", "html")


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
    from referral_cli import coverage as cov
    from referral_cli.taxonomy import load

    check_format(fmt, FORMATS)
    tax = load()
    # Usage errors before the directory is read.
    cov.resolve_choice("--by", by, cov.BY_CHOICES)
    cov.resolve_choice("--detail", detail, cov.DETAILS)
    cov.resolve_choice("--sort", sort, cov.SORTS)
    fw = cov.resolve_framework(framework, tax)
    if for_:
        cov.resolve_population(for_, tax)
    if area:
        cov.resolve_area(area, fw)

    if matrix != "areas":
        _plan(matrix, by, for_, detail, area, sort, fmt, output, force, data)
        return
    directory = open_directory(data)
    coverage_matrix = cov.build(
        directory,
        by=by,
        framework=fw.key,
        detail=detail,
        population=for_,
        area=area,
        sort=sort,
        tax=tax,
    )
    if fmt == "table" and output is None:
        from referral_cli.output import console

        cov.print_table(coverage_matrix, console())
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
    """``--matrix capacity|languages|stale``: a planning matrix (coverage_plans)."""
    import io

    from referral_cli import coverage as cov
    from referral_cli import coverage_plans as plans
    from referral_cli.config import load_config
    from referral_cli.errors import UsageError
    from referral_cli.output import write_csv, write_json
    from referral_cli.taxonomy import load

    kind = cov.resolve_choice("--matrix", kind, plans.MATRICES)
    for flag, given in (
        ("--detail", detail != "areas"),
        ("--area", area),
        ("--sort", sort != "name"),
    ):
        if given:
            raise UsageError(f"{flag} goes with the coverage matrix, not --matrix {kind}")
    tax = load()
    pop = cov.resolve_population(population, tax) if population else None
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
        from referral_cli.output import console

        plans.print_table(grid, console())
        return
    buf = io.StringIO()
    if fmt == "json":
        doc = grid.as_dict()
        doc["notes"] = [*doc.get("notes", []), *directory.notes]
        write_json(doc, buf)
    elif fmt == "csv":
        write_csv(grid.csv_rows(), grid.csv_columns, buf)
    elif fmt == "markdown":
        buf.write(plans.markdown(grid))
    elif fmt == "html":
        buf.write(plans.html(grid))
    else:
        buf.write(plans.table_text(grid))
    _emit(buf.getvalue(), output, force)


def _render(matrix: Matrix, fmt: str, notes: list[str]) -> str:
    """The matrix as text in ``fmt`` (the table as plain text, 80 columns); JSON
    carries ``notes`` (what the directory left out)."""
    import io

    from referral_cli import coverage
    from referral_cli.output import write_csv, write_json

    if fmt == "json":
        buf = io.StringIO()
        doc = matrix.as_dict()
        doc["notes"] = [*doc.get("notes", []), *notes]
        write_json(doc, buf)
        return buf.getvalue()
    if fmt == "csv":
        buf = io.StringIO()
        write_csv(matrix.csv_rows(), coverage.CSV_COLUMNS, buf)
        return buf.getvalue()
    if fmt == "markdown":
        return coverage.markdown(matrix)
    if fmt == "html":
        return coverage.html(matrix)
    return coverage.table_text(matrix)
