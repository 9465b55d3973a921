"""``referral validate``: the maintainer's check of a directory."""

import os
import sys
from typing import Annotated

import typer

from referral_cli.app import DataOption, format_option, note_line, state
from referral_cli.commands.tonight_options import ReportHoursOption
from referral_cli.errors import ExitStatus, UsageError
from referral_cli.output import (
    FORMAT_VERSION,
    MachineOutput,
    clean,
    is_machine,
    utf8_stdout,
    write_output,
)

ORIGINS = {  # how the directory was chosen, in words
    "--data": "given",
    "$REFERRAL_DATA": "from $REFERRAL_DATA",
    "config": "from the config file",
    "./data": "./data/ in this folder",
    "sample": "no directory given",
}


def validate(
    path: Annotated[
        str | None,
        typer.Argument(
            help="Directory file or folder (default: as for every command).", show_default=False
        ),
    ] = None,
    fmt: Annotated[str, format_option("validate")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    stale_days: Annotated[
        int | None,
        typer.Option(
            "--stale-days",
            help="Warn when last_verified is older (default 365, or config).",
            min=1,
            max=36500,
        ),
    ] = None,
    report_hours: ReportHoursOption = None,
    data: DataOption = None,
) -> None:
    """Check a directory: keys, types, taxonomy, contacts, duplicates, staleness,
    bed reports too old to tell tonight and closures whose 'until' is past.

    Prints path:line:col: error|warning: message. Exit 1 on errors (or warnings with
    --strict), 0 otherwise.

    Example: referral validate data/ --format github
    """
    # the core: not loaded by --help
    from referral_cli.config import load_config
    from referral_cli.directory import discover, display_path, load

    if path is not None and data is not None and path != data:
        raise UsageError("give the directory once: as PATH or as --data")
    cfg = load_config()
    location, origin = discover(path or data or state.data, cfg.data)
    if origin == "sample":
        note_line(
            "no PATH, --data, $REFERRAL_DATA, config 'data' or ./data/ folder: checking the"
            " sample directory shipped with referral-cli; give PATH to check yours"
        )
    directory = load(
        location,
        origin,
        stale_days=stale_days or cfg.stale_days,
        report_hours=cfg.report_hours if report_hours is None else report_hours,
        warnings=True,
    )
    diags = sorted(directory.diagnostics, key=lambda d: (d.path, d.line, d.col))
    errors = sum(d.severity == "error" for d in diags)
    warnings = len(diags) - errors
    if is_machine(fmt):
        document = {
            "format_version": FORMAT_VERSION,
            "directory": str(location),
            "origin": origin,
            "files": directory.files,
            "providers": len(directory),
            "errors": errors,
            "warnings": warnings,
            "diagnostics": [
                {
                    "path": d.path,
                    "line": d.line,
                    "col": d.col,
                    "severity": d.severity,
                    "code": d.code,
                    "message": d.message,
                }
                for d in diags
            ],
        }
        write_output(fmt, MachineOutput(lambda: document))
    elif fmt == "github":
        out = utf8_stdout()  # read by the runner as UTF-8, on Windows runners too
        for d in diags:
            message = clean(d.message).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            path_ = clean(d.path.replace(os.sep, "/"))  # as GitHub names files, on Windows too
            path_ = path_.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
            out.write(f"::{d.severity} file={path_},line={d.line},col={d.col}::{message}\n")
    else:
        for d in diags:
            sys.stdout.write(clean(str(d)) + "\n")
    shown = "the shipped sample" if origin == "sample" else display_path(location)
    summary = (
        f"checked {clean(shown)} ({ORIGINS[origin]}): "
        f"{len(directory)} providers in {len(directory.files)} file(s): "
        f"{errors} error(s), {warnings} warning(s)"
    )
    sys.stderr.write(summary + "\n")
    if errors or (strict and warnings):
        raise typer.Exit(ExitStatus.ERROR)
