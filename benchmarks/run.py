"""Time referral-cli as whole processes at 1k, 10k and 100k providers.

    python benchmarks/run.py                 # full run; rewrites the figures in docs/performance.md
    python benchmarks/run.py --quick         # 1k and 10k only, fewer runs; prints only

Every figure is the median of several runs of a new process (wall time, and
peak resident memory from the kernel's accounting of that child). Two
baselines are measured in the same run so that ratios hold on a noisy
machine: ``python -c pass`` and a bare PyYAML C-loader parse of the same
YAML. At 100k, validate also runs pinned to one core (Linux), to show what
the second core buys. Only the standard library and the installed ``referral``
are used.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PY = sys.executable
# The fastest plain use of PyYAML: C loader, garbage collector off.
BARE_PARSE = (
    "import gc, sys, yaml; gc.disable(); "
    "yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
)
# The installed console script, as users run it (``python -m`` where it is not on PATH).
_SCRIPT = shutil.which("referral", path=str(Path(PY).parent)) or shutil.which("referral")
REFERRAL = [_SCRIPT] if _SCRIPT else [PY, "-m", "referral_cli"]
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- figures: written by benchmarks/run.py -->", "<!-- end of figures -->"


@dataclass
class Figure:
    name: str
    wall: list[float]
    rss_mb: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def peak_mb(self) -> float:
        return max(self.rss_mb)


def one_core() -> None:
    """In the child before it starts: run on the first core only."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


ONE_CORE = one_core if hasattr(os, "sched_setaffinity") else None


