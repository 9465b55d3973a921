"""coverage.render_text: the matrix on a terminal, with and without colour."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from coverage_directory import providers_of, write_directory

from referral_cli.coverage import plans
from referral_cli.coverage.count import count
from referral_cli.coverage.render_text import abbreviate, grid_text, print_table, table_text
from referral_cli.records.model import Provider


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


def _many_places(tmp_path: Path) -> list[Provider]:
    """Providers in 60 counties, some far more than others, one named with Rich markup,
    some reaching a whole state: wide and narrow cells."""
    import random

    from referral_cli import directory

    rng = random.Random(3)
    services = ["temporary-shelter", "counseling", "legal-aid", "hotline", "outreach", "medical"]
    lines = ["providers:"]
    for n in range(400):
        county = f"County {n % 60:02d}" if n % 60 != 7 else "[bold]Odd County"
        lines += [
            f"  - id: p{n}",
            f"    name: Provider {n}",
            f"    services: [{', '.join(rng.sample(services, rng.randint(1, 3)))}]",
            f"    address: {{city: Town {n % 90}, county: '{county}', region: CA, country: US}}",
        ]
        if n % 11 == 0:
            lines.append("    service_area: {regions: [US-CA]}")
    (tmp_path / "many.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    loaded = directory.load(tmp_path / "many.yaml")
    assert not loaded.errors, loaded.errors
    return loaded.providers


@pytest.mark.parametrize("width", [60, 80, 120, 200])
@pytest.mark.parametrize("color_system", [None, "standard", "truecolor"])
def test_a_long_table_prints_as_rich_would_print_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: int, color_system: str | None
) -> None:
    """The lines of many places are made from the widths of the widest: the same
    bytes as Rich laying out every cell, and the fast way really taken."""
    from rich.console import Console

    from referral_cli.coverage import render_text

    monkeypatch.delenv("NO_COLOR", raising=False)
    m = count(_many_places(tmp_path), detail="areas", sort="gaps")
    assert len(m.places) == 60

    def printed() -> str:
        out = Console(
            file=io.StringIO(), width=width, force_terminal=color_system is not None,
            color_system=color_system,
        )  # fmt: skip
        print_table(m, out)
        return out.file.getvalue()  # type: ignore[attr-defined]

    made = []
    aligned = render_text._aligned
    monkeypatch.setattr(
        render_text,
        "_aligned",
        lambda *a: made.append(a) or aligned(*a),  # type: ignore[func-returns-value]
    )
    fast = printed()
    assert len(made) >= 60 * 3  # each place's line made here, not by Rich
    monkeypatch.setattr(render_text._Measured, "widest", lambda self, rows: list(self.m.places))
    assert fast == printed()
    assert "[bold]Odd County" in fast
