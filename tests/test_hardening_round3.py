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

import pytest
from conftest import directory_yaml, invoke, provider_yaml, write
from typer.testing import CliRunner

from referral_cli.query import parse
from referral_cli.taxonomy import load

HUGE = "9" * 5000  # more digits than Python reads as an int


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


def test_repeated_age_patterns_are_read_in_linear_time() -> None:
    tax = load()
    parse("she is 15", tax)
    started = time.perf_counter()
    parse("she is 15, " * 20_000, tax)  # 220,000 characters: minutes when quadratic
    assert time.perf_counter() - started < 10


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