def run_once(cmd: list[str], env: dict[str, str], preexec=None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Wall seconds and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=preexec
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0,):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def measure(
    name: str, cmd: list[str], env: dict[str, str], runs: int, before=None, preexec=None
) -> Figure:  # type: ignore[no-untyped-def]
    walls, rss = [], []
    for i in range(runs + 1):  # the first run warms the OS file cache and is not counted
        if before is not None:
            before(i)
        wall, mb = run_once(cmd, env, preexec)
        if i:
            walls.append(wall)
            rss.append(mb)
    fig = Figure(name, walls, rss)
    print(
        f"  {name:<48} median {fig.median * 1000:8.0f} ms   peak {fig.peak_mb:6.0f} MB", flush=True
    )
    return fig


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){mem}, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="1k and 10k only, 3 runs, no docs")
    parser.add_argument("--runs", type=int, default=5, help="counted runs per figure (default 5)")
    parser.add_argument(
        "--big-runs", type=int, default=3, help="counted runs for cold 100k figures"
    )
    parser.add_argument("--workdir", type=Path, help="keep generated directories here")
    args = parser.parse_args()
    sizes = [1000, 10000] if args.quick else [1000, 10000, 100000]
    runs = 3 if args.quick else args.runs
    work = args.workdir or Path(tempfile.mkdtemp(prefix="referral-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("REFERRAL_DATA", None)
    env["REFERRAL_CONFIG"] = str(work / "config.toml")
    env["NO_COLOR"] = "1"

    def with_cache(name: str) -> dict[str, str]:
        return {**env, "REFERRAL_CACHE_DIR": str(work / "cache" / name)}

    def cold_cache(name: str):  # type: ignore[no-untyped-def]
        def clear(_: int) -> None:
            shutil.rmtree(work / "cache" / name, ignore_errors=True)

        return clear

    print(f"machine: {machine()}")
    figs: dict[str, Figure] = {}
    figs["pass"] = measure("python -c pass", [PY, "-c", "pass"], env, runs)
    query = ["find", "temporary shelter for minors near Fresno"]
    sample_env = with_cache("sample")
    figs["find-sample-cold"] = measure(
        "find, sample directory, cold index",
        [*REFERRAL, *query],
        sample_env,
        runs,
        cold_cache("sample"),
    )
    figs["find-sample"] = measure(
        "find, sample directory, warm index", [*REFERRAL, *query], sample_env, runs
    )
    for n in sizes:
        label = f"{n // 1000}k"
        path = work / f"dir{label}.yaml"
        if not path.exists():
            print(f"generating {n} providers ...", flush=True)
            generate(n, path)
        big = n >= 100000
        r = args.big_runs if big else runs
        data = ["--data", str(path)]
        e = with_cache(label)
        figs[f"parse-{label}"] = measure(
            f"bare C-loader parse, {label}",
            [
                PY,
                "-c",
                BARE_PARSE,
                str(path),
            ],
            env,
            r,
        )
        figs[f"validate-{label}"] = measure(
            f"validate, {label} (cold index)",
            [*REFERRAL, "validate", *data],
            e,
            r,
            cold_cache(label),
        )
        if big and ONE_CORE is not None:  # the same work without the second core
            figs[f"validate-1core-{label}"] = measure(
                f"validate, {label}, one core (cold index)",
                [*REFERRAL, "validate", *data],
                e,
                r,
                cold_cache(label),
                ONE_CORE,
            )
        figs[f"find-cold-{label}"] = measure(
            f"find, {label}, cold index (first build)",
            [*REFERRAL, *query, *data],
            e,
            r,
            cold_cache(label),
        )
        figs[f"find-warm-{label}"] = measure(
            f"find, {label}, warm index", [*REFERRAL, *query, *data], e, runs
        )
        figs[f"coverage-warm-{label}"] = measure(
            f"coverage, {label}, warm index", [*REFERRAL, "coverage", *data], e, runs
        )
    if not args.quick:
        folder = work / "dir100k-folder"
        if not folder.exists():
            print("generating 100k providers in 200 files ...", flush=True)
            generate(100000, folder, files=200)
        data = ["--data", str(folder)]
        e = with_cache("folder")
        figs["find-build-folder"] = measure(
            "find, 100k folder, first index build",
            [*REFERRAL, *query, *data],
            e,
            1,
            cold_cache("folder"),
        )
        figs["find-warm-folder"] = measure(
            "find, 100k folder, warm index", [*REFERRAL, *query, *data], e, runs
        )
        target = folder / "part-0007.yaml"

        def edit(i: int) -> None:
            with target.open("a", encoding="utf-8") as fh:
                fh.write(f"# edited {time.time()} {i}\n")

        figs["find-edited-folder"] = measure(
            "find, 100k folder, after editing one file", [*REFERRAL, *query, *data], e, runs, edit
        )
    report(figs, sizes, args.quick)


def report(figs: dict[str, Figure], sizes: list[int], quick: bool) -> None:
    base = figs["pass"].median
    rows = []

    def row(what: str, key: str, against: str, target: float | None) -> None:
        if key not in figs:
            return
        fig = figs[key]
        ratio = fig.median / figs[against].median
        against_label = "python -c pass" if against == "pass" else "bare parse"
        verdict = "" if target is None else ("met" if ratio <= target else "NOT met")
        target_text = "" if target is None else f"≤ {target:g} ×"
        rows.append(
            f"| {what} | {fig.median * 1000:,.0f} ms | {fig.peak_mb:,.0f} MB | "
            f"{ratio:.2f} × {against_label} | {target_text} | {verdict} |"
        )

    row("python -c pass", "pass", "pass", None)
    row("find, sample, new process (warm index)", "find-sample", "pass", 10)
    row("find, sample, new process (cold index)", "find-sample-cold", "pass", None)
    for n in sizes:
        label = f"{n // 1000}k"
        big = n >= 100000
        row(f"bare C-loader parse, {label}", f"parse-{label}", "pass", None)
        row(f"validate, {label}", f"validate-{label}", f"parse-{label}", 1.0 if big else None)
        row(
            f"validate, {label}, on one core",
            f"validate-1core-{label}",
            f"parse-{label}",
            None,
        )
        row(
            f"find, {label}, first index build",
            f"find-cold-{label}",
            f"parse-{label}",
            1.0 if big else None,
        )
        row(f"find, {label}, warm index", f"find-warm-{label}", "pass", 20 if big else None)
        row(f"coverage, {label}, warm index", f"coverage-warm-{label}", "pass", 20 if big else None)
    if "find-edited-folder" in figs:
        fig = figs["find-edited-folder"]
        ratio = fig.median / figs["find-warm-folder"].median
        row("find, 100k folder, first index build", "find-build-folder", "parse-100k", None)
        row("find, 100k folder, warm index", "find-warm-folder", "pass", 20)
        rows.append(
            f"| find, 100k folder, after editing one file | {fig.median * 1000:,.0f} ms | "
            f"{fig.peak_mb:,.0f} MB | {ratio:.2f} × warm find | ≤ 2 × | {'met' if ratio <= 2 else 'NOT met'} |"
        )
    table = "\n".join(
        ["| what | median | peak memory | ratio | target | |", "|---|---:|---:|---|---|---|", *rows]
    )
    print()
    print(table)
    if quick:
        return
    figures = (
        f"{BEGIN}\n"
        f"Machine: {machine()}. Date: {time.strftime('%Y-%m-%d')}. "
        f"`python -c pass`: {base * 1000:.0f} ms.\n\n"
        f"{table}\n"
        f"{END}"
    )
    doc = DOC
    text = doc.read_text("utf-8") if doc.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{doc}: the markers {BEGIN!r} and {END!r} are missing")
    head, rest = text.split(BEGIN, 1)
    doc.write_text(head + figures + rest.split(END, 1)[1], "utf-8")
    print(f"\nwrote the figures into {doc}")


if __name__ == "__main__":
    main()
