"""``referral schema``: the JSON Schema of the directory format, for editors and CI."""

from __future__ import annotations


def schema() -> None:
    """Print the JSON Schema of the directory format.

    Editors that speak yaml-language-server check and complete a directory file
    whose first line is:  # yaml-language-server: $schema=<path to schema.json>

    Example: referral schema > schema.json
    """
    from referral_cli.format.schema import schema_text
    from referral_cli.output import utf8_stdout

    utf8_stdout().write(schema_text())
