"""Writes the list of fields and the table of diagnostic codes in
docs/maintainers.md from referral_cli/format/definition.py, between the markers
``<!-- generated: NAME -->`` and ``<!-- end generated: NAME -->``; with
``--check``, exits 1 when the page is out of date.

    python scripts/format_docs.py [--check]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from referral_cli.format.definition import CODES, PROVIDER, Field, Record

PAGE = Path(__file__).parents[1] / "docs" / "maintainers.md"

_KINDS = {
    "text": "text",
    "texts": "list of text",
    "bool": "true/false",
    "number": "number",
    "date": "date YYYY-MM-DD",
    "datetime": "date and time with UTC offset",
    "count": "whole number ≥ 0",
    "record": "mapping",
    "ages": "[min, max]",
    "hours": "text, or mapping of days to times",
    "counts": "mapping of whole numbers ≥ 0",
    "translations": "mapping of language codes to mappings",
    "records": "list of mappings",
}
# How a list that depends on the taxonomy is named, by field key.
_TAXONOMY_LISTS = {
    "services": "service type keys of `referral taxonomy`",
    "areas": "area keys of `referral taxonomy`",
    "populations": "populations of the taxonomy (others: a warning)",
    "translations": "the taxonomy's languages",
}


def _values(f: Field) -> str:
    parts = []
    if f.choices is not None:
        parts.append(", ".join(f"`{c}`" for c in f.choices))
    if f.taxonomy_choices is not None:
        parts.append(_TAXONOMY_LISTS[f.key])
    if f.database_choices is not None:
        parts.append("codes the gazetteer knows")
    if f.validate_only:
        parts.append(f.validate_only)
    if f.shape:
        parts.append(f.shape.replace('"', "`"))
    elif f.key == "id" or f.key == "populations":
        parts.append("lowercase slug (`a-z`, `0-9`, single dashes)")
    if f.minimum is not None and f.maximum is not None:
        parts.append(f"{f.minimum:g} to {f.maximum:g}")
    if f.min_items:
        parts.append(f"at least {f.min_items}")
    return "; ".join(parts)


def _rows(record: Record, prefix: str = "") -> list[str]:
    rows = []
    for f in record.fields:
        path = f"{prefix}{f.key}"
        required = "yes" if f.required else ""
        cells = (f"`{path}`", _KINDS[f.kind], required, _values(f), f.description)
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        if f.record is not None:
            below = f"{path}.<language>." if f.kind == "translations" else f"{path}."
            rows.extend(_rows(f.record, below))
    return rows


def fields_table() -> str:
    head = [
        "| key | type | required | values | what it is |",
        "|---|---|---|---|---|",
    ]
    return "\n".join(head + _rows(PROVIDER))


def codes_table() -> str:
    rows = [
        "| code | severity | what it means | how to fix |",
        "|---|---|---|---|",
    ]
    for c in CODES:
        code = f"`{c.code}`" if c.code else "(none)"
        rows.append(f"| {code} | {c.severity} | {c.meaning} | {c.fix} |")
    return "\n".join(rows)


SECTIONS = {"fields": fields_table, "codes": codes_table}


def render(page: str) -> str:
    for name, make in SECTIONS.items():
        pattern = re.compile(
            rf"(<!-- generated: {name} -->\n)(?:.*?\n)?(<!-- end generated: {name} -->)", re.S
        )
        if not pattern.search(page):
            raise SystemExit(f"{PAGE}: no markers for '{name}'")
        page = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), page)
    return page


def main(argv: list[str]) -> int:
    page = PAGE.read_text("utf-8")
    fresh = render(page)
    if argv[1:] == ["--check"]:
        if fresh != page:
            print(f"{PAGE} is out of date: run python scripts/format_docs.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(fresh, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
