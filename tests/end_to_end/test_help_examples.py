"""Every example in every --help runs as printed, on a folder such as a user has."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import typer
from conftest import invoke
from typer.testing import CliRunner

from referral_cli.cli import app
from referral_cli.directory import sample_path

FIXTURES = Path(__file__).parents[1] / "fixtures"
INTERACTIVE = {"call"}  # full-screen: without a terminal it refuses in one line
EXAMPLE = re.compile(r"^\s*Examples?:\s*(referral .+?)\s*$", re.M)


def commands(cmd=None, path=()):  # type: ignore[no-untyped-def]
    """(path, click command) for the program and every command and subcommand."""
    cmd = cmd or typer.main.get_command(app)
    yield path, cmd
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        yield from commands(sub, (*path, name))


def examples() -> list[tuple[str, str]]:
    return [
        (" ".join(path) or "referral", text)
        for path, cmd in commands()
        for text in EXAMPLE.findall(cmd.help or "")
    ]


def test_every_command_has_an_example() -> None:
    documented = {where for where, _ in examples()}
    every = [" ".join(p) or "referral" for p, _ in commands()]
    assert [m for m in every if m not in documented] == []


def test_examples_are_whole_lines_in_the_help(runner: CliRunner) -> None:
    for where, text in examples():
        args = [] if where == "referral" else where.split()
        shown = invoke(runner, *args, "--help").stdout
        assert text in shown, (where, text)  # not wrapped, so it can be copied


@pytest.mark.parametrize(("where", "text"), examples())
def test_example_runs(runner, tmp_path, monkeypatch, where, text) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "data").mkdir()
    shutil.copy(sample_path(), tmp_path / "data" / "resources.yaml")
    shutil.copytree(FIXTURES / "ohana-smc-sample", tmp_path / "miami-hsds")
    monkeypatch.chdir(tmp_path)
    command, _, redirect = text.partition(" > ")
    argv = shlex.split(command)
    if "--compare" in argv:  # a directory repository with two commits, as a maintainer has
        for git in (
            ["init", "-q"],
            ["add", "."],
            ["-c", "user.name=M", "-c", "user.email=m@example.org", "commit", "-qm", "one"],
            ["-c", "user.name=M", "-c", "user.email=m@example.org", "commit", "-qm", "two",
             "--allow-empty"],
        ):  # fmt: skip
            subprocess.run(["git", *git], cwd=tmp_path, check=True, capture_output=True)
    assert argv[0] == "referral", text
    result = invoke(runner, *argv[1:])
    if where in INTERACTIVE:  # the pilot of tests/call/test_call.py drives it on a screen
        assert result.exit_code != 0 and "needs a terminal" in result.stderr, result.stderr
        return
    assert result.exit_code == 0, (where, text, result.stderr)
    assert "error:" not in result.stderr, (text, result.stderr)
    if redirect:
        assert result.stdout.strip(), text
    for option in ("-o", "--output", "--report"):  # what an example writes is there
        if option in argv:
            written = tmp_path / argv[argv.index(option) + 1]
            assert written.exists() and (written.is_dir() or written.stat().st_size > 0), text
