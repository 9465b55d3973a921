"""The live call's two inner measurements, run as children by the ``call`` section of
``benchmarks/run.py`` (which generates the directories, warms their index and reports):

    python benchmarks/call_session.py updates DIRECTORY       # JSON: each update, ms
    python benchmarks/call_session.py first-screen DIRECTORY  # exits once drawn

``updates`` times, in one process, every update of a scripted call as
``referral call`` makes it: the line heard, the facts changed and the search
re-run in memory (``CallSession.hear``), wall and CPU time each, and the
process's peak memory. ``first-screen`` starts as ``referral call`` does
(the warm index opened, the session made, Textual drawn once, headless) and
leaves; ``run.py`` times it as a whole new process.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from referral_cli.call.session import CallSession

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


def session_for(path: str) -> CallSession:
    from referral_cli.call.session import CallSession
    from referral_cli.config import Config
    from referral_cli.directory import open_directory
    from referral_cli.taxonomy import load

    session = CallSession(open_directory(path, None), Config(), load())
    session.results()  # as ``referral call`` does before the first word
    return session


def updates(path: str) -> None:
    session = session_for(path)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(CALLERS):
        for line in CALL:
            start, start_cpu = time.perf_counter(), time.process_time()
            session.hear(line)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        session.new_caller()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump({"wall_ms": wall, "cpu_ms": cpu, "peak_mb": peak_mb}, sys.stdout)


def first_screen(path: str) -> None:
    """Start as ``referral call`` does and leave once the first screen is drawn."""
    import asyncio

    from referral_cli.commands.call import make_app

    app = make_app(session_for(path), Path("."))

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()

    asyncio.run(run())


COMMANDS = {"updates": updates, "first-screen": first_screen}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in COMMANDS:
        raise SystemExit(
            "usage: call_session.py updates|first-screen DIRECTORY (run.py --section call runs it)"
        )
    COMMANDS[sys.argv[1]](sys.argv[2])
