"""Regression tests for the third round of attacks (issue 32; docs/security.md
lists which test holds which): numbers, input sizes, completion, data folders,
untrusted packages."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from conftest import directory_yaml, invoke, provider_yaml, write
from typer.testing import CliRunner

import referral_cli
from referral_cli.query.parser import parse
from referral_cli.reading import folders
from referral_cli.taxonomy import load

HUGE = "9" * 5000  # more digits than Python reads as an int
PACKAGE = str(Path(referral_cli.__file__).parent)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write(tmp_path / "d.yaml", directory_yaml(provider_yaml()))


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    "query",
    [f"shelter {HUGE}", f"shelter, age {HUGE}", f"{HUGE} people need shelter"],
    ids=["need", "age", "count"],
)
def test_a_number_of_any_length_is_read_as_a_word(query: str) -> None:
    # longer than a command takes (the query cap), so read by the parser itself
    q = parse(query, load())
    assert q.age is None and q.services == ["temporary-shelter"]
    assert any(note.startswith(f"'{HUGE}' was not used") for note in q.notes)


def test_a_batch_goes_on_after_a_huge_number_and_refuses_a_long_line(
    runner: CliRunner, data: Path, tmp_path: Path
) -> None:
    batch = write(
        tmp_path / "q.txt", f"shelter {HUGE[:1990]}\n{'shelter ' * 400}\nshelter near Fresno\n"
    )
    result = invoke(runner, "--data", str(data), "find", "--batch", str(batch))
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert "error" not in rows[0] and "error" not in rows[2]
    assert rows[1]["error"].startswith("3,199 characters is more than the 2,000 a query may")
    assert result.exit_code == 1 and "1 batch line(s) failed" in result.stderr


def test_a_query_over_the_cap_is_a_usage_error(runner: CliRunner, data: Path) -> None:
    result = invoke(runner, "--data", str(data), "find", "shelter " * 300)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "referral: error: 2,400 characters is more than the 2,000 a query may have:"
        " give the need, the person and the place in a sentence or two"
    )


def _parsing_work(text: str) -> tuple[int, int]:
    """The lines of the program's code that reading ``text`` runs, and the characters
    its code hands to string methods (a slice of the text split, searched or stripped):
    counts that no load on the machine moves, where a time would."""
    tax = load()
    lines = chars = 0

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal lines
        if not frame.f_code.co_filename.startswith(PACKAGE):
            return None
        lines += event == "line"
        return trace

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal chars
        of = getattr(arg, "__self__", None)
        if (
            event == "c_call"
            and isinstance(of, str)
            and frame.f_code.co_filename.startswith(PACKAGE)
        ):
            chars += len(of)

    sys.settrace(trace)
    sys.setprofile(profile)
    try:
        parse(text, tax)
    finally:
        sys.setprofile(None)
        sys.settrace(None)
    return lines, chars


def test_repeated_age_patterns_are_read_in_linear_time() -> None:
    """Four times the ages, about four times the work (quadratic: sixteen): each age
    is checked against the characters already taken, not against every earlier
    reading, and its words before are read from a window, not the whole text before."""
    parse("she is 15", load())
    small_lines, small_chars = _parsing_work("she is 15, " * 250)
    large_lines, large_chars = _parsing_work("she is 15, " * 1_000)
    assert large_lines < 5 * small_lines
    assert large_chars < 5 * small_chars


@pytest.mark.parametrize(
    "args",
    [
        ("find", "shelter", "--limit", "9223372036854775808"),
        ("find", "shelter", "--limit", "0"),
        ("find", "shelter", "--age", HUGE),
        ("validate", "--stale-days", HUGE),
    ],
)
def test_numeric_options_out_of_range_are_usage_errors(
    runner: CliRunner, data: Path, args: tuple[str, ...]
) -> None:
    result = invoke(runner, "--data", str(data), *args)
    assert result.exit_code == 2, result.stderr
    assert "Invalid value for" in result.stderr and "unexpected" not in result.stderr


# ------------------------------------------------------------------ workers


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    """Running or sleeping: not gone and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="workers need two cores")
def test_parsing_workers_end_when_the_command_is_killed(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    providers = (provider_yaml(id=f"p-{i}", name=f"Provider {i}") for i in range(30_000))
    big.write_text(directory_yaml(*providers), "utf-8")
    env = {**os.environ, "REFERRAL_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "referral_cli", "--data", str(big), "validate"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            workers |= _children(proc.pid)
            time.sleep(0.01)
        assert len(workers) >= 2, "the command ended before its workers were seen"
        proc.send_signal(signal.SIGTERM)  # the parent only, as `kill PID` does
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers)
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in workers:  # only the workers this test started, if the guard failed
            with contextlib.suppress(OSError):
                if _alive(w):
                    os.kill(w, signal.SIGKILL)


# ------------------------------------------------------------------ completion


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_provider_names_cleaned(tmp_path: Path, shell: str) -> None:
    hostile = "Harbor \u202eesuoH\x1b]0;owned\x07 \x1b[2J'))`touch x`\\ (beds)"
    text = directory_yaml(provider_yaml(id="harbor-house", name=json.dumps(hostile)))
    data = write(tmp_path / "d.yaml", text)
    words = f"referral show --data {data} harb"
    env = {
        "PATH": os.environ["PATH"],
        "REFERRAL_NO_CACHE": "1",
        "REFERRAL_CONFIG": os.environ["REFERRAL_CONFIG"],
        "_REFERRAL_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": words,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "referral_cli"], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0 and proc.stderr == ""
    assert "harbor-house" in proc.stdout
    for bad in ("\u202e", "\x1b", "\x07", "(beds)", "\\ "):
        assert bad not in proc.stdout, (shell, proc.stdout)


# ------------------------------------------------------------------ data folders


def _system_folder_refused(folder: str) -> str:
    return (
        f"referral: error: {folder}: a system folder, not a directory of providers;"
        " give the folder that holds the directory's YAML files\n"
    )


@pytest.mark.parametrize("folder", ["/", "/proc", "/proc/self", "/etc", "/usr"])
def test_a_system_folder_as_the_directory_is_refused(runner: CliRunner, folder: str) -> None:
    for command in (["find", "shelter"], ["validate"]):
        result = invoke(runner, "--data", folder, *command)
        assert result.exit_code == 1
        assert result.stderr == _system_folder_refused(folder)


def test_a_system_folder_is_refused_by_the_real_process() -> None:
    """The same refusal and exit status from the program as a process of its own
    (its streams and exit), once: the refusal itself is decided as above."""
    proc = subprocess.run(
        [sys.executable, "-m", "referral_cli", "--data", "/", "find", "shelter"],
        capture_output=True,
        text=True,
        timeout=60,  # walking / never ends
    )
    assert proc.returncode == 1
    assert proc.stderr == _system_folder_refused("/")


def test_a_folder_with_too_many_files_is_refused(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folders, "MAX_WALKED", 50)
    for i in range(60):
        (tmp_path / f"note-{i}.txt").write_text("x")
    write(tmp_path / "d.yaml", directory_yaml(provider_yaml()))
    result = invoke(runner, "--data", str(tmp_path), "find", "shelter")
    assert result.exit_code == 1
    assert "more than 50 files and folders under it" in result.stderr


SHADOW = "root:$6$saltsecret$hashsecret:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"


def test_a_link_out_of_the_data_folder_is_not_followed(runner: CliRunner, tmp_path: Path) -> None:
    secret = write(tmp_path / "elsewhere" / "shadow", SHADOW)
    data = tmp_path / "data"
    write(data / "good.yaml", directory_yaml(provider_yaml()))
    (data / "linked.yaml").symlink_to(secret)
    write(tmp_path / "data" / "more" / "real.yaml", directory_yaml(provider_yaml(id="b-house")))
    (data / "inside.yaml").symlink_to(data / "more" / "real.yaml")  # inside: followed
    outputs = []
    for fmt in ("text", "json", "github"):
        result = invoke(runner, "validate", str(data), "--format", fmt)
        outputs += [result.stdout, result.stderr]
    assert "a link to a file outside the data folder: not followed" in outputs[0]
    found = invoke(runner, "--data", str(data), "find", "shelter near Fresno", "--format", "json")
    outputs += [found.stdout, found.stderr]
    assert {r["id"] for r in json.loads(found.stdout)["results"]} == {"a-shelter", "b-house"}
    for text in outputs:
        assert "secret" not in text and "daemon" not in text and "19000" not in text


def test_a_file_that_is_not_a_directory_file_is_never_echoed(
    runner: CliRunner, tmp_path: Path
) -> None:
    write(tmp_path / "good.yaml", directory_yaml(provider_yaml()))
    write(tmp_path / "stray.yaml", SHADOW)
    for fmt in ("text", "json", "github"):
        result = invoke(runner, "validate", str(tmp_path), "--format", fmt)
        assert result.exit_code == 1
        assert "this is not a directory file" in result.stdout
        for word in ("secret", "daemon", "19000", "root:"):
            assert word not in result.stdout + result.stderr, (fmt, result.stdout)


def test_files_and_folders_others_could_write_are_warned_about_and_strict_refuses(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    planted = write(data / "planted.yaml", directory_yaml(provider_yaml()))
    planted.chmod(0o666)
    found = invoke(runner, "--data", str(data), "find", "shelter near Fresno")
    assert found.exit_code == 0
    assert (
        "warning: 1 file(s) or folder(s) of the directory could have been changed by another"
        f" account ({planted})"
    ) in " ".join(found.stderr.split())
    checked = invoke(runner, "validate", str(data))
    assert f"{planted}:1:1: warning: this file is writable by every user" in checked.stdout
    strict = invoke(runner, "--strict-data", "--data", str(data), "find", "shelter")
    assert strict.exit_code == 1 and "writable by every user" in strict.stderr
    planted.chmod(0o644)
    data.chmod(0o777)
    strict = invoke(runner, "--strict-data", "--data", str(data), "find", "shelter")
    assert strict.exit_code == 1 and "this folder is writable by every user" in strict.stderr
    data.chmod(0o755)
    assert invoke(runner, "--strict-data", "--data", str(data), "find", "shelter").exit_code == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_file_of_another_user_is_warned_about(runner: CliRunner, tmp_path: Path) -> None:
    planted = write(tmp_path / "planted.yaml", directory_yaml(provider_yaml()))
    os.chown(planted, 65534, 65534)
    checked = invoke(runner, "validate", str(tmp_path))
    assert f"{planted}:1:1: warning: this file is owned by another user (uid 65534)" in (
        checked.stdout
    )
    strict = invoke(runner, "--strict-data", "--data", str(tmp_path), "find", "shelter")
    assert strict.exit_code == 1 and "owned by another user" in strict.stderr
