"""``referral coverage``: the coverage matrix by place and strategy area, with its gaps."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from referral_cli.app import (
    BomOption,
    DataOption,
    check_format,
    format_option,
    note_line,
    open_directory,
)
from referral_cli.errors import ExitStatus, UsageError
from referral_cli.output import (
    FORMATS,
    MachineOutput,
    console,
    formats_of,
    is_machine,
    native_newlines,
    utf8_stdout,
    write_output,
)

if TYPE_CHECKING:
    from referral_cli.coverage.compare import Comparison
    from referral_cli.coverage.model import Matrix
    from referral_cli.coverage.plans import Grid
    from referral_cli.output import MachineOutput

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
    # the core: not loaded by --help
    from referral_cli.coverage.choices import UnknownChoice

    try:
        yield
    except UnknownChoice as e:
        raise UsageError(f"{FLAGS[e.parameter]}: {e.reason}") from None


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
        str, format_option("coverage", "coverage --compare", more="; github with --compare")
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
    bom: BomOption = False,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            help="Another directory (an existing folder or file), else a git revision of the"
            " directory's repository (HEAD~1, main): say what going from it to this directory"
            " does to the gaps.",
            show_default=False,
        ),
    ] = None,
    fail_on_new_gaps: Annotated[
        bool,
        typer.Option(
            "--fail-on-new-gaps",
            help="With --compare: exit 4 when the change opens a gap or leaves a place only"
            " remote help in an area.",
        ),
    ] = False,
    ids: Annotated[
        bool,
        typer.Option(
            "--ids",
            help="With a machine format (json, csv): also list each cell's providers by id"
            " (counts only without it).",
        ),
    ] = False,
    data: DataOption = None,
) -> None:
    """Show which strategy areas each place has (located and remote providers) and the gaps.

    Cells read "2+1": 2 providers located in the place + 1 remote or statewide
    service reaching it; "--" is a gap. --format html writes one self-contained
    page to mail to partners.

    --compare REV|PATH counts the directory as of a git revision (or another
    directory) with the same options and lists, in plain words, the gaps the
    change opens and closes, the places left only remote help and the beds lost.

    Example: referral coverage --by county --for minors --format html -o coverage.html

    Example: referral coverage --compare HEAD~1 --fail-on-new-gaps --format markdown
    """
    if bom and fmt != "csv":
        raise UsageError("--bom goes with --format csv")
    if compare is not None:
        if matrix != "areas":
            raise UsageError(f"--compare goes with the coverage matrix, not --matrix {matrix}")
        with _as_flags():
            comparison = _compare(compare, by, framework, detail, for_, area, sort, data)
        _emit(_render_comparison(comparison, fmt, bom), output, force, fmt)
        if fail_on_new_gaps and comparison.new_gaps:
            raise typer.Exit(ExitStatus.NEW_GAPS)
        return
    if fail_on_new_gaps:
        raise UsageError("--fail-on-new-gaps goes with --compare REV|PATH")
    check_format(fmt, formats_of("coverage"))
    if ids and not is_machine(fmt):
        machine = [f for f in formats_of("coverage") if is_machine(f)]
        raise UsageError(f"--ids lists ids in --format {' or '.join(machine)}, not {fmt}")
    if ids and matrix != "areas":
        raise UsageError(f"--ids goes with the coverage matrix, not --matrix {matrix}")
    with _as_flags():
        report, notes = _build(by, framework, detail, for_, area, matrix, sort, data, fmt, ids)
    if fmt == "table" and output is None:
        # the core: not loaded by --help
        from referral_cli.coverage import render_text
        from referral_cli.coverage.plans import Grid

        if isinstance(report, Grid):
            render_text.print_grid(report, console())
        else:
            render_text.print_table(report, console())
        return
    _emit(_render(report, fmt, notes, ids, bom), output, force, fmt)


def _build(
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
    # The coverage package loads Rich and the taxonomy: only this command needs them.
    from referral_cli.config import load_config
    from referral_cli.coverage import choices, count, model, plans
    from referral_cli.taxonomy import load

    tax = load()
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


def _compare(
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
    # the core: not loaded by --help
    from referral_cli.coverage import compare, count
    from referral_cli.directory import display_path, load
    from referral_cli.revision import checked_out
    from referral_cli.taxonomy import load as load_taxonomy

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
        old = load(old_location, "--compare", use_cache=False)
        for note in old.notes:
            note_line(f"{against}: {note}")
        old_providers = list(old.providers)
    before = count.count(old_providers, **options)
    return compare.compare(
        before,
        after,
        old_providers,
        directory.providers,
        before_label=against,
        after_label=display_path(directory.location),
        tax=tax,
    )


def _render_comparison(c: Comparison, fmt: str, bom: bool) -> str:
    # the core: not loaded by --help
    from referral_cli.coverage import render_compare

    if is_machine(fmt):
        return _machine(
            fmt, MachineOutput(lambda: _with_notes(c.as_dict(), []), c.csv_rows, c.csv_columns), bom
        )
    renderers = {
        "markdown": render_compare.markdown,
        "html": render_compare.html,
        "github": render_compare.github,
    }
    return renderers.get(fmt, render_compare.text)(c)


def _emit(text: str, output: Path | None, force: bool, fmt: str) -> None:
    """To standard output, or to ``output`` in UTF-8 (text, CSV and Markdown in
    the platform's line endings, as standard output would give them)."""
    if output is None:
        utf8_stdout().write(text)
        return
    # the core: not loaded by --help
    from referral_cli.files import write_atomic

    if FORMATS[fmt].opened_by_people:
        text = native_newlines(text)
    write_atomic(output, text.encode("utf-8"), force=force)
    note_line(f"wrote {output}")


def _render(report: Matrix | Grid, fmt: str, notes: list[str], ids: bool, bom: bool) -> str:
    """The coverage matrix or a planning matrix as text in ``fmt`` (the table as
    plain text, 80 columns); JSON carries ``notes`` (what the directory left out),
    JSON and CSV the cells' ids with ``ids``."""
    # the core: not loaded by --help
    from referral_cli.coverage import render_html, render_markdown, render_text
    from referral_cli.coverage.model import COUNT_COLUMNS
    from referral_cli.coverage.plans import Grid

    if isinstance(report, Grid):
        if is_machine(fmt):
            grid = report
            out = MachineOutput(
                lambda: _with_notes(grid.as_dict(), notes), grid.csv_rows, grid.csv_columns
            )
            return _machine(fmt, out, bom)
        if fmt == "markdown":
            return render_markdown.grid_markdown(report)
        return render_html.grid_html(report) if fmt == "html" else render_text.grid_text(report)
    if is_machine(fmt):
        matrix = report
        out = MachineOutput(
            lambda: _with_notes(matrix.as_dict(ids), notes),
            lambda: matrix.csv_rows(ids),
            matrix.csv_columns if ids else COUNT_COLUMNS,
        )
        return _machine(fmt, out, bom)
    if fmt == "markdown":
        return render_markdown.markdown(report)
    return render_html.html(report) if fmt == "html" else render_text.table_text(report)


def _with_notes(doc: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """The JSON document with the directory's notes after its own."""
    doc["notes"] = [*doc.get("notes", []), *notes]
    return doc


def _machine(fmt: str, out: MachineOutput, bom: bool) -> str:
    """``out`` written in ``fmt``, as text for :func:`_emit`."""
    buf = io.StringIO()
    write_output(fmt, out, buf, bom=bom)
    return buf.getvalue()
