"""The subcommands (one module each in :mod:`referral_cli.commands`, each a plain
function), registered here in the order a user reads them (``referral --help``
lists them so).

A run imports only the module of the command it names (and its own imports):
``find`` never loads the PDF slips or the HSDS importer. ``--help``, an unknown
or a missing command name register them all, so help and suggestions are whole.

The command modules (and :mod:`referral_cli.app`, whose callback holds the global
options) do not postpone their annotations (no ``from __future__ import
annotations``): Typer reads a command's parameter types when it runs, and strings
it would parse and evaluate each time, twice.
"""

from __future__ import annotations

import importlib

import typer

# (command, module of referral_cli.commands, its function — or its Typer group)
COMMANDS = (
    ("find", "find", "find"),
    ("call", "call", "call"),
    ("show", "show", "show"),
    ("slip", "slip", "slip"),
    ("coverage", "coverage", "coverage"),
    ("locate", "locate", "locate"),
    ("validate", "validate", "validate"),
    ("update", "update", "update"),
    ("verify", "verify", "verify"),
    ("import-hsds", "hsds", "import_hsds"),
    ("export-hsds", "hsds", "export_hsds"),
    ("publish", "publish", "publish"),
    ("check-publication", "publish", "check_publication"),
    ("taxonomy", "taxonomy", "taxonomy_command"),
    ("schema", "schema", "schema"),
    ("config", "config", "config_app"),
)
NAMES = tuple(name for name, _, _ in COMMANDS)


def register(app: typer.Typer, only: str | None = None) -> None:
    """Add the commands to ``app``: the one named ``only`` when it is one, else all."""
    wanted = [c for c in COMMANDS if c[0] == only] or COMMANDS
    for name, module, attribute in wanted:
        found = getattr(importlib.import_module(f"referral_cli.commands.{module}"), attribute)
        if isinstance(found, typer.Typer):
            app.add_typer(found, name=name)
        else:
            app.command(name)(found)
