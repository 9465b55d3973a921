"""A process-wide seal against writing to disk or the network during a live call.

``referral call`` holds what a caller said in memory only. Checking that each
library in the process (Textual, Rich, the YAML and PDF code) never writes a log,
a cache or a screenshot would be a promise; this makes it a rule. While
:func:`sealed` is active, a Python audit hook (:pep:`578`; it cannot be removed
once added) refuses every file opened for writing, every file created, renamed
or deleted, every new process and every socket connection, except the one slip
file the volunteer asked for (:func:`allow_file`). Each refusal is also
recorded, so that a library which catches the error cannot hide it:
:func:`refusals` lists them and the call reports them when it ends.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# Audit events that change the file system; the first argument is the path.
_FS_EVENTS = frozenset(
    [
        "os.mkdir",
        "os.remove",
        "os.rename",
        "os.rmdir",
        "os.symlink",
        "os.link",
        "os.truncate",
        "os.chmod",
        "os.chown",
        "os.utime",
        "shutil.rmtree",
        "shutil.copyfile",
        "shutil.move",
    ]
)
_PROCESS_EVENTS = frozenset(
    [
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.fork",
        "pty.spawn",
    ]
)
_NETWORK_EVENTS = frozenset(
    ["socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo"]
)

_TERMINALS = frozenset([Path("/dev/tty"), Path("/dev/null")])
_PTS = Path("/dev/pts")
_state: dict[str, Any] = {"active": False, "allowed": None, "installed": False}
_refused: list[str] = []


class CallSealed(PermissionError):
    """Something tried to write to disk or the network while a call was open."""


def _is_write(mode: object, flags: object) -> bool:
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def _allowed(path: object) -> bool:
    if isinstance(path, int):
        return True  # a file descriptor: opened, and so checked, before
    if not isinstance(path, str | bytes | os.PathLike):
        return False
    p = Path(os.fsdecode(path)).absolute()
    if p in _TERMINALS or p.parent == _PTS:
        return True  # the screen itself
    target: Path | None = _state["allowed"]
    if target is None:
        return False
    return p.parent == target.parent and (
        p.name == target.name or p.name.startswith(f".{target.name}.")
    )


def _is_unnamed(flags: object) -> bool:
    """An O_TMPFILE open: a file with no name, gone unless linked (which is checked)."""
    tmpfile = getattr(os, "O_TMPFILE", 0)
    return bool(tmpfile) and isinstance(flags, int) and flags & tmpfile == tmpfile


def _in_folder(name: object, dir_fd: object) -> object:
    """``name`` as a path, read against the folder ``dir_fd`` is open on."""
    if not isinstance(dir_fd, int) or dir_fd < 0 or not isinstance(name, str | bytes):
        return name
    try:
        folder = os.readlink(f"/proc/self/fd/{dir_fd}")
    except OSError:
        return name
    return os.path.join(folder, os.fsdecode(name))


def _is_folder_of_allowed(path: object) -> bool:
    target: Path | None = _state["allowed"]
    if target is None or not isinstance(path, str | bytes | os.PathLike):
        return False
    return Path(os.fsdecode(path)).absolute() in target.parents


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _state["active"]:
        return
    if event == "open":
        path, mode, flags = (args + (None, None, None))[:3]
        if not _is_write(mode, flags) or _allowed(path) or _is_unnamed(flags):
            return
        _refuse(f"write to {os.fsdecode(path) if isinstance(path, str | bytes) else path!r}")
    elif event == "os.mkdir" and _is_folder_of_allowed(args[0] if args else None):
        return  # the slip's folder and the folders above it, when missing
    elif event == "os.link" and len(args) >= 4 and _allowed(_in_folder(args[1], args[3])):
        return  # an unnamed file (above) given the allowed name: write_atomic's way
    elif event in _FS_EVENTS:
        if (
            args
            and _allowed(args[0])
            and (len(args) < 2 or event != "os.rename" or _allowed(args[1]))
        ):
            return
        _refuse(f"{event} {args[0] if args else ''}")
    elif event in _PROCESS_EVENTS:
        _refuse(f"{event} (new process)")
    elif event in _NETWORK_EVENTS:
        _refuse(f"{event} (network)")


def _refuse(what: str) -> None:
    _refused.append(what)
    raise CallSealed(f"refused during a call: {what}")


def install() -> None:
    """Add the audit hook (once per process; it stays, inactive until :func:`sealed`)."""
    if not _state["installed"]:
        sys.addaudithook(_hook)
        _state["installed"] = True


@contextlib.contextmanager
def sealed() -> Iterator[None]:
    """Refuse disk and network writes inside the block (no .pyc files either)."""
    install()
    bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    _state["active"] = True
    try:
        yield
    finally:
        _state["active"] = False
        _state["allowed"] = None
        sys.dont_write_bytecode = bytecode


@contextlib.contextmanager
def allow_file(path: Path) -> Iterator[None]:
    """Let the block write this one file (through a temporary file beside it)."""
    _state["allowed"] = Path(path).absolute()
    try:
        yield
    finally:
        _state["allowed"] = None


def is_sealed() -> bool:
    return bool(_state["active"])


def refusals() -> list[str]:
    """What was refused since the process started (paths and events, never content)."""
    return list(_refused)
