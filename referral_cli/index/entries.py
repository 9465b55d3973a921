"""What the index knows of a source file, and the constants its tables are
filed with: all that reading an index up to date needs, apart from the modules
that write it (:mod:`referral_cli.index.filing`, :mod:`referral_cli.index.parsing`),
which a warm command never loads."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from referral_cli.blake2 import blake2b
from referral_cli.errors import Diagnostic
from referral_cli.reading.nodes import MAX_BYTES

KM_PER_DEGREE = 111.19492664455873  # of latitude, on the sphere geo measures on
MARGIN_KM = 2.0  # confidential distances are measured from a point rounded to ~1 km
ANYWHERE = "*"  # the reach of a phone or online service that names no area


@dataclass(frozen=True)
class FileEntry:
    """What the index knows of one source file."""

    shown: str
    count: int
    diagnostics: list[Diagnostic]
    countries: dict[str, int]  # providers per address country
    unique: bool  # no id in the file twice


def stat_key(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def stat_or_none(path: Path) -> str | None:
    try:
        return stat_key(path.stat())
    except OSError:
        return None


def digest_of(path: Path) -> str:
    return blake2b(path.read_bytes(), digest_size=20).hexdigest()


def renamed(d: Diagnostic, was_shown: str, shown: str) -> Diagnostic:
    """A stored diagnostic, its file named as it is shown now (the index is keyed by
    the resolved file, which is shown relative to the working folder)."""
    if was_shown == shown:
        return d
    return replace(d, path=shown, message=d.message.replace(was_shown, shown))


def file_problem(st: os.stat_result) -> str | None:
    """Why a file with this status is no directory file (a pipe would hang the
    command, a device or a huge file exhaust memory), or None."""
    if not stat.S_ISREG(st.st_mode):
        return (
            "not a regular file (a device, pipe or socket); a directory file must be a plain file"
        )
    if st.st_size > MAX_BYTES:
        return (
            f"file is {st.st_size // (1024 * 1024)} MiB; the limit is"
            f" {MAX_BYTES // (1024 * 1024)} MiB — split the directory into several files"
        )
    return None
