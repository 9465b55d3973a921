"""``referral taxonomy``: areas, service types and populations."""

from typing import Annotated

import typer

from referral_cli.app import format_option
from referral_cli.output import (
    FORMAT_VERSION,
    MachineOutput,
    console,
    is_machine,
    rich_text,
    write_output,
)


def taxonomy_command(
    framework: Annotated[
        str | None,
        typer.Option("--framework", help="freedom (default) | sos | prr | 5p.", show_default=False),
    ] = None,
    fmt: Annotated[str, format_option("taxonomy")] = "table",
) -> None:
    """List strategy areas, service types (with synonyms) and population words.

    Example: referral taxonomy --framework 5p
    """
    # the core: not loaded by --help
    from referral_cli import taxonomy

    tax = taxonomy.load()
    data = taxonomy.as_dict(tax, framework)
    if is_machine(fmt):
        write_output(fmt, MachineOutput(lambda: {"format_version": FORMAT_VERSION, **data}))
        return
    from rich.table import Table

    out = console()
    out.print(
        rich_text(f"Framework: {data['framework']['label']} ({data['framework']['key']})", "bold")
    )
    for area in data["areas"]:
        table = Table(title=None, show_header=True, header_style="bold", expand=False)
        table.add_column(f"{area['label']} ({area['key']})", overflow="fold", min_width=24)
        table.add_column("what it covers / words people use", overflow="fold")
        for key in area["services"]:
            st = tax.service_types[key]
            words = ", ".join(st.synonyms[:12])
            table.add_row(rich_text(key), rich_text(f"{st.description}\n{words}"))
        out.print(table)
    pops = ", ".join(p["key"] for p in data["populations"])
    out.print(rich_text(f"Populations (--for): {pops}"))
    kinds = ", ".join(t["key"] for t in data["trafficking_types"])
    out.print(rich_text(f"Trafficking types: {kinds}"))
