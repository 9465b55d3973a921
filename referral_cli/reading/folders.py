"""What a data folder may be, and whom its files can be trusted to come from.

A directory decides where a volunteer sends a survivor. It is refused when it
cannot be a directory at all (the root, a system folder: walking ``/`` would
read ``/proc`` for ever), and each file or folder in it that another account
could have written (writable by every user, or owned by another user) is said
in every command, and refused with ``--strict-data``: a planted "shelter"
would otherwise be served like any other.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from referral_cli.errors import Diagnostic, ReferralError

# Folders that hold the system, never a directory (their subfolders under the
# first three are not folders of files at all).
SYSTEM_FOLDERS = frozenset(
    Path(p)
    for p in ("/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/root", "/run",
              "/sbin", "/sys", "/usr", "/var", "/home", "/Users", "/System", "/Library")
)  # fmt: skip
PSEUDO_FOLDERS = (Path("/proc"), Path("/sys"), Path("/dev"))
# Files and folders walked under a data folder, at most: a network's directory
# has hundreds of files; more is a folder given by mistake.
MAX_WALKED = 100_000


def refuse_system_folder(path: Path) -> None:
    """Stop when ``path`` is the root, a system folder or a folder inside /proc, /sys
    or /dev (a file there is refused when read: not a regular file)."""
    if not path.is_dir():
        return
    resolved = path.resolve()
    inside = any(resolved == p or p in resolved.parents for p in PSEUDO_FOLDERS)
    if resolved in SYSTEM_FOLDERS or inside:
        raise ReferralError(
            f"{path}: a system folder, not a directory of providers; give the folder"
            " that holds the directory's YAML files"
        )


def too_many(folder: Path) -> ReferralError:
    return ReferralError(
        f"{folder}: more than {MAX_WALKED:,} files and folders under it; give the folder"
        " that holds the directory's YAML files"
    )


def outside(folder: Path, file: Path) -> bool:
    """Whether ``file`` (under ``folder``) is a link that leads out of it."""
    if not file.is_symlink():
        return False
    try:
        target = file.resolve(strict=True)
        regular = stat.S_ISREG(os.stat(target).st_mode)
    except (OSError, RuntimeError):
        return False  # a broken link or a loop: reading it says so
    # a link to a device or a pipe is refused when read, as not a regular file
    return regular and not target.is_relative_to(folder.resolve())


def untrusted(
    location: Path,
    files: Sequence[Path],
    shown: Iterable[str],
    stats: Sequence[os.stat_result] | None = None,
) -> list[Diagnostic]:
    """A warning for each file, and each folder from ``location`` down to a file,
    that another account could have written; ``stats``, the files' own (already
    taken to open the index), spare a second look at each file."""
    known = dict(zip(files, stats, strict=True)) if stats is not None else {}
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    out: list[Diagnostic] = []
    seen: set[Path] = set()
    top = location if location.is_dir() else None
    for f, name in zip(files, shown, strict=True):
        folders = []
        if top is not None:
            folders = [p for p in f.parents if p == top or top in p.parents]
        for where, label in [*((p, str(p)) for p in folders), (f, name)]:
            if where in seen:
                continue
            seen.add(where)
            why = _why(where, uid, known.get(where))
            if why is not None:
                kind = "file" if where in known or not where.is_dir() else "folder"
                out.append(
                    Diagnostic(
                        label,
                        1,
                        1,
                        "warning",
                        f"this {kind} is {why}: another account could have changed what the"
                        " directory says; make it yours and not writable by others"
                        " (--strict-data refuses it)",
                        "trust",
                    )
                )
    return out


def _why(path: Path, uid: int | None, st: os.stat_result | None = None) -> str | None:
    if st is None:
        try:
            st = os.stat(path)
        except OSError:
            return None  # reading it says what is wrong
    if st.st_mode & stat.S_IWOTH:
        return "writable by every user of this machine"
    if uid is not None and st.st_uid != uid:
        return f"owned by another user (uid {st.st_uid})"
    return None
