"""`referral` alone, usage lines, checked settings, and validate naming what it checked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import directory_yaml, invoke, provider_yaml, write
from typer.testing import CliRunner

from referral_cli.commands.registry import NAMES


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("referral")
    cmd = [exe] if exe else [sys.executable, "-m", "referral_cli"]
    env = {
        "PATH": "/usr/bin:/bin",
        "NO_COLOR": "1",
        "REFERRAL_NO_CACHE": "1",
        "REFERRAL_CONFIG": os.environ["REFERRAL_CONFIG"],
    }
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60
    )


def test_referral_alone_prints_short_usage_and_the_commands(tmp_path: Path) -> None:
    proc = run(cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[0] == "usage: referral [--data PATH] [--debug] COMMAND [ARGS]..."
    listed = [line.split()[0] for line in lines if line.startswith("  ")]
    assert listed == list(NAMES)  # the one order, also that of --help
    assert all(len(line) <= 80 for line in lines)
    assert "error" not in proc.stderr and "Options:" not in proc.stderr


def test_usage_lines_name_arguments_plainly(runner: CliRunner) -> None:
    usage = {
        "slip": "Usage: referral slip [OPTIONS] ID...",
        "show": "Usage: referral show [OPTIONS] ID",
        "find": "Usage: referral find [OPTIONS] [QUERY]",
        "locate": "Usage: referral locate [OPTIONS] PLACE",
    }
    for command, line in usage.items():
        shown = invoke(runner, command, "--help").stdout
        assert shown.splitlines()[0] == line
        assert "{" not in shown.splitlines()[0]


def test_home_is_checked_against_the_gazetteer(runner: CliRunner) -> None:
    bad = invoke(runner, "config", "set", "home", "Fresnoo")
    assert bad.exit_code == 1
    assert "did you mean Fresno, CA, US? home not saved" in bad.stderr
    assert "home = Fresnoo" not in invoke(runner, "config").stdout
    unknown = invoke(runner, "config", "set", "home", "Qwxyzzyville")
    assert unknown.exit_code == 1 and "home not saved" in unknown.stderr
    good = invoke(runner, "config", "set", "home", "93721")
    assert good.exit_code == 0 and "Fresno, CA 93721, US" in good.stderr
    assert "home = 93721  (set)" in invoke(runner, "config").stdout


def test_validate_names_the_directory_it_checked(runner: CliRunner, chdir_tmp: Path) -> None:
    sample = invoke(runner, "validate")
    assert "checking the sample directory shipped with referral-cli" in sample.stderr
    assert "checked the shipped sample (no directory given):" in sample.stderr
    write(chdir_tmp / "data" / "d.yaml", directory_yaml(provider_yaml()))
    local = invoke(runner, "validate")
    assert "checked data (./data/ in this folder): 1 providers" in local.stderr
    assert "sample" not in local.stderr
    given = invoke(runner, "validate", "data/d.yaml", "--format", "json")
    assert '"origin": "--data"' in given.stdout
