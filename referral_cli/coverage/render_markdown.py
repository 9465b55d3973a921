"""The coverage matrix and the planning matrices as Markdown (tables, legend, lists)."""

from __future__ import annotations

import re

from referral_cli.coverage.legend import COVERED_LEGEND, LEGEND, NO_GAPS
from referral_cli.coverage.model import Matrix
from referral_cli.coverage.plans import Grid, cell_text
from referral_cli.output import clean

_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def md_text(text: object) -> str:
    """Data text for a Markdown table or list: no raw HTML, no Markdown syntax."""
    s = _ENTITY.sub("&amp;", clean(text)).replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]|~":
        s = s.replace(ch, "\\" + ch)
    return s


def markdown(m: Matrix) -> str:
    """A Markdown table, the legend and the gap list."""
    lines = [f"## {md_text(m.title())}", ""]
    if not m.places:
        lines.append(f"No provider has a {m.by} in its address.")
        return "\n".join(lines) + "\n"
    header = ["Area"] + [md_text(pl.label) for pl in m.places]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" + "|".join(":-:" for _ in m.places) + "|")
    for row in m.rows:
        label = (
            f"**{md_text(row.label)}**"
            if row.kind == "area"
            else f"&nbsp;&nbsp;{md_text(row.label)}"
        )
        cells = [m.cell(row.key, pl.label).text for pl in m.places]
        lines.append("| " + " | ".join([label, *cells]) + " |")
    scores = [m.score(pl.label) for pl in m.places]
    lines.append("| " + " | ".join(["*Areas covered*", *scores]) + " |")
    lines += ["", LEGEND, "", COVERED_LEGEND, ""]
    if m.gaps:
        lines += ["### Gaps", ""]
        for g in m.gaps:
            lines.append(f"- **{md_text(g.place)}** ({m.score(g.place)}): {md_text(g.details)}")
    else:
        lines.append(NO_GAPS)
    return "\n".join(lines) + "\n"


def grid_markdown(grid: Grid) -> str:
    """A planning matrix as a Markdown table, then its notes."""
    lines = [f"## {md_text(grid.title)}", ""]
    lines.append("| " + " | ".join([grid.first, *map(md_text, grid.columns)]) + " |")
    lines.append("|---|" + "|".join("---" for _ in grid.columns) + "|")
    for label, cells in grid.rows:
        lines.append(
            "| " + " | ".join([md_text(label), *(md_text(cell_text(c)) for c in cells)]) + " |"
        )
    lines.append("")
    lines.extend(f"- {md_text(note)}" for note in grid.notes)
    return "\n".join(lines) + "\n"
