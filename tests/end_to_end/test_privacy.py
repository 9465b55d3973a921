"""Privacy and crash safety: no network, no caller data on disk, no locals in crashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import directory_yaml, invoke, provider_yaml, write
from typer.testing import CliRunner

from referral_cli import files
from referral_cli.errors import ReferralError

# Loaded by every Python process of the sandbox (sitecustomize). An audit hook sees
# what the C socket module does, however it is reached (``_socket`` directly,
# geopy, urllib, asyncio), cannot be removed once added, and marks that it is
# active, so a test whose guard did not load fails instead of passing unguarded.
GUARD = textwrap.dedent(
    """
    import os, sys
    _log = os.environ["NET_LOG"]
    _INET = (2, 10)  # AF_INET, AF_INET6
    _REFUSED = {"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg",
                "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
                "socket.gethostbyaddr", "socket.getnameinfo"}
    def _guard(event, args):
        if event in _REFUSED or (event == "socket.__new__" and args[1] in _INET):
            with open(_log, "a") as fh:
                fh.write(f"{event} {args[1:3]!r}\\n")
            if event != "socket.__new__":
                raise OSError("network disabled by test")
    sys.addaudithook(_guard)
    with open(_log + ".active", "a") as fh:
        fh.write(f"{os.getpid()}\\n")
    """
)


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "referral_cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def sandbox(tmp_path: Path) -> tuple[dict[str, str], Path]:
    guard = tmp_path / "guard"
    write(guard / "sitecustomize.py", GUARD)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(guard),
        "NET_LOG": str(tmp_path / "net.log"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_STATE_HOME": str(home / ".local/state"),
        "NO_COLOR": "1",
    }
    return env, tmp_path


SECRET_QUERY = "shelter for minors near Fresno zzcallerword"


def test_no_command_touches_the_network_or_writes_the_query(sandbox) -> None:  # type: ignore[no-untyped-def]
    env, tmp = sandbox
    data = write(tmp / "work" / "dir.yaml", directory_yaml(provider_yaml()))
    commands = [
        ["find", SECRET_QUERY, "--data", str(data)],
        ["find", SECRET_QUERY, "--data", str(data), "--format", "json"],
        ["find", "--batch", "-", "--data", str(data)],
        ["show", "a-shelter", "--data", str(data)],
        ["validate", str(data)],
        ["taxonomy"],
        ["schema"],
        ["locate", "Fresno"],
        ["config"],
    ]
    # The first in a process of its own, the program's start-up under the guard; the
    # others in turn by one interpreter (DRIVER, below), each guarded all the same.
    first = run_cli(commands[0], env, tmp / "work")
    assert "Traceback" not in first.stderr, first.stderr
    codes = tmp / "codes.json"
    rest = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(commands[1:]), str(codes)],
        env=env, cwd=tmp / "work", stdin=subprocess.DEVNULL, capture_output=True, timeout=300,
    )  # fmt: skip
    assert b"Traceback" not in rest.stderr, rest.stderr
    assert json.loads(codes.read_text()) == [0] * (len(commands) - 1), rest.stderr
    assert len((tmp / "net.log.active").read_text().split()) == 2
    assert not (tmp / "net.log").exists(), (tmp / "net.log").read_text()
    for path in tmp.rglob("*"):
        if path.is_file() and "guard" not in path.parts:
            assert b"zzcallerword" not in path.read_bytes(), path


RAW_CONNECTIONS = {
    "_socket": "import _socket; s = _socket.socket(); s.connect(('192.0.2.1', 80))",
    "resolver": "import socket; socket.getaddrinfo('nominatim.openstreetmap.org', 443)",
    "urllib": "import urllib.request; urllib.request.urlopen('http://192.0.2.1/', timeout=1)",
}


@pytest.mark.parametrize("how", sorted(RAW_CONNECTIONS))
def test_the_network_guard_is_active_and_catches_low_level_sockets(sandbox, how) -> None:  # type: ignore[no-untyped-def]
    """The guard the offline tests rely on would catch a connection made below the
    ``socket`` module, or a name look-up, had the program made one."""
    env, tmp = sandbox
    result = subprocess.run(
        [sys.executable, "-c", RAW_CONNECTIONS[how]], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "network disabled by test" in result.stderr
    assert (tmp / "net.log.active").exists()
    assert "socket." in (tmp / "net.log").read_text()


def test_the_guard_sees_the_program_go_online_when_asked(sandbox) -> None:  # type: ignore[no-untyped-def]
    """A positive control through the program itself: with --online the look-up is
    attempted, seen by the guard and refused; the command fails in one line."""
    env, tmp = sandbox
    data = write(tmp / "dir.yaml", directory_yaml(provider_yaml()))
    result = run_cli(
        ["find", "shelter near Qwxyzzyville", "--online", "--data", str(data)], env, tmp
    )
    assert result.returncode == 1 and "online lookup of 'Qwxyzzyville' failed" in result.stderr
    assert "socket.getaddrinfo" in (tmp / "net.log").read_text()


def test_unknown_place_offline_is_an_error_not_a_lookup(sandbox) -> None:  # type: ignore[no-untyped-def]
    env, tmp = sandbox
    data = write(tmp / "dir.yaml", directory_yaml(provider_yaml()))
    result = run_cli(["find", "shelter", "--near", "Qwxyzzyville", "--data", str(data)], env, tmp)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Qwxyzzyville" in result.stderr
    assert (tmp / "net.log.active").exists() and not (tmp / "net.log").exists()


def test_a_crash_prints_one_line_and_no_locals(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from referral_cli.search import answer

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        caller_secret = "Maria lives at 12 Hidden Road"  # noqa: F841 - must never be printed
        raise RuntimeError("internal failure")

    monkeypatch.setattr(answer, "_search", boom)
    data = write(tmp_path / "dir.yaml", directory_yaml(provider_yaml()))
    result = invoke(runner, "find", "shelter", "--data", str(data))
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "unexpected RuntimeError" in result.stderr and "--debug" in result.stderr
    assert "Hidden Road" not in result.stdout + result.stderr
    result = invoke(runner, "--debug", "find", "shelter", "--data", str(data))
    assert "Traceback" in result.stderr
    assert "Hidden Road" not in result.stdout + result.stderr


def test_atomic_write_keeps_the_old_file_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("old", "utf-8")
    with pytest.raises(ReferralError, match="--force"):
        files.write_atomic(target, b"new")

    def interrupted(src, dst):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(target, b"new", force=True)
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]
    monkeypatch.undo()
    files.write_atomic(target, b"new", force=True)
    assert target.read_text("utf-8") == "new"


def test_atomic_write_gives_the_mode_of_a_plain_write(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        files.write_atomic(tmp_path / "new.yaml", b"x")
        assert (tmp_path / "new.yaml").stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "kept.yaml"
        kept.write_bytes(b"old")
        kept.chmod(0o600)
        files.write_atomic(kept, b"new", force=True)
        assert kept.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


# One interpreter runs the commands below in turn (cheaper than a process each);
# the guard refuses and logs every socket all the same.
DRIVER = textwrap.dedent(
    """
    import json, sys
    from referral_cli.cli import app
    codes = []
    for args in json.loads(sys.argv[1]):
        try:
            app(args, prog_name="referral")
            codes.append(0)
        except SystemExit as exc:
            codes.append(exc.code or 0)
    with open(sys.argv[2], "w") as fh:
        json.dump(codes, fh)
    """
)


def test_every_other_command_and_format_stays_offline(sandbox) -> None:  # type: ignore[no-untyped-def]
    """The commands the first test does not run: slips, coverage, HSDS, settings."""
    env, tmp = sandbox
    work = tmp / "work"
    data = str(write(work / "dir.yaml", directory_yaml(provider_yaml())))
    ohana = str(Path(__file__).parents[1] / "fixtures" / "ohana-smc-sample")
    d = ["--data", data]
    commands = [
        *(["find", SECRET_QUERY, *d, "--format", f] for f in ("csv", "ndjson")),
        ["find", SECRET_QUERY, *d, "--slip", "-o", "find-slip.pdf"],
        ["show", "a-shelter", *d, "--format", "json"],
        *(["slip", "a-shelter", *d, "--format", f] for f in ("text", "markdown", "html", "pdf")),
        ["slip", "a-shelter", *d, "-o", "slip.pdf"],
        *(["coverage", *d, "--format", f] for f in ("table", "json", "csv", "markdown")),
        ["coverage", *d, "--format", "html", "-o", "coverage.html"],
        ["validate", data, "--format", "github"],
        ["export-hsds", *d, "--output", "hsds-out"],
        ["import-hsds", ohana, "--output", "imported.yaml", "--report", "report.json"],
        ["publish", "public-api", *d],
        ["check-publication", "public-api", *d],
        ["coverage", *d, "--compare", data, "--format", "github"],
        ["config", "set", "home", "Fresno, CA"],
        ["config", "unset", "home"],
    ]
    codes = tmp / "codes.json"
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(commands), str(codes)],
        env=env, cwd=work, capture_output=True, timeout=300,
    )  # fmt: skip
    assert b"Traceback" not in result.stderr, result.stderr
    assert (tmp / "net.log.active").exists()
    assert json.loads(codes.read_text()) == [0] * len(commands), result.stderr
    assert (work / "slip.pdf").exists() and (work / "hsds-out").is_dir()
    assert (work / "public-api" / "index.json").is_file()
    assert not (tmp / "net.log").exists(), (tmp / "net.log").read_text()
    for path in tmp.rglob("*"):
        if path.is_file() and "guard" not in path.parts:
            assert b"zzcallerword" not in path.read_bytes(), path
