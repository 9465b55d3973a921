"""The blind labels of real data: split once, Miami text never committed, and the
importer measured on the reporting half (docs/hsds-relevance.md gives the figures)."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import MIAMI, needs_miami

SCRIPT = Path(__file__).parents[2] / "scripts" / "blind_labels.py"
LABELS = Path(__file__).parents[1] / "fixtures" / "hsds-labels" / "blind"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("blind_labels", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["blind_labels"] = module
    spec.loader.exec_module(module)
    return module


def _rows(name: str) -> list[dict[str, str]]:
    with (LABELS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def test_no_miami_text_is_committed() -> None:
    for name, columns in (("services.csv", ("notes",)), ("eligibility.csv", ("text", "notes"))):
        rows = [r for r in _rows(name) if r["source"] == "miami"]
        assert len(rows) > 250
        assert all(not r[c] for r in rows for c in columns), name


def test_the_split_is_fixed_and_both_halves_are_large() -> None:
    blind = _script()
    assert blind.half("miami", "8372") == blind.half("miami", "8372")
    for name in ("services.csv", "eligibility.csv"):
        halves = [blind.half(r["source"], r["service_id"]) for r in _rows(name)]
        assert 0.4 < halves.count("reporting") / len(halves) < 0.6


@pytest.mark.long  # a real-data run: every labelled Miami service of both sets imported
@needs_miami
def test_reporting_half_floors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFERRAL_REAL_DATA", str(MIAMI.parent))
    blind = _script()
    blind.SHARED = MIAMI.parent
    blind.SOURCES["miami"] = MIAMI
    referral = f"{sys.executable} -m referral_cli"
    types = blind.measure_types(referral, "reporting", tmp_path)
    miami = types["miami"]
    assert miami.right / miami.given >= 0.72 and miami.right / miami.labelled >= 0.71
    second = blind.measure_types(referral, "tuning", tmp_path, "blind2")["miami"]
    assert second.right / second.given >= 0.78 and second.right / second.labelled >= 0.70
    elig, _ = blind.measure_eligibility(referral, "reporting", tmp_path)
    assert elig.ages / elig.records >= 0.86 and elig.genders / elig.records >= 0.94
    assert elig.lost <= 1 and elig.wrong <= 12
