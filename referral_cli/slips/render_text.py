"""A slip as plain text (within 80 columns, to read aloud) and as Markdown."""

from __future__ import annotations

import re
import textwrap

from referral_cli.output import clean
from referral_cli.slips.content import Slip

TEXT_WIDTH = 80


def _wrap(label: str, value: str, indent: str) -> list[str]:
    first = f"{indent}{label}: "
    return textwrap.wrap(
        value,
        width=TEXT_WIDTH,
        initial_indent=first,
        subsequent_indent=indent + "    ",
        break_on_hyphens=False,
    ) or [first.rstrip()]


def render_text(slip: Slip) -> str:
    """Plain text within 80 columns, in the order it is best read aloud."""
    lines = [slip.title, "=" * len(slip.title), ""]
    for row in slip.header:
        lines += _wrap(row.label, row.value, "")
    lines += [""] + textwrap.wrap(slip.intro, TEXT_WIDTH)
    for block in slip.blocks:
        lines += [""]
        lines += textwrap.wrap(
            block.name,
            TEXT_WIDTH,
            initial_indent=f"{block.number}. ",
            subsequent_indent="   ",
        )
        for row in block.rows:
            lines += _wrap(row.label, row.value, "   ")
    lines += [""] + textwrap.wrap(slip.closing, TEXT_WIDTH)
    return "\n".join(lines) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


def md_text(value: str) -> str:
    """Data as Markdown text: every character with a meaning is backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", clean(value))


def render_markdown(slip: Slip) -> str:
    lines = [f"# {md_text(slip.title)}", ""]
    lines += [f"**{md_text(row.label)}:** {md_text(row.value)}  " for row in slip.header]
    lines[-1] = lines[-1].rstrip()
    lines += ["", md_text(slip.intro)]
    for block in slip.blocks:
        lines += ["", f"## {block.number}\\. {md_text(block.name)}", ""]
        lines += [f"- **{md_text(row.label)}:** {md_text(row.value)}" for row in block.rows]
    lines += ["", "---", "", md_text(slip.closing)]
    return "\n".join(lines) + "\n"
