"""``referral show``: one provider in full."""

from __future__ import annotations

from typing import Annotated

import typer

from referral_cli.app import DataOption, check_format, open_directory
from referral_cli.commands.tonight_options import ReportHoursOption, report_hours

FORMATS = ("text", "json")


def show(
    provider_id: Annotated[
        str, typer.Argument(metavar="ID", help="Provider id (see 'referral find').")
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text | json.")] = "text",
    hours: ReportHoursOption = None,
    data: DataOption = None,
) -> None:
    """Show one provider in full (a confidential address is never shown), with its
    status when it is closed or not taking referrals, and its beds as reported.

    Example: referral show valley-youth-safe-house
    """
    from referral_cli.output import clean, write_json
    from referral_cli.records.describe import fields

    check_format(fmt, FORMATS)
    provider = open_directory(data).get(provider_id)
    if fmt == "json":
        write_json(provider.public_dict())
    else:
        rows = fields(provider, report_hours=report_hours(hours))
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            typer.echo(f"{label:<{width}}  {clean(value)}")
