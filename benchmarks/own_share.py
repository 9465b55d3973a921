"""How much of a ``referral`` run is spent on behalf of the tool's own code.

    python benchmarks/own_share.py find "temporary shelter for minors near Fresno"

Runs the command in this process (its imports included) with a profile hook
that gives every moment to the owner of the innermost frame that has one: the
tool (``referral_cli``), Typer (with its Click), Rich. The standard library, C
functions (SQLite, ``re``) and the import machinery belong to whoever called
them, except that importing a module of one of the three is that one's: so a
pattern the tool compiles, or a query SQLite answers for it, is the tool's, and
loading Typer is Typer's wherever it is imported. Before any of them runs, the
time is Python's own. The shares are of wall time with the hook's own cost
taken out as far as it can be; read them beside counted instructions
(valgrind) rather than alone.
"""

from __future__ import annotations

import contextlib
import io
import sys
import time
from collections import Counter
from types import FrameType
from typing import Any

OWNERS = (
    ("referral_cli", "referral_cli"),
    ("typer", "typer"),
    ("click", "typer"),
    ("rich", "rich"),
)


def owner_of_path(path: str) -> str | None:
    for mark, name in OWNERS:
        if f"/{mark}/" in path:
            return name
    return None


def owner_of_module(name: str) -> str | None:
    top = name.partition(".")[0]
    return next((owner for mark, owner in OWNERS if top == mark), None)


def shares(argv: list[str]) -> Counter[str]:
    spent: Counter[str] = Counter()
    stack: list[str] = ["python"]
    clock = time.perf_counter_ns
    last = clock()

    def hook(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal last
        now = clock()
        spent[stack[-1]] += now - last
        if event == "call":
            code = frame.f_code
            owner = owner_of_path(code.co_filename)
            if owner is None and code.co_name == "_find_and_load":
                owner = owner_of_module(str(frame.f_locals.get("name", "")))
            stack.append(owner or stack[-1])
        elif event == "c_call":
            stack.append(stack[-1])
        elif event in ("return", "c_return", "c_exception") and len(stack) > 1:
            stack.pop()
        last = clock()

    sys.argv = ["referral", *argv]
    sys.setprofile(hook)
    try:
        with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
            from referral_cli.cli import main

            main()
    finally:
        sys.setprofile(None)
    return spent


def main() -> None:
    spent = shares(sys.argv[1:])
    total = sum(spent.values())
    for name, t in spent.most_common():
        print(f"{name:13} {100 * t / total:5.1f} %", file=sys.stderr)


if __name__ == "__main__":
    main()
