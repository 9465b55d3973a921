"""On-disk index of parsed directory files, which can never serve stale data.

One entry per source file, in the user cache folder, holding the provider rows and
diagnostics that :func:`referral_cli.directory.load_file` produced. An entry is
used only when everything that produced it is unchanged:

* the file's absolute path, size, modification and change times, and inode;
* the program version and the taxonomy (validation depends on both);
* the path shown in messages.

A file modified within :data:`RACY_SECONDS` of the entry's writing could have
changed again inside the file system's timestamp resolution (git's "racy
clean" problem), so its content hash is compared too. An unreadable or corrupt
entry is rebuilt, never trusted. The index holds directory data only, never a
query.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import struct
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from referral_cli.errors import Diagnostic
from referral_cli.model import Provider
from referral_cli.parse import no_gc

FORMAT = 1
RACY_SECONDS = 2.0
Result = tuple[list[Provider], list[Diagnostic]]


def _fingerprint() -> str:
    """Changes whenever code or taxonomy that shapes an entry changes."""
    from referral_cli import __version__, taxonomy

    return f"{FORMAT}:{__version__}:{taxonomy.source()[1]}"


def _entry_path(root: Path, source: Path) -> Path:
    key = hashlib.blake2b(str(source).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return root / f"{key}.idx"


# An entry is: 8-byte length of the header, the marshalled header (a dict), then the
# marshalled body: (provider rows, diagnostic tuples). marshal, not pickle: it loads
# plain values fast and can never construct arbitrary objects from a tampered file.
_HEADER_LEN = struct.Struct("<Q")


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def enabled() -> bool:
    return os.environ.get("REFERRAL_NO_CACHE", "") in ("", "0")


def load_files_cached(files: Sequence[Path], shown: Sequence[str]) -> list[Result]:
    """Parsed and checked files, from the index where it is fresh."""
    from referral_cli.parse import parse_files

    if not enabled():
        return parse_files(files, shown)
    from referral_cli.config import cache_dir

    root = cache_dir() / "index"
    fingerprint = _fingerprint()
    results: list[Result | None] = []
    misses: list[int] = []
    for i, (path, name) in enumerate(zip(files, shown, strict=True)):
        cached = _read_entry(_entry_path(root, path.resolve()), path.resolve(), name, fingerprint)
        results.append(cached)
        if cached is None:
            misses.append(i)
    if misses:
        before = {i: _stat_or_none(files[i]) for i in misses}
        fresh = parse_files([files[i] for i in misses], [shown[i] for i in misses])
        for i, result in zip(misses, fresh, strict=True):
            results[i] = result
            source = files[i].resolve()
            _store(_entry_path(root, source), source, shown[i], before[i], result, fingerprint)
    return [r for r in results if r is not None]


def _stat_or_none(path: Path) -> tuple[int, int, int, int] | None:
    try:
        return _stat_key(path.stat())
    except OSError:
        return None


def _read_entry(entry: Path, source: Path, shown: str, fingerprint: str) -> Result | None:
    try:
        st = source.stat()
        with entry.open("rb") as fh:
            (size,) = _HEADER_LEN.unpack(fh.read(_HEADER_LEN.size))
            meta = marshal.loads(fh.read(size))
            if (
                not isinstance(meta, dict)
                or meta.get("fingerprint") != fingerprint
                or meta.get("source") != str(source)
                or meta.get("shown") != shown
                or meta.get("stat") != _stat_key(st)
            ):
                return None
            if st.st_mtime_ns / 1e9 >= meta["written"] - RACY_SECONDS:
                digest = meta.get("digest")
                if digest is None or digest != _digest(source.read_bytes()):
                    return None
            with no_gc():
                rows, diags = marshal.loads(fh.read())
                return [Provider.from_row(r) for r in rows], [Diagnostic(*d) for d in diags]
    except Exception:  # noqa: BLE001 - a corrupt or unreadable entry is simply rebuilt
        return None


def _store(
    entry: Path,
    source: Path,
    shown: str,
    before: tuple[int, int, int, int] | None,
    result: Result,
    fingerprint: str,
) -> None:
    """Write an index entry, unless the file changed while it was being read."""
    from referral_cli.files import write_atomic

    try:
        after = _stat_key(source.stat())
        if before is None or before != after:
            return
        now = time.time()
        # A file modified this recently could change again without its size or
        # timestamp changing; remember its content to compare next time.
        racy = after[1] / 1e9 >= now - RACY_SECONDS
        meta: dict[str, Any] = {
            "fingerprint": fingerprint,
            "source": str(source),
            "shown": shown,
            "stat": after,
            "digest": _digest(source.read_bytes()) if racy else None,
            "written": now,
        }
        header = marshal.dumps(meta)
        body = marshal.dumps(
            (
                [p.row for p in result[0]],
                [(d.path, d.line, d.col, d.severity, d.message, d.code) for d in result[1]],
            )
        )
        write_atomic(entry, _HEADER_LEN.pack(len(header)) + header + body, force=True)
    except Exception:  # noqa: BLE001 - the index is an optimisation; never fail a command on it
        pass
