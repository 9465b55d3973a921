"""Files of the user cache folder: private to the user, and verified when read.

The cache holds directory data (confidential streets and coordinates among it)
and the parsed taxonomy, which decides who is eligible for what. So its folders
are made 0700 and its files 0600, and a cached file is used only when it is a
regular file owned by the user, readable and writable by nobody else, in such a
folder; a sealed file must also carry the digest of the code that wrote it and
a digest of its content that matches. Anything else is ignored (and rebuilt by
the caller), never trusted.

Where the system has no POSIX owners and modes (Windows: ``os.stat`` gives no
owner and every mode as 0o666 or 0o777), privacy is the per-user profile
folder's, which Windows lets only the user, administrators and the system open;
files made in it inherit that. There only regular files and folders are
checked (docs/security.md says so).
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import time
import zlib
from pathlib import Path
from typing import IO

from referral_cli.blake2 import blake2b
from referral_cli.config import cache_dir
from referral_cli.files import RACY_SECONDS, write_atomic

_MAGIC = b"referral-cache\x01"
_DIGEST = 16


@functools.cache
def code_digest(subpackage: str = "") -> bytes:
    """A digest of the package's modules and data tables (or of one subpackage's,
    for what only it computes), its subpackages' included: any change to the code
    that builds a cached value makes every cached value stale."""
    return remembered_digest(Path(__file__).parent / subpackage)


def tree_digest(folder: Path) -> bytes:
    """A digest of the names and contents of the ``*.py`` and ``*.yaml`` files
    under ``folder``, at any depth (in name order; compiled files are not code)."""
    h = blake2b(digest_size=_DIGEST)
    for name, path in _code_files(folder):
        with open(path, "rb") as fh:
            data = fh.read()
        h.update(name.encode())
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


def remembered_digest(folder: Path) -> bytes:
    """:func:`tree_digest` of ``folder``, read from a private memo while no file
    under it has changed since (by size, times and inode: one ``stat`` a file
    instead of reading and hashing every module on each start). A memo is
    written only when every file is older than :data:`RACY_SECONDS`, so that a
    file changed twice within the file system's timestamp resolution, keeping its
    size, is never taken for the first change (git's "racy clean" problem)."""
    files = _code_files(folder)
    stats, newest = _stat_lines(files)
    key = b"\n".join((os.fsencode(folder), stats))
    store = private_folder("code")
    memo = store / f"{zlib.crc32(os.fsencode(folder)):08x}" if store is not None else None
    fh = open_private(memo) if memo is not None else None
    if fh is not None:
        with fh, contextlib.suppress(OSError):
            data = fh.read()
            if data[_DIGEST:] == key:
                return data[:_DIGEST]
    digest = tree_digest(folder)  # read after the stat: a change in between leaves a stale key
    if memo is not None and newest < time.time_ns() - RACY_SECONDS * 1_000_000_000:
        with contextlib.suppress(OSError):
            write_private(memo, digest + key)
    return digest


def _code_files(folder: Path) -> list[tuple[str, str]]:
    """(name under ``folder``, path) of each ``*.py`` and ``*.yaml`` file at any
    depth, in name order (``__pycache__`` and hidden folders left out)."""
    top = os.fspath(folder)
    found = []
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        where = "." if root == top else os.path.relpath(root, top).replace(os.sep, "/")
        found += [
            (f"{where}/{name}", os.path.join(root, name))
            for name in sorted(files)
            if name.endswith((".py", ".yaml"))
        ]
    return found


def _stat_lines(files: list[tuple[str, str]]) -> tuple[bytes, int]:
    """Each file's name, size, modification and change times and inode, one a line;
    and the newest modification time (nanoseconds), as the index judges its files."""
    lines = []
    newest = 0
    for name, path in files:
        st = os.stat(path)
        lines.append(f"{name} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}")
        newest = max(newest, st.st_mtime_ns)
    return "\n".join(lines).encode(), newest


def _user_id() -> int | None:
    """The user's id, or None where files have no POSIX owner and mode (Windows:
    ``os.stat`` gives no owner and every mode as 0o666 or 0o777; its access
    control lists are not seen from Python's standard library)."""
    geteuid = getattr(os, "geteuid", None)
    return None if geteuid is None else int(geteuid())


def private(st: os.stat_result) -> bool:
    """Whether a file with this status is the user's and nobody else may read or
    write it (where there are no POSIX modes, its folder's access alone decides)."""
    uid = _user_id()
    return uid is None or (st.st_uid == uid and not st.st_mode & 0o077)


def private_folder(name: str) -> Path | None:
    """The cache's subfolder ``name``, made if needed and kept 0700; None when it
    cannot be made private (another user owns it, or it cannot be created)."""
    root = cache_dir()
    folder = root / name
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)  # an existing one is left as is
        folder.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(folder)
        uid = _user_id()
        if not stat.S_ISDIR(st.st_mode) or (uid is not None and st.st_uid != uid):
            return None
        if uid is not None and st.st_mode & 0o077:
            os.chmod(folder, 0o700)  # ours, made by an older version with the umask's mode
    except OSError:
        return None
    return folder


def open_private(path: Path) -> IO[bytes] | None:
    """``path`` opened for reading when it is a regular file of the user's that
    nobody else can read or write (not followed if a link); else None."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))  # Windows: no CRLF translation
    except OSError:
        return None
    st = os.fstat(fd)
    if not (stat.S_ISREG(st.st_mode) and private(st)):
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")


def write_private(path: Path, data: bytes) -> None:
    """Write a cache file, 0600, atomically (raises OSError like any write)."""
    write_atomic(path, data, force=True, mode=0o600)


def write_sealed(path: Path, payload: bytes) -> None:
    """Write ``payload`` with the code digest and a digest of the payload before it."""
    digest = blake2b(payload, digest_size=_DIGEST).digest()
    write_private(path, b"".join((_MAGIC, code_digest(), digest, payload)))


def read_sealed(path: Path) -> bytes | None:
    """The payload of a sealed file when it is private, written by this very code
    and intact; None otherwise."""
    fh = open_private(path)
    if fh is None:
        return None
    with fh:
        try:
            data = fh.read()
        except OSError:
            return None
    head = len(_MAGIC)
    payload = data[head + 2 * _DIGEST :]
    if (
        data[:head] != _MAGIC
        or data[head : head + _DIGEST] != code_digest()
        or data[head + _DIGEST : head + 2 * _DIGEST]
        != blake2b(payload, digest_size=_DIGEST).digest()
    ):
        return None
    return payload
