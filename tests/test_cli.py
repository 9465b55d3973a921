"""The command surface: help, version, show, schema, config, exit codes."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import directory_yaml, invoke, provider_yaml, write
from typer.testing import CliRunner

from referral_cli import __version__
from referral_cli.app import app

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = sorted(
    name for name in (c.name or c.callback.__name__ for c in app.registered_commands) if name
)
CONFIDENTIAL = (
    directory_yaml(provider_yaml(id="open-one", name="Open One"))
    + """\
  - id: hidden-house
    name: Hidden House
    services: [temporary-shelter]
    phone: "+1 559-555-0111"
    confidential: true
    address: {street: 77 Quiet Court, city: Fresno, region: CA, postal_code: "93702", country: US}
    location: {lat: 36.7012, lon: -119.7523}
    last_verified: 2026-10-01
"""
)


def test_version(runner: CliRunner) -> None:
    assert invoke(runner, "--version").stdout.strip() == f"referral {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = invoke(runner, command, "--help")
    assert result.exit_code == 0
    assert "Example: referral " in result.stdout


def test_readme_documents_every_command() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for command in [*COMMANDS, "config"]:
        assert f"`referral {command}" in readme or f"/ `{command}`" in readme, command


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    result = invoke(runner, "find", "--limit", "zero")
    assert result.exit_code == 2
    assert result.stderr.startswith("referral: error: ")
    assert invoke(runner, "no-such-command").exit_code == 2


def test_show_text_and_json_hide_confidential_address(runner: CliRunner, tmp_path: Path) -> None:
    data = str(write(tmp_path / "d.yaml", CONFIDENTIAL))
    for fmt in ("text", "json"):
        result = invoke(runner, "show", "hidden-house", "--data", data, "--format", fmt)
        assert result.exit_code == 0
        assert "+1 559-555-0111" in result.stdout
        for secret in ("77 Quiet Court", "93702", "36.7012", "-119.7523"):
            assert secret not in result.stdout
    text = invoke(runner, "show", "hidden-house", "--data", data).stdout
    assert text.splitlines()[0].startswith("Phone")
    assert "Address given when you call" in text
    shown = json.loads(
        invoke(runner, "show", "open-one", "--data", data, "--format", "json").stdout
    )
    assert shown["address"]["street"] == "1 Open One St" and shown["location"]["lat"] == 36.7378


def test_show_unknown_id_suggests(runner: CliRunner, tmp_path: Path) -> None:
    data = str(write(tmp_path / "d.yaml", CONFIDENTIAL))
    result = invoke(runner, "show", "hiden-house", "--data", data)
    assert result.exit_code == 1
    assert "did you mean 'hidden-house'?" in result.stderr


def test_schema_copy_is_current(runner: CliRunner) -> None:
    printed = invoke(runner, "schema").stdout
    copy = (ROOT / "referral_cli" / "data" / "schema.json").read_text("utf-8")
    assert printed == copy, "run: python -m referral_cli.format.schema"
    schema = json.loads(printed)
    provider = schema["$defs"]["provider"]
    assert provider["required"] == ["id", "name", "services"]
    assert "temporary-shelter" in provider["properties"]["services"]["items"]["enum"]


def test_config_set_show_unset(runner: CliRunner) -> None:
    assert invoke(runner, "config", "set", "radius_km", "80").exit_code == 0
    assert invoke(runner, "config", "set", "hotline_name", "Valley Line").exit_code == 0
    shown = invoke(runner, "config").stdout
    assert "radius_km = 80.0  (set)" in shown and "hotline_name = Valley Line" in shown
    bad = invoke(runner, "config", "set", "radius_kms", "5")
    assert bad.exit_code == 1 and "did you mean 'radius_km'" in bad.stderr
    bad = invoke(runner, "config", "set", "radius_km", "far")
    assert bad.exit_code == 1 and "must be float" in bad.stderr
    assert invoke(runner, "config", "unset", "radius_km").exit_code == 0
    assert "radius_km = 50.0\n" in invoke(runner, "config").stdout


def test_discovery_order_is_announced(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_dir = write(tmp_path / "env.yaml", directory_yaml(provider_yaml(id="from-env")))
    local = write(
        tmp_path / "work" / "data" / "x.yaml", directory_yaml(provider_yaml(id="from-local"))
    )
    monkeypatch.chdir(local.parent.parent)
    result = invoke(runner, "show", "from-local")
    assert result.exit_code == 0 and "using directory data (./data)" in result.stderr
    monkeypatch.setenv("REFERRAL_DATA", str(env_dir))
    result = invoke(runner, "show", "from-env")
    assert result.exit_code == 0 and "($REFERRAL_DATA)" in result.stderr
    result = invoke(runner, "show", "from-local", "--data", str(local))
    assert result.exit_code == 0 and "using directory" not in result.stderr


def test_installed_command_runs_as_a_real_process(tmp_path: Path) -> None:
    exe = shutil.which("referral")
    cmd = [exe] if exe else [sys.executable, "-m", "referral_cli"]
    data = write(tmp_path / "d.yaml", CONFIDENTIAL)
    proc = subprocess.run([*cmd, "validate", str(data)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "2 providers in 1 file(s): 0 error(s)" in proc.stderr
    proc = subprocess.run(
        [*cmd, "show", "nope", "--data", str(data)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_real_process_builds_the_named_command_and_keeps_all_for_help() -> None:
    """main() keeps only the command asked for; help and suggestions still see all."""
    exe = shutil.which("referral")
    cmd = [exe] if exe else [sys.executable, "-m", "referral_cli"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=60)

    top = run("--help")
    assert top.returncode == 0 and all(c in top.stdout for c in ("find", "slip", "coverage"))
    typo = run("fnd", "shelter")
    assert typo.returncode == 2 and "Did you mean 'find'?" in typo.stderr
    assert run("--debug", "taxonomy", "--format", "json").returncode == 0
    assert run("config", "set", "--help").returncode == 0
    sub = run("slip", "--help")
    assert sub.returncode == 0 and "Usage: referral slip" in sub.stdout


# What a run that answers no question may load: the program, its commands' option
# lists, the error types, the "did you mean" of a usage error and the output
# streams and formats (any console encoding); never the core (directory, index,
# query, search...).
FRONT = re.compile(
    r"referral_cli(\.(app|cli|errors|output|suggest|completion|index|index\.gcpause|commands(\.\w+)?))?"
)


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["find", "--help"]])
def test_version_and_help_load_nothing_of_the_core(argv: list[str]) -> None:
    code = (
        f"import sys; sys.argv = ['referral', *{argv!r}];"
        "from referral_cli import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('referral_cli')), file=sys.stderr)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip()  # the version or the help was printed
    loaded = ast.literal_eval(run.stderr.strip().splitlines()[-1])
    assert "referral_cli.cli" in loaded
    assert [m for m in loaded if not FRONT.fullmatch(m)] == []


# the format's definition and its checks of each field: only a file being read checks them
BUILDING = (
    "index.filing",
    "index.parsing",
    "format.directory_checks",
    "format.definition",
    "format.field_checks",
)


@pytest.mark.parametrize("argv", [["find", "shelter near Fresno"], ["coverage"]])
def test_a_warm_command_loads_no_module_that_builds_the_index(argv: list[str]) -> None:
    """Filing, parsing and the checks across files are loaded to build the index
    (the first run), never to read a warm one (the second); nor is OpenSSL
    (``_hashlib``, the start-up of ``hashlib``: every digest is BLAKE2b)."""
    code = (
        f"import sys; sys.argv = ['referral', *{argv!r}];"
        "from referral_cli import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('referral_cli', '_hashlib'))),"
        " file=sys.stderr)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        for _ in range(2)
    ]
    first, warm = (ast.literal_eval(r.stderr.strip().splitlines()[-1]) for r in runs)
    assert all(r.stdout.strip() for r in runs)  # both answered
    assert all(f"referral_cli.{m}" in first for m in BUILDING)  # the build loads them
    assert [m for m in warm if m.removeprefix("referral_cli.") in BUILDING] == []
    assert "_hashlib" not in warm


def test_typer_reads_every_signature_as_types_not_strings() -> None:
    """Each command's and the global options' annotations are types when Typer
    reads them on a run, never strings it must parse and evaluate again."""
    from referral_cli.cli import whole_app

    program = whole_app()
    typer_apps = [program, *(group.typer_instance for group in program.registered_groups)]
    functions = [c.callback for a in typer_apps for c in a.registered_commands]
    functions += [a.registered_callback.callback for a in typer_apps if a.registered_callback]
    assert len(functions) > len(program.registered_commands)  # commands, groups, global options
    strings = [
        (f.__qualname__, name)
        for f in functions
        if f is not None
        for name, annotation in f.__annotations__.items()
        if isinstance(annotation, str)
    ]
    assert strings == []


def test_validate_takes_data_like_every_command(runner: CliRunner, tmp_path: Path) -> None:
    data = write(tmp_path / "d.yaml", CONFIDENTIAL)
    assert invoke(runner, "validate", "--data", str(data)).exit_code == 0
    both = invoke(runner, "validate", str(data), "--data", str(tmp_path))
    assert both.exit_code == 2 and "once" in both.stderr


def test_global_data_option_before_the_command_in_a_real_process(tmp_path: Path) -> None:
    exe = shutil.which("referral")
    cmd = [exe] if exe else [sys.executable, "-m", "referral_cli"]
    data = write(tmp_path / "d.yaml", CONFIDENTIAL)
    proc = subprocess.run(
        [*cmd, "-d", str(data), "validate"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr


def test_help_lists_the_commands_in_the_order_users_read_them() -> None:
    import subprocess

    from referral_cli.commands.registry import NAMES

    out = subprocess.run(
        ["referral", "--help"], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}
    ).stdout
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == list(NAMES)
    assert listed[0] == "find"


COMMANDS_NEVER_LOAD = (
    "referral_cli.slips",
    "referral_cli.hsds",
    "textual",
    "fpdf",
    "referral_cli.commands.slip'",
)


@pytest.mark.parametrize(
    ("argv", "answered_by", "never"),
    [
        (["find", "shelter near Fresno", "--format", "json"], "search.answer", ["coverage"]),
        # coverage asks no question: the query parser and the search are not loaded
        (["coverage"], "coverage.count", ["query", "search"]),
    ],
)
def test_a_command_imports_only_what_it_uses(
    argv: list[str], answered_by: str, never: list[str]
) -> None:
    """A command never loads the slips, the HSDS importer, the call UI, nor the
    modules only other commands use."""
    import subprocess
    import sys

    code = (
        f"import sys; sys.argv = ['referral', *{argv!r}];"
        "from referral_cli import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('referral_cli.', 'textual', 'fpdf'))),"
        " file=sys.stderr)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = run.stderr.strip().splitlines()[-1]
    assert f"'referral_cli.{answered_by}'" in loaded  # the run really answered
    for heavy in (*COMMANDS_NEVER_LOAD, *(f"referral_cli.{m}'" for m in never)):
        assert f"'{heavy}" not in loaded, heavy
