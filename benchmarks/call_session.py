"""Time the live call (``referral call``): each update of a scripted call, and the first screen.

    python benchmarks/call_session.py                 # 1k, 10k and 100k providers
    python benchmarks/call_session.py --quick         # 1k and 10k

For each size a seeded directory is generated (``generate.py``) and its index
warmed by one ``referral find``. Then, in one new process, every update of a
scripted call is timed: a line heard, the facts changed, the search re-run in
memory (``CallSession.hear``); median and 95th percentile. And the first screen
of a new process is timed as a whole (start-up, the warm index opened, Textual
drawn once, headless), median of several runs after an uncounted one, with
``python -c pass`` measured alongside, since a busy machine inflates both.

The two inner measurements are the ``updates`` and ``first-screen`` commands of
this script, run as children:

    python benchmarks/call_session.py updates DIRECTORY        # JSON: ms per update
    python benchmarks/call_session.py first-screen DIRECTORY
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
_SCRIPT = shutil.which("referral", path=str(Path(PY).parent)) or shutil.which("referral")
REFERRAL = [_SCRIPT] if _SCRIPT else [PY, "-m", "referral_cli"]

# A call as it is told, then told again for the next callers (repeated for more samples).
CALL = [
    "somewhere to stay",
    "she's 15",
    "she only speaks spanish",
    "we're in Fresno",
    "not Fresno, Visalia",
    "no, she's 16",
    "within 20 km",
    "drop language",
    "a girl",
    "counseling",
    "drop need",
    "not Visalia, Bakersfield",
    "legal aid",
    "drop age",
    "vietnamese",
]
CALLERS = 4
TARGET_UPDATE_MS = 30.0  # at 100k, median
TARGET_FIRST_S = 1.0


def session_for(path: str):  # type: ignore[no-untyped-def]
    from referral_cli.config import Config
    from referral_cli.directory import open_directory
    from referral_cli.session import CallSession
    from referral_cli.taxonomy import load

    session = CallSession(open_directory(path, None), Config(), load())
    session.results()  # as ``referral call`` does before the first word
    return session


def updates(path: str) -> None:
    session = session_for(path)
    times: list[float] = []
    for _ in range(CALLERS):
        for line in CALL:
            start = time.perf_counter()
            session.hear(line)
            times.append((time.perf_counter() - start) * 1000)
        session.new_caller()
    json.dump({"updates_ms": times}, sys.stdout)


def first_screen(path: str) -> None:
    """Start as ``referral call`` does and leave once the first screen is drawn."""
    import asyncio

    from referral_cli.commands.call import make_app

    app = make_app(session_for(path), Path("."))

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()

    asyncio.run(run())


def wall(cmd: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall seconds of ``runs`` new processes, after one uncounted run."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        if i:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="1k and 10k only")
    parser.add_argument("--runs", type=int, default=3, help="counted first-screen runs")
    parser.add_argument("--workdir", type=Path, help="keep generated directories here")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from generate import generate

    sizes = [1000, 10000] if args.quick else [1000, 10000, 100000]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="referral-call-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "REFERRAL_DATA"}
    env.update(REFERRAL_CONFIG=str(work / "config.toml"), NO_COLOR="1")
    baseline = wall([PY, "-c", "pass"], env, args.runs)
    rows = []
    for n in sizes:
        label = f"{n // 1000}k"
        path = work / f"dir{label}.yaml"
        if not path.exists():
            print(f"generating {n} providers ...", flush=True)
            generate(n, path)
        e = {**env, "REFERRAL_CACHE_DIR": str(work / "cache" / label)}
        subprocess.run([*REFERRAL, "find", "shelter", "--data", str(path)], env=e, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        out = subprocess.run(
            [PY, __file__, "updates", str(path)], env=e, check=True, capture_output=True, text=True
        )
        times = json.loads(out.stdout)["updates_ms"]
        first = wall([PY, __file__, "first-screen", str(path)], e, args.runs)
        median = statistics.median(times)
        update_verdict = ("met" if median <= TARGET_UPDATE_MS else "NOT met") if n >= 100000 else ""
        rows.append(
            f"| {label} | {median:,.1f} ms | {p95(times):,.0f} ms | {update_verdict} "
            f"| {first * 1000:,.0f} ms | {'met' if first <= TARGET_FIRST_S else 'NOT met'} |"
        )
        print(rows[-1], flush=True)
    print(f"\n`python -c pass`: {baseline * 1000:.0f} ms; {len(CALL) * CALLERS} updates per size\n")
    print("| providers | update, median | update, p95 | ≤ 30 ms at 100k | first screen | ≤ 1 s |")
    print("|---|---:|---:|---|---:|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in ("updates", "first-screen"):
        {"updates": updates, "first-screen": first_screen}[sys.argv[1]](sys.argv[2])
    else:
        main()
