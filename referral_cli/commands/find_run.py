"""What ``referral find`` does once its options are read (:mod:`.find` holds them):
the question answered, and the answer printed, written as a slip or, with --batch,
given for every line of a file."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import typer

from referral_cli.app import note_line, open_directory
from referral_cli.commands.find_table import print_table
from referral_cli.commands.slip_writing import write_slip
from referral_cli.config import load_config
from referral_cli.errors import ExitStatus, ReferralError, UsageError
from referral_cli.output import FORMAT_VERSION, MachineOutput, is_machine, write_output
from referral_cli.query.flags import resolve_word
from referral_cli.query.parser import length_problem, parse
from referral_cli.query.record import Query, merge
from referral_cli.search.answer import answer
from referral_cli.search.rules import SearchResult
from referral_cli.taxonomy import load

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


def asker(
    *,
    service: list[str] | None,
    area: list[str] | None,
    age: int | None,
    for_: list[str] | None,
    gender: str | None,
    trafficking: list[str] | None,
    language: list[str] | None,
    near: str | None,
    radius: float | None,
    limit: int,
    open_now: bool,
    online: bool,
    stated_only: bool,
    report_hours: float | None,
    data: str | None,
) -> Callable[[str | None], SearchResult]:
    """The answer to a question's text, with the flags of the command line: the
    flags' words, the settings and the directory read once for every question."""
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

    def ask(text: str | None) -> SearchResult:
        problem = length_problem(text or "")
        if problem is not None:
            raise UsageError(problem)
        q = merge(parse(text or "", tax, directory.countries), flags)
        q.text = text
        return answer(directory, q, home=cfg.home, **options)

    return ask


def print_answer(
    result: SearchResult,
    *,
    fmt: str | None,
    bom: bool,
    layout: str,
    fail_on_relaxed: bool,
    slip: bool,
    output: Path | None,
    lang: str,
    discreet: bool,
    name: str | None,
    page: str,
    force: bool,
) -> None:
    """The answer as a table or in a machine format, after its slip when asked for
    (printed instead of the answer when it goes to standard output)."""
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
            exit_if_relaxed(result.relaxed, fail_on_relaxed)
            return
    if is_machine(fmt):
        write_machine(result, fmt, bom)
    else:
        print_table(result, layout)
    exit_if_relaxed(result.relaxed, fail_on_relaxed)


def exit_if_relaxed(relaxed: list[str], fail_on_relaxed: bool) -> None:
    if relaxed and fail_on_relaxed:
        note_line(f"relaxed: {', '.join(dict.fromkeys(relaxed))}; exit 3 (--fail-on-relaxed)")
        raise typer.Exit(ExitStatus.RELAXED)


def piped_query() -> str | None:
    """The query piped in (``echo "shelter near Fresno" | referral find``) when none
    is given and stdin is not a terminal: one line, as ``--batch -`` reads many.
    Several lines are a usage error rather than one run-on question."""
    if sys.stdin is None or sys.stdin.isatty():
        return None
    lines = [line.strip() for line in read_lines("-") if line.strip()]
    if len(lines) > 1:
        raise UsageError(
            f"{len(lines)} lines on stdin: give one query, or answer each with --batch -"
        )
    return lines[0] if lines else None


def read_lines(source: str) -> list[str]:
    """The lines of a file or of stdin (``-``), as UTF-8 whatever the console's code
    page, with or without the BOM Notepad writes."""
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        return raw.decode("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        where = "standard input" if source == "-" else source
        raise ReferralError(f"{where}: cannot read queries ({exc})") from None


def run_batch(source: str, run: Any, fmt: str, fail_on_relaxed: bool, bom: bool) -> None:
    """Answer each line; NDJSON and CSV stream a line's answer as soon as it is ready."""
    lines = read_lines(source)
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

    def row(number: int, text: str, said: SearchResult | str) -> dict[str, Any]:
        """The answer to one line, its format version first (NDJSON keeps it)."""
        if isinstance(said, str):
            return {
                "format_version": FORMAT_VERSION,
                "line": number,
                "input": text,
                "error": said,
            }
        return {"line": number, "input": text, **said.as_dict()}

    def csv_rows() -> Iterator[dict[str, Any]]:
        for number, text, said in answers():
            if isinstance(said, str):
                yield {"line": number, "input": text, "error": said}
            else:
                yield from ({"line": number, "input": text, **r} for r in _csv_rows(said))

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
    exit_if_relaxed(relaxed, fail_on_relaxed)


def write_machine(result: SearchResult, fmt: str, bom: bool) -> None:
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
