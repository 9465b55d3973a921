"""``referral show``: one provider in full."""

from __future__ import annotations

from typing import Annotated

import typer

from referral_cli.app import DataOption, check_format, open_directory

FORMATS = ("text", "json")


def show(
    provider_id: Annotated[
        str, typer.Argument(metavar="ID", help="Provider id (see 'referral find').")
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text | json.")] = "text",
    data: DataOption = None,
) -> None:
    """Show one provider in full (a confidential address is never shown).

    Example: referral show valley-youth-safe-house
    """
    from referral_cli.output import clean, write_json
    from referral_cli.records.describe import fields

    check_format(fmt, FORMATS)
    provider = open_directory(data).get(provider_id)
    if fmt == "json":
        write_json(provider.public_dict())
    else:
        rows = fields(provider)
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            typer.echo(f"{label:<{width}}  {clean(value)}")
