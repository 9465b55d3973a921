"""Parse and check directory files, in pieces and on every core.

Parsing YAML is the one slow step of a first load (about 15 µs a provider).
A large file is cut at the boundaries between its providers into pieces of a
few megabytes, each parsed as ``providers:`` plus the piece with its line
numbers shifted, so every ``line:col`` is the same as in a whole-file parse.
Pieces keep the parser's node tree small (a whole 70 MB file needs 3 GB at
once) and give every core work: on a machine with several cores, the pieces
and the files of a folder are parsed in worker processes. Anything unusual —
another top-level key, document markers, a syntax error in a piece — falls back
to parsing the whole file in one go, so results and messages never depend on
how the work was cut.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from referral_cli import taxonomy
from referral_cli.errors import Diagnostic
from referral_cli.format import validate
from referral_cli.index.entries import file_problem
from referral_cli.index.gcpause import no_gc
from referral_cli.reading import yamldoc
from referral_cli.reading.nodes import MAX_BYTES
from referral_cli.records import codec
from referral_cli.records.model import Provider

if TYPE_CHECKING:  # imported when a pool is made: concurrent.futures imports logging
    from concurrent.futures import ProcessPoolExecutor

PARALLEL_MIN_BYTES = 2 * 1024 * 1024
PIECE_BYTES = 2 * 1024 * 1024
# How the workers start: forked on Linux (at once, with the taxonomy already
# loaded); spawned elsewhere, as fork is missing on Windows and unsafe on macOS
# (each spawned worker imports what it parses with).
START_METHOD = "fork" if sys.platform == "linux" else "spawn"
Result = tuple[list[Provider], list[Diagnostic]]
Piece = tuple[int, int, int]  # start and end byte, line number of the start
_TOP_LEVEL = re.compile(rb"^[^\s#][^\n]*", re.MULTILINE)
_FIRST_ITEM = re.compile(rb"^( *)- ", re.MULTILINE)


def parse_bytes(data: bytes, shown: str) -> Result:
    """Parse and check the bytes of one whole file, in pieces when it is large."""
    pieces = provider_pieces(data, -(-len(data) // PIECE_BYTES))
    if pieces is not None and len(pieces) > 1:
        merged: Result = ([], [])
        for start, end, line in pieces:
            got = parse_piece(data[start:end], shown, line)
            if got is None:
                break
            merged[0].extend(got[0])
            merged[1].extend(got[1])
        else:
            return merged
    return _parse_whole(data, shown)


def _parse_whole(data: bytes, shown: str) -> Result:
    with no_gc():
        try:
            doc = yamldoc.load(yamldoc.decode(data, shown), shown)
        except yamldoc.YamlError as exc:
            return _parse_each_provider(data, shown) or ([], [exc.diagnostic])
        return validate.check_document(doc, shown, taxonomy.load())


def _parse_each_provider(data: bytes, shown: str) -> Result | None:
    """After a syntax error: every provider parsed and checked on its own, so one
    mistake neither hides the others' errors nor the providers that are fine.
    None when the file is not one list of providers or the error is not inside one."""
    items = provider_pieces(data, len(data))
    if items is None or len(items) < 2:
        return None
    merged: Result = ([], [])
    broken = False
    for start, end, line in items:
        got = parse_piece(data[start:end], shown, line)
        if got is None:
            broken = True
            got = parse_piece_error(data[start:end], shown, line)
        merged[0].extend(got[0])
        merged[1].extend(got[1])
    return merged if broken else None


def parse_piece_error(chunk: bytes, shown: str, line: int) -> Result:
    """The syntax error of a piece that does not parse on its own."""
    try:
        yamldoc.load_with_pyyaml("providers:\n" + yamldoc.decode(chunk, shown), shown, line - 2)
    except yamldoc.YamlError as exc:
        return [], [exc.diagnostic]
    return [], []  # pragma: no cover - parse_piece said it does not parse


def parse_piece(chunk: bytes, shown: str, line: int) -> Result | None:
    """Parse and check the providers of one piece that starts at ``line``; None
    when the piece does not parse on its own (the whole file must say why)."""
    with no_gc():
        try:
            doc = yamldoc.load("providers:\n" + yamldoc.decode(chunk, shown), shown, line - 2)
        except yamldoc.YamlError:
            return None
        return validate.check_document(doc, shown, taxonomy.load())


class UnreadableFile(Exception):
    """A data file that cannot or must not be read; the message says why."""


def read_data_file(path: Path) -> bytes:
    """The bytes of a directory file, read whole and unchanged: a file rewritten
    while it is read (its size or times differ after) is read again, and after
    three tries refused rather than half-served."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # opening a pipe must not block
    flags |= getattr(os, "O_BINARY", 0)  # Windows: bytes as they are, CRLF and all
    for _ in range(3):
        try:
            fd = os.open(path, flags)
        except OSError as exc:
            raise UnreadableFile(f"cannot read file: {exc.strerror}") from None
        try:
            before = os.fstat(fd)
            problem = file_problem(before)
            if problem is not None:
                raise UnreadableFile(problem)
            with open(fd, "rb", closefd=False) as fh:
                data = fh.read(MAX_BYTES + 1)
            after = os.fstat(fd)
        except OSError as exc:
            raise UnreadableFile(f"cannot read file: {exc.strerror}") from None
        finally:
            os.close(fd)
        if _stamp(before) == _stamp(after) and len(data) == after.st_size:
            return data
    raise UnreadableFile("the file kept changing while it was read; run the command again")


