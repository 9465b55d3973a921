"""Run timed commands on request from a small process of its own (started by measure.py).

Linux counts the memory a process had when it was forked (up to ``exec``) in
its child's peak resident memory, so a child of the benchmark itself would
report the benchmark's own peak (a 1M-provider directory generated in memory)
as its own. This process stays small: it reads one JSON job a line on stdin
(``argv``, ``env``, ``cwd``, ``stderr`` path, ``one_core``), forks, execs and
waits, and answers one JSON line: wall and CPU seconds, peak memory in KB and
the exit code. Standard library only; run with ``python -I -S``.
"""

import json
import os
import sys
import time
from typing import Any


def run(job: dict[str, Any]) -> dict[str, Any]:
    err = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null = os.open(os.devnull, os.O_RDWR)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        try:
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.dup2(err, 2)
            os.chdir(job["cwd"])
            if job["one_core"]:
                os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
            os.execve(job["argv"][0], job["argv"], job["env"])
        except BaseException as exc:  # noqa: BLE001 - reported through stderr and exit 127
            os.write(2, f"could not start {job['argv'][0]}: {exc}\n".encode())
        finally:
            os._exit(127)
    os.close(err)
    os.close(null)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "maxrss_kb": usage.ru_maxrss,
        "code": os.waitstatus_to_exitcode(status),
    }


def main() -> None:
    for line in sys.stdin:
        sys.stdout.write(json.dumps(run(json.loads(line))) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
