"""The index's database: its layout, where it lives, whether it may be used, and
bringing its entries up to date (:mod:`referral_cli.index.store` asks it;
:mod:`referral_cli.index.filing` writes a file's rows).

The storage is one SQLite database, its layout this module's alone:

* ``files``: per source file (keyed by its resolved path, so the spelling of
  ``--data`` and the working folder never matter), what made its entry —
  size, modification and change times, inode, the path shown in messages — and
  the file's diagnostics and :mod:`referral_cli.index.facets` summary;
* ``providers``: every provider's columns that a search ranks by and the
  checks across files read (id, point, name, line, last_verified); ``blobs``:
  each encoded whole by :mod:`referral_cli.records.codec`;
* ``offers``: the service types and strategy areas each provider lists (the
  hard filters of a search); ``reach``: the regions and countries each serves
  beyond its site; ``place``: an R*Tree of where each is, widened by the radius
  it travels; ``offered``: the same boxes once per service type a provider
  offers, keyed by the type's code in ``terms`` (a service asked near a place
  reads the providers offering it there, not every provider there); ``spot``:
  an R*Tree of each provider's point alone, as search measures from it (the
  nearest to a place read from a small circle around it); ``words``:
  a full-text table of the words it is found by
  (:mod:`referral_cli.records.words`);
* ``remembered`` and ``retired``: what the index keeps of sets of entries and of
  entries filed again (:meth:`referral_cli.index.store.Index.keep`).

An entry is used only when everything that produced it is unchanged: the
file's stat, the program (a digest of its code), the taxonomy and the language
tables. A file modified within :data:`RACY_SECONDS` of the entry's writing could
have changed again inside the file system's timestamp resolution (git's "racy
clean" problem), so its content digest is compared too. A changed file is
re-read alone. The database holds directory data (confidential addresses among
it) but never a query: it lives in a private folder, is a private file, is
ignored and rebuilt when anybody else could have written it, and is rebuilt
silently when damaged. With the cache turned off, or no private folder, the
same tables are built in memory, so every command has one code path.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import sqlite3
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from referral_cli import __version__, languages, taxonomy
from referral_cli.cachefile import code_digest, private, private_folder
from referral_cli.errors import Diagnostic
from referral_cli.files import RACY_SECONDS
from referral_cli.index.entries import (
    FileEntry,
    digest_of,
    renamed,
    stat_key,
    stat_or_none,
)
from referral_cli.index.gcpause import no_gc

if TYPE_CHECKING:
    from referral_cli.index.parsing import Result

FORMAT = 28  # 11: SQLite; 12: ranked inside it; 13: group sizes; 14: repeats; 15: texts;
# 16: sums; 17: errors apart; 18: retired sizes; 19: rowids by locality, seq in the file;
# 20: line, col and last_verified of each provider (the checks across files);
# 21: refers, beds, as_of, until (status and availability: search and the checks);
# 22: the street key (a public provider at a confidential one's street);
# 23: ``offered``, where each service is offered; providers by line;
# 24: ``spot``, where each provider is (the nearest read from a small circle), and
# the providers taking no referrals (those left out near a place, told);
# 25: eligibility.children; 26: the oldest boys and girls it takes along;
# 27: eligibility.residents_of; 28: eligibility.unstated
DATABASE = "directory.sqlite3"

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(
    file_id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT UNIQUE NOT NULL,
    shown TEXT NOT NULL,
    stat TEXT NOT NULL,
    digest TEXT,
    written REAL NOT NULL,
    count INTEGER NOT NULL,
    diagnostics BLOB NOT NULL,
    errors BLOB NOT NULL,
    summary BLOB NOT NULL,
    groups BLOB NOT NULL,
    sizes BLOB NOT NULL
);
CREATE TABLE providers(
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    file_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    elig INTEGER NOT NULL,
    langs INTEGER NOT NULL,
    hours INTEGER NOT NULL,
    area INTEGER NOT NULL,
    lat REAL,
    lon REAL,
    confidential INTEGER NOT NULL,
    street TEXT,
    sort_name TEXT NOT NULL,
    line INTEGER NOT NULL,
    col INTEGER NOT NULL,
    verified TEXT,
    refers INTEGER NOT NULL,
    beds INTEGER,
    as_of REAL,
    until TEXT
);
CREATE TABLE remembered(kind TEXT NOT NULL, files TEXT NOT NULL, data BLOB NOT NULL,
    UNIQUE(kind, files));
CREATE TABLE retired(file_id INTEGER PRIMARY KEY, sizes BLOB NOT NULL);
CREATE TABLE texts(rowid INTEGER PRIMARY KEY, words TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE blobs(rowid INTEGER PRIMARY KEY, data BLOB NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE facts(key INTEGER PRIMARY KEY, kind TEXT NOT NULL, data BLOB NOT NULL,
    UNIQUE(kind, data));
CREATE INDEX providers_file ON providers(file_id);
CREATE INDEX providers_line ON providers(line);
CREATE INDEX providers_id ON providers(id);
CREATE INDEX providers_street ON providers(street) WHERE street IS NOT NULL;
CREATE INDEX providers_secret ON providers(file_id) WHERE confidential;
CREATE INDEX providers_closed ON providers(file_id) WHERE NOT refers;
CREATE TABLE offers(term TEXT NOT NULL, provider INTEGER NOT NULL,
    PRIMARY KEY(term, provider)) WITHOUT ROWID;
CREATE TABLE reach(key TEXT NOT NULL, provider INTEGER NOT NULL,
    PRIMARY KEY(key, provider)) WITHOUT ROWID;
CREATE VIRTUAL TABLE place USING rtree(provider, min_lat, max_lat, min_lon, max_lon);
CREATE TABLE terms(code INTEGER PRIMARY KEY, term TEXT UNIQUE NOT NULL);
CREATE VIRTUAL TABLE spot USING rtree(provider, min_lat, max_lat, min_lon, max_lon);
CREATE VIRTUAL TABLE offered USING rtree(id, min_code, max_code, min_lat, max_lat, min_lon,
    max_lon, +provider);
CREATE VIRTUAL TABLE words USING fts5(text, content='', tokenize='unicode61 remove_diacritics 0');
"""


