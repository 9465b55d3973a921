"""Entry point of the ``referral`` program: imports every command, then runs the app."""

from __future__ import annotations

import sys

from referral_cli import completion
from referral_cli.app import app, use_conventional_usage
from referral_cli.commands import (  # noqa: F401 - importing registers the commands
    call,
    config,
    coverage,
    find,
    hsds,
    locate,
    schema,
    show,
    slip,
    taxonomy,
    validate,
)

use_conventional_usage(app)


def main() -> None:
    from referral_cli import parse

    parse.FREEZE_PARSED = True  # a command keeps what it parsed until it exits
    if completion.wanted():
        completion.attach(app)
    only_the_command_asked_for(sys.argv[1:])
    app(prog_name="referral")


def only_the_command_asked_for(argv: list[str]) -> None:
    """Keep just the command named on the command line, when it names one.

    Typer builds the options of every command on each start (about 25 ms of a
    0.2 s answer); a run needs only its own. ``referral --help``, an unknown or
    missing command name, keep them all, so help and suggestions are complete.
    """
    words = iter(argv)
    name = None
    for arg in words:
        if arg in ("--data", "-d"):  # the global option's value is not a command
            next(words, None)
        elif not arg.startswith("-"):
            name = arg
            break
    commands = [
        c
        for c in app.registered_commands
        if c.callback is not None and (c.name or c.callback.__name__.replace("_", "-")) == name
    ]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands[:] = commands
        app.registered_groups[:] = groups


__all__ = ["app", "main"]
