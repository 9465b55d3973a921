"""Filing providers into the index's tables (the writing half of the index).

Only :mod:`referral_cli.index.database` files with this module, and describes
the tables it fills (:mod:`referral_cli.index.store` reads them). A
file's providers are filed in one transaction, their rowids following the last
one given, and forgotten the same way when the file changes.
"""

from __future__ import annotations

import marshal
import math
import sqlite3
import time
import zlib
from pathlib import Path
from typing import Any, NamedTuple

from referral_cli.errors import Diagnostic
from referral_cli.files import RACY_SECONDS
from referral_cli.geo.addresses import street_key
from referral_cli.index import facets
from referral_cli.index.entries import (
    ANYWHERE,
    KM_PER_DEGREE,
    MARGIN_KM,
    FileEntry,
    digest_of,
    stat_or_none,
)
from referral_cli.records import codec, words
from referral_cli.records.model import Provider


def store(
    db: sqlite3.Connection,
    source: Path,
    shown: str,
    before: str | None,
    providers: list[Provider],
    diagnostics: list[Diagnostic],
) -> tuple[int, FileEntry]:
    """Replace the file's entry (marked unusable when the file changed while it was
    being read: its rows still serve this command)."""
    summary = facets.summarise(providers)
    entry = FileEntry(shown, len(providers), diagnostics, summary.countries, summary.unique)
    now = time.time()
    after = stat_or_none(source)
    usable = before is not None and before == after
    racy = usable and source.stat().st_mtime_ns / 1e9 >= now - RACY_SECONDS
    digest = digest_of(source) if racy else None
    db.execute("BEGIN IMMEDIATE")
    try:
        forget(db, str(source))
        cursor = db.execute(
            "INSERT INTO files(path, shown, stat, digest, written, count, diagnostics, errors,"
            " summary, groups, sizes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                str(source),
                shown,
                after if usable else "changed while read",
                digest,
                now,
                len(providers),
                marshal.dumps([d.as_tuple() for d in diagnostics]),
                marshal.dumps([d.as_tuple() for d in diagnostics if d.severity == "error"]),
                marshal.dumps((summary.countries, summary.unique)),
                marshal.dumps(summary.groups),
                marshal.dumps(summary.sizes),
            ),
        )
        file_id = cursor.lastrowid
        assert file_id is not None
        _insert(db, file_id, providers)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return file_id, entry


RETIRED_FILES = 64  # the group sizes of the files filed again last, kept for sums


def forget(db: sqlite3.Connection, source: str) -> None:
    """Remove a file's entry and everything filed under its providers."""
    found = db.execute("SELECT file_id FROM files WHERE path = ?", (source,)).fetchone()
    if found is None:
        return
    (file_id,) = found
    # Its coverage group sizes, while a sum of them is remembered: subtracted from
    # that sum, they give the next one without summing every file again.
    db.execute(
        "INSERT OR REPLACE INTO retired SELECT file_id, sizes FROM files WHERE file_id = ?"
        " AND EXISTS (SELECT 1 FROM remembered WHERE kind = 'sums')",
        (file_id,),
    )
    db.execute(
        "DELETE FROM retired WHERE file_id NOT IN"
        f" (SELECT file_id FROM retired ORDER BY file_id DESC LIMIT {RETIRED_FILES})"
    )
    rows = db.execute(
        "SELECT rowid, data FROM blobs WHERE rowid IN (SELECT rowid FROM providers WHERE file_id = ?)",
        (file_id,),
    ).fetchall()
    for rowid, data in rows:
        p = codec.decode(marshal.loads(data))
        db.execute("DELETE FROM place WHERE provider = ?", (rowid,))
        db.execute("DELETE FROM spot WHERE provider = ?", (rowid,))
        db.executemany(
            "DELETE FROM offered WHERE id = ?", [(i,) for i, _ in _offered_ids(rowid, p)]
        )
        db.executemany(
            "DELETE FROM offers WHERE term = ? AND provider = ?",
            [(t, rowid) for t in _offers(p)],
        )
        db.executemany(
            "DELETE FROM reach WHERE key = ? AND provider = ?", [(k, rowid) for k in _reach(p)]
        )
        db.execute(
            "INSERT INTO words(words, rowid, text) VALUES ('delete', ?, ?)",
            (rowid, " ".join(words.provider_words(p))),
        )
    for table in ("blobs", "texts"):
        db.execute(
            f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM providers WHERE file_id = ?)",
            (file_id,),
        )
    db.execute("DELETE FROM providers WHERE file_id = ?", (file_id,))
    db.execute("DELETE FROM files WHERE file_id = ?", (file_id,))


