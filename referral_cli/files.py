"""Safe file writes: atomic, no-clobber, only ever onto a regular file, and no
copy of what was written left behind by a crash or a kill."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from referral_cli.errors import ReferralError

# A file modified this recently may change again within the file system's timestamp
# resolution keeping its size and times: what was read of it is not known current.
RACY_SECONDS = 2.0


def write_atomic(path: Path, data: bytes, *, force: bool = False, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Refuses to replace an existing file unless ``force``, and never replaces a
    device, pipe or folder, nor a link to one; a link to a missing file counts
    as existing. The data is written to an unnamed file (Linux ``O_TMPFILE``)
    that is given a name only once complete, so a killed write leaves nothing; elsewhere to
    a 0600 temporary file removed on any failure or termination signal. The
    file gets ``mode``, or the replaced file's, or what a plain write gives.
    An interrupted write leaves the old file as it was.
    """
    path = Path(path)
    target = _check_target(path, force)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        final_mode = _mode_for(target) if mode is None else mode
        with _removed_on_signal() as pending:
            tmp = _write_unnamed(path, data, final_mode, pending)
            if tmp is None:
                tmp = _write_named(path, data, final_mode, pending)
            os.replace(tmp, path)
    except OSError as exc:
        raise ReferralError(f"cannot write {path}: {exc.strerror or exc}") from None


def _check_target(path: Path, force: bool) -> Path:
    """The file a write would replace (``path``, or the file a link names), after
    refusing what must never be replaced."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise ReferralError(f"cannot write {path}: {exc.strerror}") from None
    if stat.S_ISLNK(st.st_mode):
        try:
            st = os.stat(path)
        except OSError:
            if not force:
                raise ReferralError(
                    f"{path} is a link to a missing file; pass --force to replace the link"
                ) from None
            return path
    if not stat.S_ISREG(st.st_mode):
        raise ReferralError(
            f"{path} is not a regular file (a device, pipe or folder); choose a file name"
        )
    if not force:
        raise ReferralError(f"{path} exists; pass --force to replace it")
    return path


def _write_unnamed(path: Path, data: bytes, mode: int, pending: list[Path]) -> Path | None:
    """Write into an unnamed file in ``path``'s folder and name it; None where the
    system cannot make unnamed files."""
    tmpfile = getattr(os, "O_TMPFILE", 0)
    directory = getattr(os, "O_DIRECTORY", 0)
    if not tmpfile or not directory or not os.path.isdir("/proc/self/fd"):
        return None
    try:  # O_PATH: a folder the user may write but not list is still a folder to write in
        folder = os.open(path.parent, getattr(os, "O_PATH", os.O_RDONLY) | directory)
    except OSError:
        return None
    try:
        try:
            fd = os.open(".", tmpfile | os.O_WRONLY, 0o600, dir_fd=folder)
        except OSError:  # a file system without O_TMPFILE
            return None
        try:
            _write_all(fd, data)
            tmp = _temp_name(path)
            pending.append(tmp)
            # With a dir_fd, os.link is linkat(..., AT_SYMLINK_FOLLOW): it links the
            # file the /proc entry stands for (plain link() would link the entry).
            os.link(f"/proc/self/fd/{fd}", tmp.name, dst_dir_fd=folder, follow_symlinks=True)
            _set_mode(fd, tmp, mode)
            return tmp
        finally:
            os.close(fd)
    finally:
        os.close(folder)


def _write_named(path: Path, data: bytes, mode: int, pending: list[Path]) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    pending.append(tmp)
    try:
        _write_all(fd, data)
        _set_mode(fd, tmp, mode)
    finally:
        os.close(fd)
    return tmp


def _write_all(fd: int, data: bytes) -> None:
    with memoryview(data) as view:
        done = 0
        while done < len(view):
            done += os.write(fd, view[done:])
    os.fsync(fd)


def _set_mode(fd: int, tmp: Path, mode: int) -> None:
    """Give the complete file its mode: only now, as until complete the content is
    the user's alone (by the file, or by its name where ``fchmod`` is missing;
    on Windows a mode only says whether the file is read-only)."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, mode)
    else:
        os.chmod(tmp, mode)


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


@contextlib.contextmanager
def _removed_on_signal() -> Iterator[list[Path]]:
    """Yield a list of temporary files to remove if the write fails or the
    process is told to stop (SIGTERM, SIGHUP) meanwhile."""
    pending: list[Path] = []
    previous = {}
    if threading.current_thread() is threading.main_thread():

        def stop(signum: int, _frame: object) -> None:
            raise SystemExit(128 + signum)

        for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if sig is not None:
                previous[sig] = signal.signal(sig, stop)
    try:
        yield pending
    except BaseException:
        for tmp in pending:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _mode_for(path: Path) -> int:
    """The replaced file's mode, or what a plain ``open(path, "w")`` would give."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
