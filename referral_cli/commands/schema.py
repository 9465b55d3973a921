"""``referral schema``: the JSON Schema of the directory format (for editors and CI),
or of one machine output (for scripts)."""

from typing import Annotated

import typer

from referral_cli.errors import UsageError
from referral_cli.output import utf8_stdout
from referral_cli.suggest import did_you_mean

# The outputs `--output` names (format/outputs.py holds their schemas; a test keeps
# the two lists one): spelt here so that --help loads nothing of the format.
OUTPUT_NAMES = ("find", "find-batch", "show", "coverage", "validate", "locate")


def schema(
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            help=f"The schema of a machine output instead: {', '.join(OUTPUT_NAMES)}.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the directory format, or of a machine output.

    Editors that speak yaml-language-server check and complete a directory file
    whose first line is:  # yaml-language-server: $schema=<path to schema.json>
    A script checks what it reads from `find --format json` against
    `referral schema --output find` (its format_version is the schema's).

    Example: referral schema > schema.json
    """
    # the core: not loaded by --help
    from referral_cli.format.outputs import output_schema_text
    from referral_cli.format.schema import schema_text

    if output is None:
        utf8_stdout().write(schema_text())
        return
    if output not in OUTPUT_NAMES:
        raise UsageError(
            f"--output: no machine output '{output}'{did_you_mean(output, OUTPUT_NAMES)};"
            f" use one of: {', '.join(OUTPUT_NAMES)}"
        )
    utf8_stdout().write(output_schema_text(output))
