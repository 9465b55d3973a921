"""The record's own eligibility words are shown wherever eligibility is summarised."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import directory_yaml, invoke, provider_yaml, write

NOTES = "Men ages 18 and over; no dependents"


def _data(tmp_path: Path) -> str:
    text = provider_yaml("mens-shelter", "Mens Shelter") + (
        f"    eligibility: {{ages: [18, null], genders: [male], notes: '{NOTES}'}}\n"
    )
    return str(write(tmp_path / "d.yaml", directory_yaml(text)))


def test_find_full_layout_shows_the_eligibility_words(runner: CliRunner, tmp_path: Path) -> None:
    data = _data(tmp_path)
    out = invoke(runner, "find", "shelter near Fresno", "--data", data, "--layout", "full").stdout
    assert "Eligibility says:" in out
    assert "dependents" in out


def test_show_and_slip_show_the_eligibility_words(runner: CliRunner, tmp_path: Path) -> None:
    data = _data(tmp_path)
    shown = invoke(runner, "show", "mens-shelter", "--data", data).stdout
    assert "no dependents" in " ".join(shown.split())
    slip = invoke(runner, "slip", "mens-shelter", "--data", data, "--format", "text").stdout
    assert "no dependents" in " ".join(slip.split())
