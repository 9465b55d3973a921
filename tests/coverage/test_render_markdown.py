"""coverage.render_markdown: data text can neither break a table nor become HTML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from coverage_directory import FRESNO, providers_of, write_directory

from referral_cli.coverage import plans
from referral_cli.coverage.count import count
from referral_cli.coverage.render_markdown import grid_markdown, markdown, md_text
from referral_cli.records.model import Provider


@pytest.fixture
def providers(tmp_path: Path) -> list[Provider]:
    return providers_of(write_directory(tmp_path))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("A | B", "A \\| B"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("&amp; &copy; & x", "&amp;amp; &amp;copy; & x"),
        ("*[link](javascript:x)*", "\\*\\[link\\](javascript:x)\\*"),
        ("a\x1b[31mb\nc", "ab c"),
    ],
)
def test_md_text_escapes_markdown_and_html(text: str, shown: str) -> None:
    assert md_text(text) == shown


def test_every_row_of_the_table_has_one_cell_per_place(providers: list[Provider]) -> None:
    m = count(providers, detail="services")
    text = markdown(m)
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + len(m.rows) + 1  # header, rule, rows, scores
    assert {row.count(" | ") for row in rows if not row.startswith("|-")} == {len(m.places)}
    assert f"- **{FRESNO}** (3+1/5): nothing in Prevention" in text


def test_a_planning_matrix_in_markdown(providers: list[Provider]) -> None:
    grid = plans.build("stale", providers, today=dt.date(2026, 12, 1))
    text = grid_markdown(grid)
    assert text.startswith(f"## {md_text(grid.title)}\n")
    assert f"| {FRESNO} | 3 | -- | 2026-10-01 | -- |" in text  # none stale: a zero reads --
    assert text.rstrip().endswith(md_text(grid.notes[-1]))
