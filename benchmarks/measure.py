"""Whole-process measurements whose ratios hold on a noisy machine.

Commands compared with each other run in the same *rounds*: every round runs
each of them once, in turn (A B C, then C B A, so a slow drift of the machine
falls on both sides), and a ratio is taken per round between two runs made
moments apart. The median of those paired ratios, with their min–max, is what
the report gives; a baseline timed once, apart from what it is compared to,
moves with the machine and makes ratios that do not hold.

Each run is a new process, started by a small launcher process of its own
(``launcher.py``); its wall time is taken around it, its CPU time (user +
system) and peak resident memory come from the kernel's accounting of that
child and of the children it waited for (``os.wait4``). Peak memory is that
of the largest single process, not the sum of worker processes. Where
``perf stat`` can count a process's instructions (:data:`COUNTS_INSTRUCTIONS`:
Linux with perf and the counters open to the user), each run is started under
it and its user-space instructions are recorded too: a count that other work
on the machine barely moves.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds
    rss_mb: float  # peak resident memory
    instructions: float | None = None  # user-space instructions, where perf counts them


PERF = ("perf", "stat", "-x,", "-e", "instructions:u")


def _perf_counts() -> bool:
    """Whether ``perf stat`` gives an instruction count here."""
    try:
        run = subprocess.run(
            [*PERF, "--", sys.executable, "-c", "pass"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return run.returncode == 0 and _instructions(run.stderr) is not None


def _instructions(perf_output: str) -> float | None:
    """The count in ``perf stat -x,`` output (None when it was not counted)."""
    for line in perf_output.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2].startswith("instructions"):
            try:
                return float(fields[0])
            except ValueError:  # "<not supported>", "<not counted>"
                return None
    return None


COUNTS_INSTRUCTIONS = _perf_counts()


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float


def spread(values: Sequence[float]) -> Spread:
    if not values:
        raise ValueError("no values to summarise")
    return Spread(statistics.median(values), min(values), max(values))


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which ``share`` of the values lie (nearest rank): 0.95 is p95."""
    if not values:
        raise ValueError("no values to summarise")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


class _Named:
    """A figure's kind across sizes, its words and its size."""

    kind: str
    what: str  # without the size
    size: int | None

    @property
    def key(self) -> str:
        return figure_key(self.kind, self.size)

    @property
    def name(self) -> str:
        return figure_name(self.what, self.size)


@dataclass(frozen=True)
class Command(_Named):
    """One thing to time. ``kind`` names it across sizes (for growth and targets)."""

    kind: str
    what: str  # without the size
    argv: tuple[str, ...]
    env: Mapping[str, str]
    size: int | None = None
    before: Callable[[], None] | None = None  # run before every run, e.g. empty a cache
    one_core: bool = False
    compare: tuple[str, ...] = ()  # kinds of the same rounds to give ratios to


def size_label(n: int) -> str:
    """1000 → "1k", 1000000 → "1M", 200 → "200"."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def figure_name(what: str, size: int | None) -> str:
    return what if size is None else f"{what}, {size_label(size)}"


def figure_key(kind: str, size: int | None) -> str:
    return kind if size is None else f"{kind}@{size}"


@dataclass
class Figure(_Named):
    kind: str
    what: str
    size: int | None
    rounds: int  # the group of rounds it was measured in: only those pair
    samples: list[Sample] = field(default_factory=list)
    compare: tuple[str, ...] = ()

    def stat(self, attr: str) -> Spread:
        return spread([getattr(s, attr) for s in self.samples])

    @property
    def counted(self) -> bool:
        """Whether every run's instructions were counted."""
        return bool(self.samples) and all(s.instructions is not None for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.rss_mb for s in self.samples)


def paired_ratios(a: Figure, b: Figure, attr: str = "wall") -> list[float]:
    """``a / b`` for each round, when both were measured in the same rounds."""
    if a.rounds != b.rounds or len(a.samples) != len(b.samples):
        raise ValueError(f"{a.name!r} and {b.name!r} were not measured in the same rounds")
    return [getattr(x, attr) / getattr(y, attr) for x, y in zip(a.samples, b.samples, strict=True)]


def growth_exponent(n1: int, t1: float, n2: int, t2: float) -> float:
    """``k`` in ``t ∝ n^k`` between two sizes: 1 is linear, 0 does not grow."""
    return math.log(t2 / t1) / math.log(n2 / n1)


def round_order(members: Sequence[Command], i: int) -> list[Command]:
    """A B C in even rounds, C B A in odd ones."""
    return list(members) if i % 2 == 0 else list(reversed(members))


CAN_PIN = hasattr(os, "sched_setaffinity")
SHOW_RUNS_FROM_S = 5.0  # runs longer than this are shown as they end (round 0 is uncounted)
_rounds = itertools.count(1)


def new_rounds() -> int:
    """The id of a new group of rounds (figures of one group pair with each other)."""
    return next(_rounds)


class Launcher:
    """The small process that starts every timed command (see ``launcher.py``)."""

    def __init__(self, work: Path) -> None:
        self.stderr = work / "stderr.txt"
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-S", str(Path(__file__).with_name("launcher.py"))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, cmd: Command, cwd: Path) -> Sample:
        """One run of a new process; a failure stops the benchmark with its stderr."""
        if cmd.one_core and not CAN_PIN:
            raise SystemExit(f"{cmd.name}: pinning to one core needs Linux")
        counted = self.stderr.with_name("instructions.txt")
        argv = list(cmd.argv)
        if COUNTS_INSTRUCTIONS:
            perf = shutil.which("perf")
            assert perf is not None
            argv = [perf, *PERF[1:], "-o", str(counted), "--", *argv]
        job = {
            "argv": argv,
            "env": dict(cmd.env),
            "cwd": str(cwd),
            "stderr": str(self.stderr),
            "one_core": cmd.one_core,
        }
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise SystemExit("the benchmark's launcher process stopped")
        got = json.loads(answer)
        if got["code"] != 0:
            tail = self.stderr.read_text(errors="replace")[-2000:]
            raise SystemExit(
                f"{cmd.name} failed (exit {got['code']}): {' '.join(cmd.argv)}\n{tail}"
            )
        instructions = _instructions(counted.read_text()) if COUNTS_INSTRUCTIONS else None
        return Sample(got["wall"], got["cpu"], got["maxrss_kb"] / 1024, instructions)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


def run_rounds(
    launcher: Launcher,
    commands: Sequence[Command],
    runs: int,
    cwd: Path,
    log: Callable[[str], None] = print,
) -> list[Figure]:
    """``runs`` counted rounds after one uncounted round that warms the OS caches."""
    group = new_rounds()
    figures = {c.key: Figure(c.kind, c.what, c.size, group, compare=c.compare) for c in commands}
    for i in range(runs + 1):
        for cmd in round_order(commands, i):
            if cmd.before is not None:
                cmd.before()
            os.sync()  # the last run's writes reach the disk before this one starts
            sample = launcher.run(cmd, cwd)
            if i:
                figures[cmd.key].samples.append(sample)
            if sample.wall > SHOW_RUNS_FROM_S:  # long runs: show that work goes on
                log(f"    {cmd.name}, round {i} of {runs}: {sample.wall:,.1f} s")
    for fig in figures.values():
        wall = fig.stat("wall")
        log(
            f"  {fig.name:<52} {wall.median * 1000:9,.0f} ms"
            f" ({wall.low * 1000:,.0f}–{wall.high * 1000:,.0f})"
            f"  CPU {fig.stat('cpu').median * 1000:9,.0f} ms  peak {fig.peak_mb:6,.0f} MB"
        )
    return list(figures.values())
