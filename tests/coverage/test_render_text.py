"""coverage.render_text: the matrix on a terminal, with and without colour."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from coverage_directory import providers_of, write_directory

from referral_cli.coverage import plans
from referral_cli.coverage.count import count
from referral_cli.coverage.render_text import abbreviate, grid_text, print_table, table_text
from referral_cli.model import Provider


@pytest.fixture
def providers(tmp_path: Path) -> list[Provider]:
    return providers_of(write_directory(tmp_path))


def test_terminal_colour_shades_cells(
    providers: list[Provider], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    monkeypatch.delenv("NO_COLOR", raising=False)
    out = Console(file=io.StringIO(), width=80, force_terminal=True, color_system="truecolor")
    print_table(count(providers), out)
    text = out.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b[" in text and "48;2;175;0;0" in text  # red background on empty cells
    assert "Shading (providers):" in text


@pytest.mark.parametrize("width", [40, 60, 80, 120])
@pytest.mark.parametrize("detail", ["areas", "services"])
def test_plain_text_fits_the_width(providers: list[Provider], width: int, detail: str) -> None:
    text = table_text(count(providers, detail=detail, population="minors"), width=width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    assert all(line == line.rstrip() for line in lines)  # no padding Rich adds
    assert "\x1b[" not in text and "Gaps (4 of 4 places)" in text


def test_abbreviations_keep_the_first_word() -> None:
    assert abbreviate("Prevention") == "Prevent."
    assert abbreviate("Restoration") == "Restor."
    assert abbreviate("Rescue / Exit") == "Rescue"
    assert abbreviate("Policy") == "Policy"


def test_a_planning_matrix_as_text(providers: list[Provider]) -> None:
    text = grid_text(plans.build("capacity", providers), width=80)
    assert text.startswith("Beds by county\n")
    assert "note: " in text and max(len(line) for line in text.splitlines()) <= 80
