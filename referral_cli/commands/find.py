"""``referral find``: the volunteer's question, answered with reasons (its options;
:mod:`.find_run` does the work)."""

from typing import Annotated

import typer

from referral_cli.app import BomOption, DataOption, LimitOption, format_option
from referral_cli.commands.slip_writing import (
    DiscreetOption,
    ForceOption,
    LangOption,
    NameOption,
    OutputOption,
    PageOption,
)
from referral_cli.commands.tonight_options import ReportHoursOption
from referral_cli.errors import ReferralError, UsageError
from referral_cli.output import formats_of, is_machine

LAYOUTS = ("auto", "compact", "full")


def _radius_option(value: float | None) -> float | None:
    """--radius within the range of the setting (Click's ranges let NaN through)."""
    # the core: not loaded by --help
    from referral_cli.config import bounded

    if value is None:
        return None
    try:
        return float(bounded("radius_km", value, "--radius"))
    except ReferralError as exc:
        raise UsageError(str(exc)) from None


def find(
    query: Annotated[
        str | None,
        typer.Argument(
            help="What the caller needs, in plain words (read from stdin when piped).",
            show_default=False,
        ),
    ] = None,
    near: Annotated[
        str | None,
        typer.Option(
            "--near", help="Town, ZIP code, 'X County', or 'lat,lon'.", show_default=False
        ),
    ] = None,
    radius: Annotated[
        float | None,
        typer.Option(
            "--radius",
            help="Search radius in km, 0.1 to 20000 (default 50, or config).",
            callback=_radius_option,
            show_default=False,
        ),
    ] = None,
    service: Annotated[
        list[str] | None,
        typer.Option(
            "--service",
            "-s",
            help="Service type (repeatable: providers of any, those meeting more first);"
            " see 'referral taxonomy'.",
            show_default=False,
        ),
    ] = None,
    area: Annotated[
        list[str] | None,
        typer.Option("--area", "-a", help="Strategy area (repeatable).", show_default=False),
    ] = None,
    age: Annotated[
        int | None,
        typer.Option("--age", help="Age of the person.", min=0, max=120, show_default=False),
    ] = None,
    for_: Annotated[
        list[str] | None,
        typer.Option(
            "--for",
            help="Who: minors, girls, women, men, lgbtq, … (repeatable).",
            show_default=False,
        ),
    ] = None,
    gender: Annotated[
        str | None, typer.Option("--gender", help="female | male | nonbinary.", show_default=False)
    ] = None,
    trafficking: Annotated[
        list[str] | None,
        typer.Option("--trafficking", help="sex | labor | organ.", show_default=False),
    ] = None,
    language: Annotated[
        list[str] | None,
        typer.Option(
            "--language",
            "-l",
            help="Language: code, BCP 47 tag or name, e.g. es, hmn, es-MX, Hmong.",
            show_default=False,
        ),
    ] = None,
    open_now: Annotated[bool, typer.Option("--open-now", help="Only providers open now.")] = False,
    stated_only: Annotated[
        bool,
        typer.Option(
            "--stated-eligibility",
            help="Leave out providers whose eligibility is not stated (imported records"
            " that say 'call to check').",
        ),
    ] = False,
    limit: LimitOption = 10,
    fmt: Annotated[str | None, format_option("find", default="table, ndjson with --batch")] = None,
    bom: BomOption = False,
    layout: Annotated[
        str,
        typer.Option(
            "--layout",
            help="Table layout: compact (two lines a result, fits the screen), full (every "
            "phone, address and reason), or auto (compact on a terminal, full when piped).",
        ),
    ] = "auto",
    online: Annotated[
        bool,
        typer.Option(
            "--online",
            help="If the place is not in the offline gazetteer, look it up on OpenStreetMap (sends the place text).",
        ),
    ] = False,
    batch: Annotated[
        str | None,
        typer.Option(
            "--batch",
            help="File of queries, one per line ('-' = stdin); prints NDJSON "
            "(or --format json/csv).",
            show_default=False,
        ),
    ] = None,
    fail_on_relaxed: Annotated[
        bool,
        typer.Option(
            "--fail-on-relaxed",
            help="Exit 3 when a filter was relaxed to show something (a language or "
            "--open-now nobody matched, a widened radius); the output is printed as usual.",
        ),
    ] = False,
    slip: Annotated[
        bool,
        typer.Option(
            "--slip",
            help="Make a referral slip of the results: printed as text, or written to "
            "--output (.txt/.md/.html/.pdf) while the results print as usual.",
        ),
    ] = False,
    output: OutputOption = None,
    lang: LangOption = "en",
    discreet: DiscreetOption = True,
    name: NameOption = None,
    page: PageOption = "letter",
    force: ForceOption = False,
    report_hours: ReportHoursOption = None,
    data: DataOption = None,
) -> None:
    """Find providers for a need, nearest and best-matching first, with the reasons.

    Free text and flags combine: "temporary shelter for minors near Fresno" is the same as
    --service temporary-shelter --for minors --near Fresno. Eligibility is a hard filter.

    The first line says what was understood, each fact with the words it came from;
    anything not used is named in a note. Words the tool does not know rank, never filter.
    A shelter's beds are said with when they were reported ("2 beds as of 09:10 today");
    for a shelter need, one reporting a free bed comes first. A provider closed or not
    taking referrals is never listed: a note (and JSON 'left_out') says which and why.

    Example: referral find "she's 15, needs a safe place tonight, Visalia" --language es
    """
    # the core: not loaded by --help
    from referral_cli.commands import find_run as run

    batch_formats = formats_of("find --batch")
    if batch is not None and fmt is not None and fmt not in batch_formats:
        raise UsageError(
            f"--batch answers many queries for scripts: use --format"
            f" {', '.join(batch_formats)}, not {fmt}"
        )
    if bom and fmt != "csv":
        raise UsageError("--bom goes with --format csv")
    if layout not in LAYOUTS:
        raise UsageError(f"--layout: use one of {', '.join(LAYOUTS)}, not '{layout}'")
    if batch is not None and query is not None:
        raise UsageError("give either a QUERY or --batch FILE, not both")
    if query is None and batch is None:
        query = run.piped_query()
    if (output is not None or name is not None) and not slip:
        raise UsageError("--output and --name go with --slip")
    if slip and output is None and is_machine(fmt):
        raise UsageError(
            f"--slip without --output prints the slip on stdout, not --format {fmt};"
            " add --output FILE to write the slip and print the results as " + fmt
        )
    if batch is not None and slip:
        raise UsageError("--slip makes a slip of one query's results; it does not go with --batch")
    ask = run.asker(
        service=service,
        area=area,
        age=age,
        for_=for_,
        gender=gender,
        trafficking=trafficking,
        language=language,
        near=near,
        radius=radius,
        limit=limit,
        open_now=open_now,
        online=online,
        stated_only=stated_only,
        report_hours=report_hours,
        data=data,
    )
    if batch is not None:
        run.run_batch(batch, ask, fmt or "ndjson", fail_on_relaxed, bom)
        return
    run.print_answer(
        ask(query),
        fmt=fmt,
        bom=bom,
        layout=layout,
        fail_on_relaxed=fail_on_relaxed,
        slip=slip,
        output=output,
        lang=lang,
        discreet=discreet,
        name=name,
        page=page,
        force=force,
    )
