"""Writing a referral slip: the options and the writing that ``slip``, ``find --slip``
and ``call`` share (no command of its own, so importing it registers nothing)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from referral_cli.app import note_line
from referral_cli.errors import UsageError
from referral_cli.output import FORMATS, native_newlines

if TYPE_CHECKING:
    from referral_cli.records.model import Provider
    from referral_cli.slips.options import SlipOptions

SUFFIX_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}

# Options shared by ``slip`` and ``find --slip``.
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the slip to this file (its suffix .txt/.md/.html/.pdf picks the format).",
        show_default=False,
        dir_okay=False,
    ),
]
LangOption = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Language of the slip: a code of slip_labels.yaml (en, es, vi, hmn, pa, zh, tl);"
        " the directory's texts in it where given, else in English, marked.",
    ),
]
DiscreetOption = Annotated[
    bool,
    typer.Option(
        "--discreet/--no-discreet",
        help="Discreet (default): no word on the slip names trafficking or victims. "
        "--no-discreet is for referrals between agencies.",
    ),
]
NameOption = Annotated[
    str | None,
    typer.Option(
        "--name",
        help="The person's first name, printed on the slip only if given; never stored.",
        show_default=False,
    ),
]
PageOption = Annotated[str, typer.Option("--page", help="Paper size: letter | a4.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing --output file.")]


def slip_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for, which ``output``'s suffix must agree with: a slip is
    never written in one format under the name of another (``slip.docx``)."""
    if output is None:
        return fmt or "text"
    suffix = output.suffix.lower()
    implied = SUFFIX_FORMATS.get(suffix)
    known = ", ".join(SUFFIX_FORMATS)
    if implied is None and suffix:
        raise UsageError(f"cannot write a slip as '{suffix}'; name the file {known}")
    if implied is None:
        if fmt is None:
            raise UsageError(f"give --output a suffix ({known}) or --format")
        return fmt
    if fmt is not None and fmt != implied:
        raise UsageError(f"--format {fmt} does not match --output {output.name} ({implied})")
    return implied


def write_slip(
    providers: list[Provider],
    *,
    fmt: str | None,
    output: Path | None,
    lang: str,
    discreet: bool,
    name: str | None,
    page: str,
    force: bool,
) -> None:
    """Render the slip and write it to ``output`` (atomically) or stdout."""
    # the core: not loaded by --help
    from referral_cli.files import write_atomic
    from referral_cli.slips.formats import render

    fmt = slip_format(fmt, output)
    if not providers:
        raise UsageError("no provider to put on the slip")
    options = slip_options(lang=lang, discreet=discreet, name=name, page=page)
    if output is None and fmt == "pdf" and sys.stdout.isatty():
        raise UsageError("a PDF cannot be shown in the terminal; add --output FILE.pdf")
    data, warnings = render(providers, fmt, options)
    if FORMATS[fmt].opened_by_people:  # to open in Notepad or print: CRLF on Windows
        data = native_newlines(data.decode("utf-8")).encode("utf-8")
    for warning in warnings:
        note_line(f"warning: {warning}")
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_atomic(output, data, force=force)
    count = len(providers)
    note_line(
        f"wrote {output} ({fmt}, {count} provider{'s' if count != 1 else ''},"
        f" referral number {options.referral_number})"
    )


def slip_options(*, lang: str, discreet: bool, name: str | None, page: str) -> SlipOptions:
    """The options of a slip, checked, with the referring hotline from the config
    (shared by ``slip``, ``find --slip`` and ``call``)."""
    # the core: not loaded by --help
    from referral_cli.config import load_config
    from referral_cli.slips.labels import check_lang
    from referral_cli.slips.options import SlipOptions as Options
    from referral_cli.slips.options import check_name

    cfg = load_config()
    return Options(
        lang=check_lang(lang),
        discreet=discreet,
        name=check_name(name),
        page=page.lower(),
        hotline_name=cfg.hotline_name,
        hotline_phone=cfg.hotline_phone,
        report_hours=cfg.report_hours,
    )