def _offers(p: Provider) -> set[str]:
    """Its service types (``s:``), its primary one again (``p:``, the first: ranked
    by :data:`referral_cli.search.rules.PRIMARY_SCORE`) and its areas (``a:``)."""
    primary = {"p:" + p.services[0]} if p.services else set()
    return {"s:" + s for s in p.services} | primary | {"a:" + a for a in p.areas}


def _reach(p: Provider) -> set[str]:
    sa = p.service_area
    if sa is None:
        return set()
    keys = {"r:" + r for r in sa.regions} | {"c:" + c for c in sa.countries}
    if sa.remote and not sa.regions and not sa.countries and sa.radius_km is None:
        keys.add(ANYWHERE)
    return keys


def _offered_ids(rowid: int, p: Provider) -> list[tuple[int, str]]:
    """The ids of a provider's rows in ``offered`` (its rowid, then which of its
    service types, in order) with their term: unique, and found again when it is
    forgotten."""
    return [(rowid << 16 | k, "s:" + s) for k, s in enumerate(sorted(set(p.services)))]


def _box(p: Provider) -> tuple[float, float, float, float] | None:
    """Where a provider is, widened by the radius it travels to serve people."""
    if p.lat is None or p.lon is None:
        return None
    sa = p.service_area
    r = sa.radius_km if sa is not None and sa.radius_km is not None else 0.0
    if not r:
        return (p.lat, p.lat, p.lon, p.lon)
    r = (r + MARGIN_KM) * 1.01
    dlat = r / KM_PER_DEGREE
    widest = min(89.9, abs(p.lat) + dlat)
    dlon = min(180.0, r / (KM_PER_DEGREE * math.cos(math.radians(widest))))
    return (p.lat - dlat, p.lat + dlat, max(-180.0, p.lon - dlon), min(180.0, p.lon + dlon))


FILED_AT_ONCE = 4096  # providers whose rows are made and inserted together


def _insert(db: sqlite3.Connection, file_id: int, providers: list[Provider]) -> None:
    """File a file's providers (inside the writing transaction: their rowids follow
    the last one given), in the order of :func:`_locality`, each with its place
    in the file (``seq``). Their rows are made a run of :data:`FILED_AT_ONCE` at a
    time, so a large file's rows are never all held at once beside its providers."""
    last = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'providers'").fetchone()
    first = 1 if last is None else last[0] + 1
    located = [(_point(p), _reach(p)) for p in providers]
    order = sorted(range(len(providers)), key=lambda i: _locality(*located[i]))
    facts, codes = _Facts(db), _Codes(db)
    for start in range(0, len(order), FILED_AT_ONCE):
        run = [
            _Filed(providers[seq], first + n, seq, *located[seq])
            for n, seq in enumerate(order[start : start + FILED_AT_ONCE], start)
        ]
        _insert_run(db, file_id, run, facts, codes)


class _Filed(NamedTuple):
    """A provider as it is filed: its rowid, its place in the file, where its
    distance is measured from and what it reaches."""

    provider: Provider
    rowid: int
    seq: int
    point: tuple[float, float] | None
    reach: set[str]


