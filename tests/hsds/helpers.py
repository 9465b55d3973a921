"""Helpers of the HSDS tests: the shipped Ohana sample, reading imported files back,
running the CLI, writing small packages.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from referral_cli.cli import app
from referral_cli.directory import load

FIXTURES = Path(__file__).parents[1] / "fixtures"


OHANA = FIXTURES / "ohana-smc-sample"


MIAMI_CENTRE = (25.7617, -80.1918)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def providers_of(path: Path) -> dict[str, dict[str, Any]]:
    doc = yaml.safe_load(path.read_text("utf-8"))
    return {p["id"]: p for p in doc["providers"]}


def errors_of(path: Path) -> list[str]:
    directory = load(path, use_cache=False)
    return [str(d) for d in directory.diagnostics if d.severity == "error"]


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def write_package(folder: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        columns = list(dict.fromkeys(k for r in rows for k in r))
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, columns)
            w.writeheader()
            w.writerows(rows)
    return folder
