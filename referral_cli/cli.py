"""Entry point of the ``referral`` program: registers the command asked for, then
runs the app (:mod:`referral_cli.commands.registry` lists them)."""

from __future__ import annotations

import sys
from typing import Any

import typer

from referral_cli import app as program
from referral_cli import completion
from referral_cli.commands.registry import NAMES, register
from referral_cli.index import gcpause
from referral_cli.output import forgiving_streams


def main() -> None:
    forgiving_streams()  # any console, code page or locale: never a crash on a character
    gcpause.FREEZE_PARSED = True  # a command keeps what it parsed until it exits
    app = program.app
    argv = sys.argv[1:]
    if argv != ["--version"]:  # the version alone needs no command
        register(app, command_named(argv))
    program.use_conventional_usage(app)
    if completion.wanted():
        completion.attach(app)
    app(prog_name="referral")


def command_named(argv: list[str]) -> str | None:
    """The command the command line names, if it names one of them."""
    words = iter(argv)
    for arg in words:
        if arg in ("--data", "-d"):  # the global option's value is not a command
            next(words, None)
        elif not arg.startswith("-"):
            return arg if arg in NAMES else None
    return None


def __getattr__(name: str) -> Any:
    """``referral_cli.cli.app``: the program with every command, for tests and tools."""
    if name != "app":
        raise AttributeError(name)
    return whole_app()


def whole_app() -> typer.Typer:
    app = program.app
    if not app.registered_commands:
        register(app)
        program.use_conventional_usage(app)
    return app


__all__ = ["main", "whole_app"]