def _insert_run(
    db: sqlite3.Connection, file_id: int, run: list[_Filed], facts: _Facts, codes: _Codes
) -> None:
    dumps, encode = marshal.dumps, codec.encode
    rows = []
    blobs = []
    for p, rowid, seq, point, _ in run:
        v = encode(p)
        data = dumps(v)
        blobs.append((rowid, data, zlib.crc32(data)))
        lat, lon = point or (None, None)
        verified = None if p.last_verified is None else p.last_verified.isoformat()
        a = p.address
        street = None if a is None else street_key(a.street, a.postal_code)
        rows.append(
            (rowid, file_id, seq, p.id, *facts.of(v), lat, lon, p.confidential, street)
            + (p.name.lower(), p.source.line, p.source.col, verified, *_tonight(p))
        )
    db.executemany(
        "INSERT INTO providers(rowid, file_id, seq, id, elig, langs, hours, area, lat, lon,"
        " confidential, street, sort_name, line, col, verified, refers, beds, as_of, until)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.executemany("INSERT INTO blobs VALUES (?, ?, ?)", blobs)
    db.executemany(
        "INSERT INTO offers VALUES (?, ?)", [(t, f.rowid) for f in run for t in _offers(f.provider)]
    )
    db.executemany("INSERT INTO reach VALUES (?, ?)", [(k, f.rowid) for f in run for k in f.reach])
    db.executemany(
        "INSERT INTO place VALUES (?, ?, ?, ?, ?)",
        [(f.rowid, *b) for f in run if (b := _box(f.provider)) is not None],
    )
    db.executemany(
        "INSERT INTO spot VALUES (?, ?, ?, ?, ?)",
        [(f.rowid, pt[0], pt[0], pt[1], pt[1]) for f in run if (pt := f.point) is not None],
    )
    db.executemany(
        "INSERT INTO offered VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (i, code, code, *b, f.rowid)
            for f in run
            if (b := _box(f.provider)) is not None
            for i, term in _offered_ids(f.rowid, f.provider)
            for code in (codes.of(term),)
        ],
    )
    db.executemany(
        "INSERT INTO words(rowid, text) VALUES (?, ?)",
        [(f.rowid, " ".join(words.provider_words(f.provider))) for f in run],
    )
    db.executemany(
        "INSERT INTO texts VALUES (?, ?, ?)",
        [
            (
                f.rowid,
                words.spaced(words.provider_words(f.provider)),
                words.spaced(words.words_of(f.provider.name)),
            )
            for f in run
        ],
    )


def _tonight(p: Provider) -> tuple[bool, int | None, float | None, str | None]:
    """Whether it takes referrals, the beds it reported free and when (seconds
    since the epoch), and the day a closure ends: what search ranks and filters by."""
    a, s = p.availability, p.status
    until = None if s is None or s.until is None else s.until.isoformat()
    if a is None:
        return p.refers, None, None, until
    return p.refers, a.beds_available, a.as_of.timestamp(), until


def _point(p: Provider) -> tuple[float, float] | None:
    """Where a provider's distance is measured from: a confidential one's point
    rounded (to about 1 km), the only point of it the index holds."""
    if p.lat is None or p.lon is None:
        return None
    if p.confidential:
        return round(p.lat, 2), round(p.lon, 2)
    return p.lat, p.lon


def _locality(point: tuple[float, float] | None, reach: set[str]) -> tuple[str, int]:
    """The order a file's providers are given rowids in: those reaching the same
    regions or countries together, and within them by a Z-order curve of their
    point. A search around a place reads the rows of the providers there and of
    those reaching it; with neighbouring rowids they share pages, and SQLite
    reads a few pages instead of one page a provider."""
    if point is None:
        return ",".join(sorted(reach)), 1 << 32  # after the located
    y = int((point[0] + 90.0) / 180.0 * 0xFFFF)
    x = int((point[1] + 180.0) / 360.0 * 0xFFFF)
    return ",".join(sorted(reach)), _spread(x) | _spread(y) << 1


def _spread(v: int) -> int:
    """The 16 bits of ``v`` moved to the even bits of 32 (one half of a Z-order code)."""
    v = (v | v << 8) & 0x00FF00FF
    v = (v | v << 4) & 0x0F0F0F0F
    v = (v | v << 2) & 0x33333333
    return (v | v << 1) & 0x55555555


class _Facts:
    """Keys to the values most providers share with others (their eligibility,
    languages, hours and service area): a search judges each value once, inside
    SQLite, by its key (:mod:`referral_cli.search.sqlite`)."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db
        self._keys: dict[tuple[str, bytes], int] = {
            (kind, data): key for key, kind, data in db.execute("SELECT key, kind, data FROM facts")
        }

    def of(self, v: codec.Values) -> tuple[int, ...]:
        return tuple(self._key(kind, value) for kind, value in codec.shared(v))

    def _key(self, kind: str, value: Any) -> int:
        data = marshal.dumps(value)
        key = self._keys.get((kind, data))
        if key is None:
            cursor = self._db.execute("INSERT INTO facts(kind, data) VALUES (?, ?)", (kind, data))
            assert cursor.lastrowid is not None
            key = self._keys[kind, data] = cursor.lastrowid
        return key


class _Codes:
    """The code of each service type in ``terms`` (the key of ``offered``), given
    the first time a type is filed."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db
        self._codes = dict(db.execute("SELECT term, code FROM terms"))

    def of(self, term: str) -> int:
        code = self._codes.get(term)
        if code is None:
            cursor = self._db.execute("INSERT INTO terms(term) VALUES (?)", (term,))
            assert cursor.lastrowid is not None
            code = self._codes[term] = cursor.lastrowid
        return code
