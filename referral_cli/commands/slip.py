"""``referral slip``: a referral slip for the person being helped (also ``find --slip``)."""

from typing import Annotated

import typer

from referral_cli.app import DataOption, format_option, open_directory
from referral_cli.commands.slip_writing import (
    DiscreetOption,
    ForceOption,
    LangOption,
    NameOption,
    OutputOption,
    PageOption,
    write_slip,
)


def slip(
    provider_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID", help="One or more provider ids (see 'referral find').", show_default=False
        ),
    ],
    fmt: Annotated[
        str | None, format_option("slip", default="from --output's suffix, else text")
    ] = None,
    output: OutputOption = None,
    lang: LangOption = "en",
    discreet: DiscreetOption = True,
    name: NameOption = None,
    page: PageOption = "letter",
    force: ForceOption = False,
    data: DataOption = None,
) -> None:
    """Print a referral slip for one or more providers: phone first, plain words,
    no confidential address, nothing about the caller unless you pass --name.

    Example: referral slip valley-youth-safe-house central-valley-immigrant-legal -o slip.pdf
    """
    directory = open_directory(data)
    providers = [directory.get(pid) for pid in dict.fromkeys(provider_ids)]
    write_slip(
        providers,
        fmt=fmt,
        output=output,
        lang=lang,
        discreet=discreet,
        name=name,
        page=page,
        force=force,
    )
