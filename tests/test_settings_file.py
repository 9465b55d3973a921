"""The settings file is written by a TOML library: whatever is set reads back the same."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from referral_cli.config import Config, load_config, save_config
from tests.conftest import invoke

# TOML cannot hold lone surrogates; everything else a terminal can send is fair.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


def test_a_name_with_a_newline_and_quotes_round_trips(runner: CliRunner) -> None:
    name = 'Valley Line\nNight "24/7" \\ desk'
    assert invoke(runner, "config", "set", "hotline_name", name).exit_code == 0
    assert load_config().hotline_name == name
    after = invoke(runner, "config")  # the file is still readable by every command
    assert after.exit_code == 0 and "Valley Line" in after.stdout


@settings(max_examples=60, deadline=None)
@given(name=TEXT, phone=TEXT, home=TEXT)
def test_any_text_round_trips(name: str, phone: str, home: str) -> None:
    cfg = dataclasses.replace(
        Config(), hotline_name=name, hotline_phone=phone, home=home, radius_km=12.5
    )
    save_config(cfg)
    assert load_config() == cfg


def test_time_zones_work_without_a_system_database(tmp_path: Path) -> None:
    """PYTHONTZPATH at an empty folder is a machine without /usr/share/zoneinfo:
    the declared tzdata package must answer."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONTZPATH": str(tmp_path)}
    code = (
        "from referral_cli.format.field_checks import valid_timezone;"
        "print(valid_timezone('America/Los_Angeles'), valid_timezone('Mars/Olympus'))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "False"], out.stderr