def enabled() -> bool:
    """Whether the index is kept on disk (``REFERRAL_NO_CACHE`` unset or 0)."""
    return os.environ.get("REFERRAL_NO_CACHE", "") in ("", "0")


@dataclass(frozen=True)
class StoredFile:
    """A file as the index files it: its id in ``files``, as asked, shown and resolved."""

    file_id: int
    path: Path
    shown: str
    resolved: Path


def _database_path() -> Path | None:
    folder = private_folder("index") if enabled() else None
    return None if folder is None else folder / DATABASE


def remove_database() -> None:
    path = _database_path()
    if path is not None:
        for suffix in COMPANIONS:
            with contextlib.suppress(OSError):
                os.unlink(f"{path}{suffix}")


def _fingerprint() -> str:
    """Changes whenever code or tables that shape an entry change."""
    return (
        f"{FORMAT}:{__version__}:{taxonomy.source()[1]}:{languages.digest()}:{code_digest().hex()}"
    )


def _private(path: Path) -> bool:
    """Whether ``path`` is absent, or a regular file of the user's that nobody else
    can read or write (a database anybody else could have written is never used)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return True
    return stat.S_ISREG(st.st_mode) and private(st)


def connect(*, memory: bool = False) -> sqlite3.Connection:
    """The database: the user's, or a new one in memory (caching off, no private
    folder, or a database that cannot be used even once rebuilt)."""
    path = None if memory else _database_path()
    if path is None:
        return _created(_opened(":memory:"))
    for _ in range(2):
        if not all(_private(Path(f"{path}{s}")) for s in COMPANIONS):
            remove_database()
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
            os.close(fd)  # made private before SQLite opens it
        except OSError:
            break
        if not _private(path):
            break
        try:
            db = _opened(path)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            known = db.execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchone()
            if known is None:
                return _created(db)
            found = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if found is not None and found[0] == _fingerprint():
                return db
            db.close()  # written by other code: start again
        except sqlite3.DatabaseError:  # not a database, or damaged
            pass
        remove_database()
    return connect(memory=True)


COMPANIONS = ("", "-wal", "-shm", "-journal")


def _opened(path: Path | str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.execute("PRAGMA temp_store = MEMORY")  # a search's scratch table: never on disk
    return db


def _created(db: sqlite3.Connection) -> sqlite3.Connection:
    db.executescript(SCHEMA)
    db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (_fingerprint(),))
    return db


def refresh(
    db: sqlite3.Connection,
    files: Sequence[Path],
    shown: Sequence[str],
    resolved: Sequence[Path],
    warnings: bool = True,
    stats: Sequence[os.stat_result] | None = None,
) -> tuple[list[StoredFile], list[FileEntry]]:
    """The entries of ``files`` (as :func:`referral_cli.index.store.open_index` takes
    them), each stale one filed again first, and the files they are of. ``stats``
    are the files' status when the caller has just taken it (else it is taken
    here): one query reads every entry, one ``stat`` per file judges it."""
    file_ids: list[int | None] = []
    entries: list[FileEntry | None] = []
    misses = []
    stored = _stored_entries(db, resolved, warnings)
    for i, (source, name) in enumerate(zip(resolved, shown, strict=True)):
        row = stored.get(str(source))
        found = (
            None
            if row is None
            else _fresh_entry(row, source, name, None if stats is None else stats[i])
        )
        file_ids.append(None if found is None else found[0])
        entries.append(None if found is None else found[1])
        if found is None:
            misses.append(i)
    if misses:
        _file_again(db, files, shown, resolved, warnings, misses, file_ids, entries)
    filed = [
        StoredFile(file_id, files[i], shown[i], resolved[i])
        for i, file_id in enumerate(file_ids)
        if file_id is not None
    ]
    return filed, [e for e in entries if e is not None]


def _file_again(
    db: sqlite3.Connection,
    files: Sequence[Path],
    shown: Sequence[str],
    resolved: Sequence[Path],
    warnings: bool,
    misses: list[int],
    file_ids: list[int | None],
    entries: list[FileEntry | None],
) -> None:
    """Parse the files at ``misses`` and file them, their ids and entries put in
    place. The parsing and filing modules are loaded here, by a build only."""
    from referral_cli.index.filing import store
    from referral_cli.index.parsing import Parsing

    batches = _batches(files, misses)
    with Parsing() as parsing:

        def start(batch: list[int]) -> tuple[dict[int, str | None], Callable[[], list[Result]]]:
            before = {i: stat_or_none(files[i]) for i in batch}
            return before, parsing.start([files[i] for i in batch], [shown[i] for i in batch])

        ahead = start(batches[0]) if batches else None
        for k, batch in enumerate(batches):
            assert ahead is not None
            before, results = ahead
            # the workers go on to the next batch while this one is filed
            ahead = start(batches[k + 1]) if k + 1 < len(batches) else None
            parsed = results()
            parsed.reverse()  # taken off the end: each file's providers let go once filed
            for i in batch:
                file_ids[i], entry = store(db, resolved[i], shown[i], before[i], *parsed.pop())
                if not warnings:
                    errors = [d for d in entry.diagnostics if d.severity == "error"]
                    entry = replace(entry, diagnostics=errors)
                entries[i] = entry
    with contextlib.suppress(sqlite3.Error):  # readers then never walk a long log
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


BATCH_BYTES = 96 << 20  # of YAML parsed, then filed, at a time: memory stays bounded


def _batches(files: Sequence[Path], misses: list[int]) -> list[list[int]]:
    """The files to read, in runs of about :data:`BATCH_BYTES` (each run is parsed
    on every core while the run before it is filed; at most two are held)."""
    batches: list[list[int]] = []
    size = 0
    for i in misses:
        try:
            grows = files[i].stat().st_size
        except OSError:
            grows = 0
        if not batches or (size + grows > BATCH_BYTES and batches[-1]):
            batches.append([])
            size = 0
        batches[-1].append(i)
        size += grows
    return batches


def _stored_entries(
    db: sqlite3.Connection, resolved: Sequence[Path], warnings: bool
) -> dict[str, tuple[Any, ...]]:
    """The stored entries of these files, by resolved path, in one query (a
    serving command reads the errors only: warnings can be many)."""
    rows = db.execute(
        "SELECT path, file_id, shown, stat, digest, written, count,"
        f" {'diagnostics' if warnings else 'errors'}, summary FROM files"
        " WHERE path IN (SELECT value FROM json_each(?))",
        (json.dumps([str(r) for r in resolved]),),
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


def _fresh_entry(
    row: tuple[Any, ...], source: Path, shown: str, st: os.stat_result | None
) -> tuple[int, FileEntry] | None:
    """The stored entry ``row`` of ``source`` when it is still true of the file."""
    file_id, was_shown, was_stat, digest, written, count, diagnostics, summary = row
    if st is None:
        try:
            st = source.stat()
        except OSError:
            return None
    if was_stat != stat_key(st):
        return None
    if st.st_mtime_ns / 1e9 >= written - RACY_SECONDS:
        try:
            if digest is None or digest != digest_of(source):
                return None
        except OSError:
            return None
    try:
        with no_gc():
            diags = [renamed(Diagnostic(*d), was_shown, shown) for d in marshal.loads(diagnostics)]
            countries, unique = marshal.loads(summary)
            return file_id, FileEntry(shown, count, diags, countries, unique)
    except (ValueError, TypeError, EOFError):  # damaged: read the file again
        return None
