"""The directory as it was at a git revision, for ``coverage --compare REV``.

A directory that did not exist yet at that revision is compared as an empty one
(every gap it fills is a gap closed).

Its files are read with ``git show REV:path`` into a temporary folder only the
user can read (a confidential street in the old files must not become readable
by others), loaded without the cache, and the folder is removed when the
comparison is done. Git runs with an argument list, never a shell, and a
revision that begins with ``-`` is refused, so it can never be read as an option.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from referral_cli.errors import ReferralError, UsageError

SUFFIXES = (".yaml", ".yml")


def _git(cwd: Path, *args: str) -> bytes:
    """Git's standard output for ``args``, or a one-line error saying what failed."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError:
        raise ReferralError("git is not installed; give --compare a folder instead") from None
    except subprocess.TimeoutExpired:
        raise ReferralError(f"git {args[0]} took over 2 minutes; try again") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReferralError(f"git {args[0]} failed: {said[-1] if said else 'no message'}")
    return done.stdout


@contextlib.contextmanager
def checked_out(revision: str, location: Path) -> Iterator[Path]:
    """A private temporary copy of the directory ``location`` (a file or folder in
    a git work tree) as it was at ``revision``; removed on leaving."""
    if revision.startswith("-") or not revision.strip():
        raise UsageError(f"--compare {revision!r}: not a revision or an existing folder")
    location = location.resolve()
    base = location if location.is_dir() else location.parent
    try:
        top = Path(_git(base, "rev-parse", "--show-toplevel").decode().strip())
    except ReferralError:
        raise UsageError(
            f"--compare {revision}: {base} is not in a git repository, and no folder has"
            " that name; give a revision of the directory's repository or a folder"
        ) from None
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except ReferralError:
        raise UsageError(
            f"--compare {revision}: no such revision in {top} and no such folder"
        ) from None
    inside = location.relative_to(top.resolve()).as_posix()
    inside = "" if inside == "." else inside  # the directory is the whole repository
    listed = _git(top, "ls-tree", "-r", "-z", "--name-only", revision, "--", inside or ".")
    names = [n.decode("utf-8", "surrogateescape") for n in listed.split(b"\0") if n]
    names = [n for n in names if n.lower().endswith(SUFFIXES)]
    folder = Path(tempfile.mkdtemp(prefix="referral-compare-"))  # mode 0700
    try:
        if not names:  # the directory is new since then: compared with an empty one
            (folder / "empty.yaml").write_text("providers: []\n", "utf-8")
            yield folder
            return
        for name in names:
            if location.is_dir():
                target = folder / (Path(name).relative_to(inside) if inside else Path(name))
            else:
                target = folder / Path(name).name
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(_git(top, "show", f"{revision}:{name}"))
        yield folder if location.is_dir() else folder / location.name
    finally:
        shutil.rmtree(folder, ignore_errors=True)
