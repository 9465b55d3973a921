"""On-disk index of parsed directory files, which can never serve stale data.

One entry per source file, in the user cache folder, holding the provider rows and
diagnostics that :func:`referral_cli.directory.load_file` produced. An entry is
used only when everything that produced it is unchanged:

* the file's absolute path, size, modification and change times, and inode;
* the program version, the taxonomy and the language tables (validation
  depends on them);
* the path shown in messages.

A file modified within :data:`RACY_SECONDS` of the entry's writing could have
changed again inside the file system's timestamp resolution (git's "racy
clean" problem), so its content hash is compared too. An unreadable or corrupt
entry is rebuilt, never trusted. The index holds directory data only, never a
query; but that data includes confidential addresses, so entries are private
files in a private folder (:mod:`referral_cli.cachefile`), the fingerprint
includes a digest of the code, and an entry anybody else could have written
is ignored and rebuilt.

Loading is what a warm command spends its time on, so an entry is laid out for
it: the head of every provider's row (the fields every search and count reads,
:data:`referral_cli.model.FILTER_FIELDS`) is loaded at once, with equal values
stored once; the rest of each row is its own checksummed blob, read from the
memory-mapped entry only when a command reads one of its fields — for the
handful of providers it shows. A damaged blob found then stops the command with
one line, and the entry is removed so the next run rebuilds it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import mmap
import os
import struct
import time
import zlib
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from referral_cli.errors import Diagnostic, ReferralError
from referral_cli.facets import Facets, ProviderList, Summary, summarise
from referral_cli.model import FILTER_FIELDS, HEAD, REST_FIELDS, Provider
from referral_cli.parse import no_gc

FORMAT = 10  # 8: diagnostics name their provider; 9: the eligibility state; 10: every YAML error
RACY_SECONDS = 2.0
MAP_BYTES = 1 << 16  # entries from this size on are memory-mapped
Result = tuple[list[Provider], list[Diagnostic]]


class DamagedIndex(ReferralError):
    """A blob of an index entry failed its checksum after the entry was loaded."""


def _fingerprint() -> str:
    """Changes whenever code or taxonomy that shapes an entry changes."""
    from referral_cli import __version__, languages, taxonomy
    from referral_cli.cachefile import code_digest

    return (
        f"{FORMAT}:{__version__}:{taxonomy.source()[1]}:{languages.digest()}:{code_digest().hex()}"
    )


def _entry_path(root: Path, source: Path) -> Path:
    key = hashlib.blake2b(str(source).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return root / f"{key}.idx"


# An entry is: a prefix (length and CRC-32 of the header), the marshalled header (a
# dict), the marshalled *heads* section — (row heads, diagnostic tuples, blob
# offsets, blob CRC-32s, the file's :mod:`referral_cli.facets` summary but its
# groups) — the marshalled groups (read by ``coverage`` only, when it asks), and
# then the blobs: each the marshalled rest of a row.
# marshal, not pickle: it loads plain values fast and can never construct arbitrary
# objects from a tampered file. Every part is checksummed: the header and the heads
# when the entry is opened, each blob when it is read.
_PREFIX = struct.Struct("<QI")
_OFFSET = "Q"
_CRC = "I"
_REST = len(REST_FIELDS)


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def enabled() -> bool:
    return os.environ.get("REFERRAL_NO_CACHE", "") in ("", "0")


def load_files_cached(
    files: Sequence[Path], shown: Sequence[str], resolved: Sequence[Path] | None = None
) -> list[Result]:
    """Parsed and checked files, from the index where it is fresh (``resolved``: the
    files' resolved paths, when already known)."""
    from referral_cli.cachefile import private_folder
    from referral_cli.parse import parse_files

    root = private_folder("index") if enabled() else None
    if root is None:  # turned off, or no folder only the user can read
        return parse_files(files, shown)
    fingerprint = _fingerprint()
    results: list[Result | None] = []
    misses: list[int] = []
    sources = [f.resolve() for f in files] if resolved is None else resolved
    for i, (source, name) in enumerate(zip(sources, shown, strict=True)):
        cached = _read_entry(_entry_path(root, source), source, name, fingerprint)
        results.append(cached)
        if cached is None:
            misses.append(i)
    if misses:
        before = {i: _stat_or_none(files[i]) for i in misses}
        fresh = parse_files([files[i] for i in misses], [shown[i] for i in misses])
        for i, (providers, diagnostics) in zip(misses, fresh, strict=True):
            summary = summarise(providers)
            results[i] = (_listed(providers, summary), diagnostics)
            source = sources[i]
            _store(
                _entry_path(root, source),
                source,
                shown[i],
                before[i],
                (providers, diagnostics),
                summary,
                fingerprint,
            )
    return [r for r in results if r is not None]


def _listed(providers: list[Provider], summary: Summary) -> ProviderList:
    listed = ProviderList(providers)
    listed.facets = Facets([(0, summary)], listed)
    return listed


def _stat_or_none(path: Path) -> tuple[int, int, int, int] | None:
    try:
        return _stat_key(path.stat())
    except OSError:
        return None


class _Rests:
    """The blobs of one entry: the rest of each provider's row, read on demand.

    Holds the entry memory-mapped (entries are only ever replaced by a rename,
    never rewritten in place, so the mapping stays valid), or its bytes when it
    is small or the file system cannot map it.
    """

    __slots__ = ("data", "base", "offsets", "crcs", "entry", "shown")

    def __init__(
        self, data: Any, base: int, offsets: array[int], crcs: array[int], entry: Path, shown: str
    ) -> None:
        self.data = data
        self.base = base
        self.offsets = offsets
        self.crcs = crcs
        self.entry = entry
        self.shown = shown

    def rest(self, position: int) -> tuple[Any, ...]:
        try:
            start = self.base + self.offsets[position]
            blob = self.data[start : self.base + self.offsets[position + 1]]
            if zlib.crc32(blob) == self.crcs[position]:
                rest = marshal.loads(blob)
                if type(rest) is tuple and len(rest) == _REST:
                    return rest
        except Exception:  # noqa: BLE001 - anything wrong with a blob means a damaged entry
            pass
        raise self._damaged()

    def section(self, start: int, size: int, crc: int) -> Any:
        """A section of the entry read when first needed (checked like a blob)."""
        try:
            with memoryview(self.data) as view:
                part = view[start : start + size]
                if zlib.crc32(part) == crc:
                    with no_gc():
                        return marshal.loads(part)
        except Exception:  # noqa: BLE001 - anything wrong with it means a damaged entry
            pass
        raise self._damaged()

    def _damaged(self) -> DamagedIndex:
        with contextlib.suppress(OSError):
            self.entry.unlink()
        return DamagedIndex(
            f"the index entry for {self.shown} is damaged; it has been removed,"
            " run the command again to rebuild it"
        )


def _open(entry: Path) -> Any:
    """The entry's bytes: memory-mapped when large (only the pages read are loaded),
    read when small or where mapping is not possible; None unless the entry is a
    private file of the user's (one anybody else could write is never trusted)."""
    from referral_cli.cachefile import open_private

    fh = open_private(entry)
    if fh is None:
        return None
    with fh:
        if os.fstat(fh.fileno()).st_size >= MAP_BYTES:
            try:
                return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # a file system without mmap
                pass
        return fh.read()


def _read_entry(entry: Path, source: Path, shown: str, fingerprint: str) -> Result | None:
    try:
        st = source.stat()
        data = _open(entry)
        if data is None:
            return None
        with memoryview(data) as view:
            size, crc = _PREFIX.unpack_from(view, 0)
            start = _PREFIX.size
            header = view[start : start + size]
            if len(header) != size or zlib.crc32(header) != crc:
                return None
            meta = marshal.loads(header)
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
            heads_size, heads_crc, groups_size, groups_crc, blobs_size = meta["layout"]
            start += size
            groups_start = start + heads_size
            base = groups_start + groups_size
            if len(view) != base + blobs_size:
                return None
            section = view[start:groups_start]
            if zlib.crc32(section) != heads_crc:
                return None
            with no_gc():
                heads, diags, offset_bytes, crc_bytes, summary = marshal.loads(section)
                offsets = array(_OFFSET)
                offsets.frombytes(offset_bytes)
                crcs = array(_CRC)
                crcs.frombytes(crc_bytes)
                if not len(heads) == len(crcs) == len(offsets) - 1 or offsets[-1] != blobs_size:
                    return None
                rests = _Rests(data, base, offsets, crcs, entry, shown)
                groups = functools.partial(rests.section, groups_start, groups_size, groups_crc)
                offering, in_area, reaching, countries, ids, unique = summary
                from_head = Provider.from_head
                providers = _listed(
                    [from_head(h, rests) for h in heads],
                    (offering, in_area, groups, reaching, countries, ids, unique),
                )
                return providers, [Diagnostic(*d) for d in diags]
    except Exception:  # noqa: BLE001 - a corrupt or unreadable entry is simply rebuilt
        return None


def _shared(value: Any, seen: dict[Any, Any]) -> Any:
    """``value``, or the equal value seen before: most providers share their services,
    eligibility, place … with others, and marshal writes a shared object once and
    loads it as references. A tuple seen first has its strings shared too. (Rows
    come from validation, whose values have one type each: no 50 for 50.0.)"""
    found = seen.get(value)
    if found is None:
        if type(value) is tuple:
            value = tuple([seen.setdefault(v, v) if type(v) is str else v for v in value])
        found = seen[value] = value
    return found


# Head fields whose values many providers share (stored once in an entry).
_SHARED_AT = frozenset(
    FILTER_FIELDS.index(name)
    for name in ("services", "areas", "eligibility", "languages", "service_area", "place")
)


def _head(row: tuple[Any, ...], position: int, seen: dict[Any, Any]) -> tuple[Any, ...]:
    """A row's head, with its position; the values providers share made shared."""
    try:
        head = [_shared(v, seen) if i in _SHARED_AT else v for i, v in enumerate(row[:HEAD])]
        return (*head, position)
    except TypeError:  # an unhashable value (never in rows that validation made)
        return (*row[:HEAD], position)


def _layout(result: Result, summary: Summary) -> tuple[bytes, bytes, bytes]:
    """The heads section, the groups section and the blobs of an entry."""
    seen: dict[Any, Any] = {}
    heads = []
    blobs = []
    offsets = array(_OFFSET, [0])
    crcs = array(_CRC)
    end = 0
    for position, p in enumerate(result[0]):
        row = p.row
        heads.append(_head(row, position, seen))
        blob = marshal.dumps(row[HEAD:])
        blobs.append(blob)
        end += len(blob)
        offsets.append(end)
        crcs.append(zlib.crc32(blob))
    diags = [d.as_tuple() for d in result[1]]
    offering, in_area, groups, reaching, countries, ids, unique = summary
    assert isinstance(groups, dict)
    light = (offering, in_area, reaching, countries, ids, unique)
    section = marshal.dumps((heads, diags, offsets.tobytes(), crcs.tobytes(), light))
    return section, marshal.dumps(groups), b"".join(blobs)


def _store(
    entry: Path,
    source: Path,
    shown: str,
    before: tuple[int, int, int, int] | None,
    result: Result,
    summary: Summary,
    fingerprint: str,
) -> None:
    """Write an index entry, unless the file changed while it was being read."""
    from referral_cli.cachefile import write_private

    try:
        after = _stat_key(source.stat())
        if before is None or before != after:
            return
        now = time.time()
        # A file modified this recently could change again without its size or
        # timestamp changing; remember its content to compare next time.
        racy = after[1] / 1e9 >= now - RACY_SECONDS
        section, groups, blobs = _layout(result, summary)
        meta: dict[str, Any] = {
            "fingerprint": fingerprint,
            "source": str(source),
            "shown": shown,
            "stat": after,
            "digest": _digest(source.read_bytes()) if racy else None,
            "written": now,
            "layout": (
                len(section),
                zlib.crc32(section),
                len(groups),
                zlib.crc32(groups),
                len(blobs),
            ),
        }
        header = marshal.dumps(meta)
        prefix = _PREFIX.pack(len(header), zlib.crc32(header))
        write_private(entry, b"".join((prefix, header, section, groups, blobs)))
    except Exception:  # noqa: BLE001 - the index is an optimisation; never fail a command on it
        pass
