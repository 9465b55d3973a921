"""``referral find``: the volunteer's question, answered with reasons."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from referral_cli.app import (
    BomOption,
    DataOption,
    LimitOption,
    format_option,
    note_line,
    open_directory,
)
from referral_cli.commands.slip_writing import (
    DiscreetOption,
    ForceOption,
    LangOption,
    NameOption,
    OutputOption,
    PageOption,
    write_slip,
)
from referral_cli.commands.tonight_options import ReportHoursOption
from referral_cli.errors import ExitStatus, ReferralError, UsageError
from referral_cli.output import FORMAT_VERSION, MachineOutput, formats_of, is_machine, write_output

if TYPE_CHECKING:
    from referral_cli.search.rules import SearchResult

LAYOUTS = ("auto", "compact", "full")
CSV_COLUMNS = (
    "id",
    "name",
    "phone",
    "hotline",
    "distance_km",
    "reach",
    "services",
    "city",
    "region",
    "country",
    "languages",
    "score",
    "reasons",
    "notes",
    "relaxed",
)


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
    from referral_cli.config import load_config
    from referral_cli.query.flags import resolve_word
    from referral_cli.query.parser import length_problem, parse
    from referral_cli.query.record import Query, merge
    from referral_cli.search.answer import answer
    from referral_cli.taxonomy import load

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
        query = _piped_query()
    if (output is not None or name is not None) and not slip:
        raise UsageError("--output and --name go with --slip")
    if slip and output is None and is_machine(fmt):
        raise UsageError(
            f"--slip without --output prints the slip on stdout, not --format {fmt};"
            " add --output FILE to write the slip and print the results as " + fmt
        )
    if batch is not None and slip:
        raise UsageError("--slip makes a slip of one query's results; it does not go with --batch")
    tax = load()
    flags = Query(
        services=[resolve_word("service", s, tax) for s in service or []],
        areas=[resolve_word("area", a, tax) for a in area or []],
        age=age,
        populations=[resolve_word("population", p, tax) for p in for_ or []],
        gender=resolve_word("gender", gender, tax) if gender else None,
        trafficking=[resolve_word("trafficking", t, tax) for t in trafficking or []],
        languages=[resolve_word("language", lang, tax) for lang in language or []],
        place=near,
    )
    cfg = load_config()
    directory = open_directory(data, say_left_out=False)  # in every result's notes
    options: dict[str, Any] = {
        "radius": radius if radius is not None else cfg.radius_km,
        "limit": limit,
        "open_now": open_now,
        "online": online or cfg.online,
        "stated_only": stated_only,
        "report_hours": cfg.report_hours if report_hours is None else report_hours,
    }

    def run(text: str | None) -> SearchResult:
        problem = length_problem(text or "")
        if problem is not None:
            raise UsageError(problem)
        q = merge(parse(text or "", tax, directory.countries), flags)
        q.text = text
        return answer(directory, q, home=cfg.home, **options)

    if batch is not None:
        _run_batch(batch, run, fmt or "ndjson", fail_on_relaxed, bom)
        return
    result = run(query)
    if slip:
        if not result.results:
            for note in result.notes:
                note_line(note)
            raise ReferralError("no provider matches, so there is no slip to make")
        write_slip(
            [r.provider for r in result.results],
            fmt=None,
            output=output,
            lang=lang,
            discreet=discreet,
            name=name,
            page=page,
            force=force,
        )
        if output is None:
            for note in result.notes:
                note_line(note)
            _exit_if_relaxed(result.relaxed, fail_on_relaxed)
            return
    if is_machine(fmt):
        _write_machine(result, fmt, bom)
    else:
        # Rich tables: not loaded by --help nor a machine format
        from referral_cli.commands.find_table import print_table

        print_table(result, layout)
    _exit_if_relaxed(result.relaxed, fail_on_relaxed)


def _exit_if_relaxed(relaxed: list[str], fail_on_relaxed: bool) -> None:
    if relaxed and fail_on_relaxed:
        note_line(f"relaxed: {', '.join(dict.fromkeys(relaxed))}; exit 3 (--fail-on-relaxed)")
        raise typer.Exit(ExitStatus.RELAXED)


def _piped_query() -> str | None:
    """The query piped in (``echo "shelter near Fresno" | referral find``) when none
    is given and stdin is not a terminal: one line, as ``--batch -`` reads many.
    Several lines are a usage error rather than one run-on question."""
    if sys.stdin is None or sys.stdin.isatty():
        return None
    lines = [line.strip() for line in _read_lines("-") if line.strip()]
    if len(lines) > 1:
        raise UsageError(
            f"{len(lines)} lines on stdin: give one query, or answer each with --batch -"
        )
    return lines[0] if lines else None


def _read_lines(source: str) -> list[str]:
    """The lines of a file or of stdin (``-``), as UTF-8 whatever the console's code
    page, with or without the BOM Notepad writes."""
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        return raw.decode("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        where = "standard input" if source == "-" else source
        raise ReferralError(f"{where}: cannot read queries ({exc})") from None


def _run_batch(source: str, run: Any, fmt: str, fail_on_relaxed: bool, bom: bool) -> None:
    """Answer each line; NDJSON and CSV stream a line's answer as soon as it is ready."""
    lines = _read_lines(source)
    failed = 0
    relaxed: list[str] = []

    def answers() -> Iterator[tuple[int, str, SearchResult | str]]:
        """(line number, query, its answer or the error), each line answered
        after what the one before it wrote has gone out."""
        nonlocal failed
        for number, line in enumerate(lines, 1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            sys.stdout.flush()
            try:
                result = run(text)
            except ReferralError as exc:
                failed += 1
                yield number, text, str(exc)
            else:
                relaxed.extend(result.relaxed)
                yield number, text, result

    def row(number: int, text: str, answer: SearchResult | str) -> dict[str, Any]:
        """The answer to one line, its format version first (NDJSON keeps it)."""
        if isinstance(answer, str):
            return {
                "format_version": FORMAT_VERSION,
                "line": number,
                "input": text,
                "error": answer,
            }
        return {"line": number, "input": text, **answer.as_dict()}

    def csv_rows() -> Iterator[dict[str, Any]]:
        for number, text, answer in answers():
            if isinstance(answer, str):
                yield {"line": number, "input": text, "error": answer}
            else:
                yield from ({"line": number, "input": text, **r} for r in _csv_rows(answer))

    def document() -> dict[str, Any]:
        rows = [row(*a) for a in answers()]
        for r in rows:
            r.pop("format_version")
        return {"format_version": FORMAT_VERSION, "answers": rows}

    out = MachineOutput(
        document,
        csv_rows,
        ("line", "input", *CSV_COLUMNS, "error"),
        lines=lambda: (row(*a) for a in answers()),
    )
    write_output(fmt, out, bom=bom)
    if failed:
        note_line(f"{failed} batch line(s) failed; see their 'error' field")
        raise typer.Exit(ExitStatus.ERROR)
    _exit_if_relaxed(relaxed, fail_on_relaxed)


def _write_machine(result: SearchResult, fmt: str, bom: bool) -> None:
    """JSON: one object; NDJSON: one result per line, then the summary (the line
    without an ``id``); CSV: one row per result, the notes in every row."""
    out = MachineOutput(
        result.as_dict,
        lambda: _csv_rows(result),
        CSV_COLUMNS,
        lines=lambda: [*(r.as_dict() for r in result.results), result.summary()],
    )
    write_output(fmt, out, bom=bom)
    for note in result.notes:
        note_line(note)


def _csv_rows(result: SearchResult) -> list[dict[str, Any]]:
    """A row per result; with none, one row with an empty id that carries the notes."""
    # Notes can hold "; " themselves, so they are joined with " | ".
    shared = {"notes": " | ".join(result.notes), "relaxed": result.relaxed}
    rows = []
    for r in result.results:
        row = r.as_dict()
        address = row.get("address") or {}
        rows.append(
            {
                **row,
                "city": address.get("city"),
                "region": address.get("region"),
                "country": address.get("country"),
                **shared,
            }
        )
    return rows or [shared]
