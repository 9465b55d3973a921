"""``referral show``: one provider in full."""

from typing import Annotated

import typer

from referral_cli.app import DataOption, format_option, open_directory
from referral_cli.commands.tonight_options import ReportHoursOption, report_hours
from referral_cli.output import MachineOutput, clean, is_machine, write_output


def show(
    provider_id: Annotated[
        str, typer.Argument(metavar="ID", help="Provider id (see 'referral find').")
    ],
    fmt: Annotated[str, format_option("show")] = "text",
    hours: ReportHoursOption = None,
    data: DataOption = None,
) -> None:
    """Show one provider in full (a confidential address is never shown), with its
    status when it is closed or not taking referrals, and its beds as reported.

    Example: referral show valley-youth-safe-house
    """
    # the core: not loaded by --help
    from referral_cli.records.describe import fields

    provider = open_directory(data).get(provider_id)
    if is_machine(fmt):
        write_output(fmt, MachineOutput(provider.public_dict))
    else:
        rows = fields(provider, report_hours=report_hours(hours))
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            typer.echo(f"{label:<{width}}  {clean(value)}")
