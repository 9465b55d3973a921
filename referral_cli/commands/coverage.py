"""``referral coverage``: the coverage matrix by place and strategy area, with its
gaps (its options; :mod:`.coverage_run` does the work)."""

from pathlib import Path
from typing import Annotated

import typer

from referral_cli.app import BomOption, DataOption, check_format, format_option
from referral_cli.errors import ExitStatus, UsageError
from referral_cli.output import formats_of, is_machine


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
    # the core: not loaded by --help
    from referral_cli.commands import coverage_run as run

    if bom and fmt != "csv":
        raise UsageError("--bom goes with --format csv")
    if compare is not None:
        if matrix != "areas":
            raise UsageError(f"--compare goes with the coverage matrix, not --matrix {matrix}")
        with run.as_flags():
            comparison = run.compare_with(compare, by, framework, detail, for_, area, sort, data)
        run.emit(run.render_comparison(comparison, fmt, bom), output, force, fmt)
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
    with run.as_flags():
        report, notes = run.build(by, framework, detail, for_, area, matrix, sort, data, fmt, ids)
    if fmt == "table" and output is None:
        run.print_report(report)
    else:
        run.emit(run.render(report, fmt, notes, ids, bom), output, force, fmt)
