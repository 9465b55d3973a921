"""``referral call``: a full-screen session that follows a live call."""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from referral_cli.app import DataOption, LimitOption, note_line, open_directory
from referral_cli.errors import UsageError

if TYPE_CHECKING:
    from referral_cli.call.app import CallApp
    from referral_cli.call.session import CallSession


def call(
    slips: Annotated[
        Path,
        typer.Option(
            "--slips",
            help="Folder where slips are written (a printer's watched folder, say); "
            "each slip's path can still be changed before writing.",
            file_okay=False,
        ),
    ] = Path("."),
    limit: LimitOption = 10,
    data: DataOption = None,
) -> None:
    """Follow a live call: type each fact as the caller says it, see the providers
    that fit at once; mark some and print a slip. Nothing typed is written to disk
    or kept after the call; F9 starts a new caller, F1 lists the keys.

    The facts refine the same search 'find' runs: "somewhere to stay", "she's 15",
    "spanish", "not Fresno, Visalia", "no, she's 16", "within 20 km", "drop language".

    Example: referral call --slips ~/print-queue
    """
    # the core: not loaded by --help
    from referral_cli.call.privacy_guard import refusals, sealed
    from referral_cli.call.session import CallSession
    from referral_cli.config import load_config
    from referral_cli.taxonomy import load

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("'referral call' needs a terminal; use 'referral find' in scripts")
    directory = open_directory(data)
    session = CallSession(directory, load_config(), load(), limit=limit)
    session.results()  # the index and the gazetteer are open before the first word
    app_ = make_app(session, slips)
    before = len(refusals())
    try:
        with sealed():
            app_.run()
    finally:
        session.new_caller()
    refused = refusals()[before:]
    if refused:
        note_line(
            f"refused {len(refused)} attempt(s) to write to disk or the network during the"
            f" call (first: {refused[0]}); please report it"
        )
    if app_.crashed is not None:  # one line, from the program's last line of defence
        raise app_.crashed


def make_app(session: "CallSession", slip_folder: Path) -> "CallApp":
    """The Textual app, with Textual's own logs, devtools and screenshots turned off first."""
    for name in [n for n in os.environ if n.startswith("TEXTUAL")]:
        if name not in ("TEXTUAL_COLOR_SYSTEM", "TEXTUAL_THEME", "TEXTUAL_ANIMATIONS"):
            del os.environ[name]  # TEXTUAL_LOG, devtools, TEXTUAL_SCREENSHOT ...: files and sockets
    no_color = os.environ.get("NO_COLOR")
    # the core: not loaded by --help
    from referral_cli.call.app import CallApp

    made = CallApp(session, slip_folder)
    if no_color is not None:  # Textual takes it out of the environment; it is still the user's
        os.environ["NO_COLOR"] = no_color
    return made
