"""``referral verify --due``: the coordinator's call list of providers to re-verify."""

import datetime as dt
import re
import sys
from typing import Annotated, Any

import typer

from referral_cli.app import DataOption, format_option, open_directory
from referral_cli.errors import UsageError
from referral_cli.output import FORMAT_VERSION, MachineOutput, clean, is_machine, write_output

COLUMNS = ("id", "name", "phone", "hotline", "last_verified", "verified_by", "days_since", "source")
_SPAN = re.compile(r"^\s*([0-9]{1,5})\s*([dw]?)\s*$")


def _days(value: str) -> int:
    """'30d', '30', '4w' as days."""
    found = _SPAN.match(value)
    if found is None:
        raise UsageError(f"--within: a number of days such as 30d (or weeks: 4w), not '{value}'")
    return int(found[1]) * (7 if found[2] == "w" else 1)


def verify(
    due: Annotated[
        bool,
        typer.Option("--due", help="List the providers due for verification, oldest first."),
    ] = False,
    within: Annotated[
        str,
        typer.Option(
            "--within", help="Also those that fall due within this time: 30d, 4w (default 0d)."
        ),
    ] = "0d",
    stale_days: Annotated[
        int | None,
        typer.Option(
            "--stale-days",
            help="Due when last verified longer ago than this (default 365, or config).",
            min=1,
            max=36500,
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[str, format_option("verify")] = "text",
    data: DataOption = None,
) -> None:
    """The call list: providers never verified or verified longest ago first, with phones.

    After the call, 'referral update ID --verified-by JS' stamps today's date.

    Example: referral verify --due --within 30d
    """

    # the core: not loaded by --help
    from referral_cli.config import load_config

    if not due:
        raise UsageError("say what to list: --due (the providers due for verification)")
    days = _days(within)
    limit = stale_days or load_config().stale_days
    today = dt.date.today()
    # Due by the last day of the span: verified before (that day - stale_days), or never.
    before = today + dt.timedelta(days=days) - dt.timedelta(days=limit)
    found = [
        p
        for p in open_directory(data).providers
        if p.last_verified is None or p.last_verified < before
    ]
    found.sort(key=lambda p: (p.last_verified or dt.date.min, p.id))
    rows: list[dict[str, Any]] = [
        {
            "id": p.id,
            "name": p.name,
            "phone": p.phone,
            "hotline": p.hotline,
            "last_verified": None if p.last_verified is None else p.last_verified.isoformat(),
            "verified_by": p.verified_by,
            "days_since": None if p.last_verified is None else (today - p.last_verified).days,
            "source": str(p.source),
        }
        for p in found
    ]
    if is_machine(fmt):
        document = {
            "format_version": FORMAT_VERSION,
            "today": today.isoformat(),
            "stale_days": limit,
            "within_days": days,
            "due": rows,
        }
        write_output(fmt, MachineOutput(lambda: document, lambda: rows, COLUMNS))
        return
    for row in rows:
        when = row["last_verified"] or "never"
        ago = "" if row["days_since"] is None else f" ({row['days_since']} days)"
        phones = " / ".join(x for x in (row["phone"], row["hotline"]) if x) or "no phone"
        line = f"{when}{ago}  {phones}  {row['name']}  [{row['id']}]"
        sys.stdout.write(clean(line) + "\n")
    sys.stderr.write(
        f"referral: {len(rows)} provider(s) due for verification (not verified in {limit}"
        f" days{f' by {days} days from now' if days else ''}), oldest first\n"
    )
