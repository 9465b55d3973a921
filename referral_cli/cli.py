"""Entry point of the ``referral`` program: imports every command, then runs the app."""

from __future__ import annotations

from referral_cli.app import app
from referral_cli.commands import (  # noqa: F401 - importing registers the commands
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


def main() -> None:
    app(prog_name="referral")


__all__ = ["app", "main"]
