"""The option of every command that says whether a bed report is still true."""

from __future__ import annotations

from typing import Annotated

import typer

from referral_cli.errors import ReferralError, UsageError


def _hours(value: float | None) -> float | None:
    # the core: not loaded by --help
    from referral_cli.config import bounded

    if value is None:
        return None
    try:
        return float(bounded("report_hours", value, "--report-hours"))
    except ReferralError as exc:
        raise UsageError(str(exc)) from None


ReportHoursOption = Annotated[
    float | None,
    typer.Option(
        "--report-hours",
        help="A bed report older than this many hours reads 'beds unknown'"
        " (default 24, or config report_hours).",
        callback=_hours,
        show_default=False,
    ),
]


def report_hours(given: float | None) -> float:
    """The option, else the setting."""
    # the core: not loaded by --help
    from referral_cli.config import load_config

    return load_config().report_hours if given is None else given