def _stamp(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def read_and_parse(path: Path, shown: str) -> Result:
    try:
        data = read_data_file(path)
    except UnreadableFile as exc:
        return [], [Diagnostic(shown, 1, 1, "error", str(exc), "io")]
    return parse_bytes(data, shown)


def _workers() -> int:
    affinity = getattr(os, "sched_getaffinity", None)  # the cores this process may use
    if affinity is None:  # not on Linux
        return os.cpu_count() or 1
    return len(affinity(0))


def provider_pieces(data: bytes, pieces: int) -> list[Piece] | None:
    """Up to ``pieces`` pieces of about equal size, each starting at a provider, or
    None when the file is not the plain shape ``providers:`` and a block list
    (or is too large to be read at all: the whole-file parse says so)."""
    if pieces < 2 or len(data) > MAX_BYTES:
        return None
    tops = _TOP_LEVEL.findall(data)
    if len(tops) != 1 or tops[0].rstrip() != b"providers:":
        return None
    first = _FIRST_ITEM.search(data)
    if first is None:
        return None
    item = re.compile(rb"^" + re.escape(first.group(1)) + rb"- ", re.MULTILINE)
    cuts = [first.start()]
    for k in range(1, pieces):
        found = item.search(data, max(cuts[-1] + 1, len(data) * k // pieces))
        if found is None:
            break
        cuts.append(found.start())
    bounds = [*cuts, len(data)]
    out: list[Piece] = []
    line = data.count(b"\n", 0, cuts[0]) + 1
    for i, start in enumerate(cuts):
        out.append((start, bounds[i + 1], line))
        line += data.count(b"\n", start, bounds[i + 1])
    return out


def _parse_piece_job(path: str, shown: str, start: int, end: int, line: int) -> bytes:
    """Worker: parse one piece; rows and diagnostics as marshal bytes (or b"" to fall back)."""
    with open(path, "rb") as fh:
        fh.seek(start)
        chunk = fh.read(end - start)
    got = parse_piece(chunk, shown, line)
    if got is None:
        return b""
    providers, diagnostics = got
    return marshal.dumps(
        ([codec.encode(p) for p in providers], [d.as_tuple() for d in diagnostics])
    )


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Worker start: end when the process that started the pool (``parent``) ends,
    however it ends (``kill``, a script's timeout): else the worker waits for work
    forever, holding its memory. On Linux the kernel sends SIGKILL when the parent
    dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere a thread looks every second."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent died before the signal was asked for
                os._exit(1)
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def parse_files(paths: Sequence[Path], shown: Sequence[str]) -> list[Result]:
    """:func:`read_and_parse` for every file, using every core for large inputs."""
    with Parsing() as parsing:
        return parsing.start(paths, shown)()


class Parsing:
    """Batches of files parsed on every core: a batch started while the one
    before it is being filed, so that the filing (one process) and the parsing
    (the workers) overlap. One pool of worker processes serves every batch."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._workers = _workers()

    def __enter__(self) -> Parsing:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def start(self, paths: Sequence[Path], shown: Sequence[str]) -> Callable[[], list[Result]]:
        """Start parsing ``paths``; the function returned waits for the results
        (small inputs are parsed when it is called, in this process)."""
        sizes = []
        for path in paths:
            try:
                sizes.append(path.stat().st_size)
            except OSError:
                sizes.append(0)
        if self._workers < 2 or sum(sizes) < PARALLEL_MIN_BYTES:
            return lambda: [read_and_parse(p, s) for p, s in zip(paths, shown, strict=True)]
        return self._parallel(paths, shown, sizes)

    def _pool_of_workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            taxonomy.load()  # loaded once here, inherited by forked workers
            context = multiprocessing.get_context(START_METHOD)
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=context,
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    def _parallel(
        self, paths: Sequence[Path], shown: Sequence[str], sizes: list[int]
    ) -> Callable[[], list[Result]]:
        pool = self._pool_of_workers()
        workers = self._workers
        total = sum(sizes)
        jobs: list[tuple[int, tuple[str, str, int, int, int]]] = []
        whole: set[int] = set()
        stamps: dict[int, tuple[int, int, int]] = {}  # of the files read in pieces
        for i, (path, name, size) in enumerate(zip(paths, shown, sizes, strict=True)):
            count = max(
                -(-size // PIECE_BYTES), min(workers * 2, round(workers * 2 * size / total))
            )
            pieces = None
            if count > 1:
                with contextlib.suppress(UnreadableFile, OSError):
                    stamps[i] = _stamp(path.stat())
                    data = read_data_file(path)
                    if _stamp(path.stat()) == stamps[i]:  # else read whole, below
                        pieces = provider_pieces(data, count)
            if pieces is None:
                whole.add(i)
            else:
                jobs.extend((i, (str(path), name, *piece)) for piece in pieces)
        whole_futures = {i: pool.submit(read_and_parse, paths[i], shown[i]) for i in whole}
        piece_futures = [(i, pool.submit(_parse_piece_job, *args)) for i, args in jobs]

        def results() -> list[Result]:
            out: list[Result | None] = [None] * len(paths)
            merged: dict[int, tuple[list[Provider], list[Diagnostic]]] = {}
            failed: set[int] = set()
            piece_futures.reverse()  # taken off the end: each piece's bytes let go once read
            while piece_futures:
                i, piece = piece_futures.pop()
                blob = piece.result()
                if not blob:
                    failed.add(i)
                    continue
                rows, diags = marshal.loads(blob)
                got = merged.setdefault(i, ([], []))
                with no_gc():
                    got[0].extend(codec.decode(r) for r in rows)
                got[1].extend(Diagnostic(*d) for d in diags)
            for i, whole_future in whole_futures.items():
                out[i] = whole_future.result()
            for i, got in merged.items():
                out[i] = got
                with contextlib.suppress(OSError):
                    if _stamp(paths[i].stat()) != stamps[i]:
                        failed.add(i)  # rewritten while its pieces were read: read it whole
            for i in failed:  # a piece did not parse on its own (or the file changed)
                out[i] = read_and_parse(paths[i], shown[i])
            return [r if r is not None else ([], []) for r in out]

        return results
