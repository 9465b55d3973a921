"""The floor of a Typer + Rich program: parse one option, print a small table.

``referral find`` is a Typer command that prints a Rich table; this is the same
frameworks doing the least they can do for a result of the same shape (three
rows of five columns at 80 columns), so the benchmark shows how much of find's
start-up is the frameworks' and how much is the tool's own.
"""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False)

ROW = ("+1 559-555-0100", "Valley Youth Safe House", "5", "offers temporary shelter; serves girls")


@app.command()
def find(query: str, fmt: str = typer.Option("table", "--format")) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("#", "Phone", "Provider", "km", "Why")
    for i in range(3):
        table.add_row(str(i + 1), *ROW)
    Console(width=80).print(table)


@app.command()
def other() -> None:
    """A second command, so that Typer builds a group as it does for referral."""


if __name__ == "__main__":
    app()
