"""Time ``referral call`` in one process: each update of a scripted call, and the first screen.

    python benchmarks/call_session.py updates DIRECTORY   # prints JSON: milliseconds per update
    python benchmarks/call_session.py first-screen DIRECTORY

Run by ``benchmarks/run.py``; the directory's index should be warm (a ``find``
run before). An update is what happens after Enter on a typed line: the line
heard, the facts changed, the search re-run in memory (``CallSession.hear``).
"""

from __future__ import annotations

import json
import sys
import time

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
    from pathlib import Path

    from referral_cli.commands.call import make_app

    app = make_app(session_for(path), Path("."))

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()

    asyncio.run(run())


if __name__ == "__main__":
    {"updates": updates, "first-screen": first_screen}[sys.argv[1]](sys.argv[2])
