"""The index: parsed directory files in SQLite, asked only for what can match.

Every command reads the directory through :func:`open_index`, which gives an
:class:`Index` over the files asked for. The database behind it, its tables and
the rules by which an entry is used or filed again, are
:mod:`referral_cli.index.database`'s. A search asks for the providers in those
tables that can match, so its work grows with the candidates, not the
directory; what is worth keeping about a set of entries (their repeated ids,
summed group sizes, a coverage matrix) is remembered for those very entries.
A database found damaged while it is read is removed and built again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import marshal
import math
import operator
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from referral_cli.index import facets
from referral_cli.index.database import StoredFile, connect, refresh, remove_database
from referral_cli.index.entries import ANYWHERE, KM_PER_DEGREE, MARGIN_KM, FileEntry
from referral_cli.index.gcpause import no_gc
from referral_cli.records import codec, words
from referral_cli.records.model import Provider

if TYPE_CHECKING:
    from referral_cli.format.directory_checks import Checked

_T = TypeVar("_T")

# What is remembered of sets of entries (:meth:`Index.keep`), for this many of
# each kind: the last sets of entries, or questions asked of them.
_REMEMBERED = {"matrix": 32}
_REMEMBERED_OTHERWISE = 8
DECODED_AT_ONCE = 2048  # providers decoded together by Index.each_decoded


@dataclass(frozen=True)
class Near:
    """Around a point: the providers within ``radius_km`` of it or travelling that
    far, and those whose service area covers its region or country."""

    lat: float
    lon: float
    radius_km: float
    region: str | None = None
    country: str | None = None


class Index:
    """The providers of some files, in their order (file by file, as listed).

    A database found damaged while it is read (SQLite's own error, or a row that
    fails its checksum) is removed and built again from the files, silently.
    """

    def __init__(self, db: sqlite3.Connection, files: list[StoredFile], entries: list[FileEntry]):
        self._db = db
        self._files = files
        self.entries = entries
        self._memo: dict[int, Provider] = {}  # by rowid: decoded providers
        self.generation = 0  # how often the database was rebuilt under this index
        self._facts: dict[int, Any] = {}  # by key: shared values (index_filing)
        self._kinds: dict[str, dict[int, Any]] = {}
        self._repeated: list[str] | None = None  # repeated_ids, once asked

    def without(self, shown: set[str]) -> Index:
        """The same index less the files shown as ``shown``."""
        kept = [i for i, e in enumerate(self.entries) if e.shown not in shown]
        index = Index(self._db, [self._files[i] for i in kept], [self.entries[i] for i in kept])
        index._memo, index._facts, index._kinds = self._memo, self._facts, self._kinds
        return index

    def __len__(self) -> int:
        return sum(e.count for e in self.entries)

    def shown_paths(self) -> dict[int, str]:
        """Each file's path as shown, by its ``file_id`` (a column of :meth:`rows`)."""
        return {f.file_id: f.shown for f in self._files}

    def providers(self) -> list[Provider]:
        """Every provider."""
        return self._select("", ())

    def with_ids(self, ids: Sequence[str]) -> list[Provider]:
        """The providers with these ids (any number of them: one parameter)."""
        if not ids:
            return []
        return self._select(
            "AND p.id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),)
        )

    def path_of(self, shown: str) -> Path:
        """The file a provider's ``source.path`` (the file as shown) names."""
        for f in self._files:
            if f.shown == shown:
                return f.path
        raise KeyError(shown)

    def checked(self, ids: Sequence[str] | None = None) -> list[Checked]:
        """What the checks across files read of every provider (or of those with
        ``ids``), in directory order, from the index's columns: no provider is
        decoded but the confidential ones, whose exact point only their row holds.
        The rows are made into records as they are read, never all held at once."""
        from referral_cli.format.directory_checks import Checked  # the checks' only

        self._follow()
        where = "" if ids is None else "AND id IN (SELECT value FROM json_each(?))"
        sql = (
            "SELECT file_id, rowid, id, sort_name, lat, lon, confidential, verified, line, col,"
            f" refers, as_of, until FROM providers WHERE file_id IN ({{files}}) {where}"
        )
        args = () if ids is None else (json.dumps(list(ids)),)
        date = dt.date.fromisoformat
        line = operator.attrgetter("line")

        def read(
            rows: sqlite3.Cursor,
        ) -> tuple[dict[int, list[Checked]], list[tuple[int, Checked]]]:
            shown = {f.file_id: f.shown for f in self._files}
            found: dict[int, list[Checked]] = {file_id: [] for file_id in shown}
            secret: list[tuple[int, Checked]] = []
            with no_gc():
                for file_id, rowid, pid, name, lat, lon, hidden, verified, at, col, *now in rows:
                    when = None if verified is None else date(verified)
                    refers, as_of, until = now
                    record = Checked(
                        pid, name, lat, lon, when, shown[file_id], at, col,
                        not refers, as_of, None if until is None else date(until),
                    )  # fmt: skip
                    found[file_id].append(record)
                    if hidden:
                        secret.append((rowid, record))
            return found, secret

        for _ in (0, 1):
            found, secret = self._read(sql, args, read)
            exact = self.with_rowids([rowid for rowid, _ in secret])
            if exact is None:  # damaged and rebuilt: the rowids mean nothing now
                continue
            out: list[Checked] = []
            for records in found.values():  # a file's records in its order (by line)
                records.sort(key=line)
                out.extend(records)
            if secret:
                point = {
                    id(record): replace(record, lat=p.lat, lon=p.lon)
                    for (_, record), p in zip(secret, exact, strict=True)
                }
                out = [point.get(id(record), record) for record in out]
            return out
        raise sqlite3.DatabaseError("the index was rebuilt again and again while being read")

    def candidates(
        self,
        services: Sequence[str] = (),
        areas: Sequence[str] = (),
        terms: Sequence[str] = (),
        near: Near | None = None,
    ) -> list[Provider]:
        """The providers that can match: listing one of ``services`` (any) and
        every one of ``areas``; when neither is asked for, hit by one of ``terms``
        (given only when words narrow the search); and with ``near``, around it.
        A superset of the results: search decides."""
        where, args = candidate_filter(services, areas, terms, near)
        return self._select(where, args)

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        """The rows of a statement over these files' providers (``{files}`` in
        ``sql`` stands for their file ids), the database rebuilt when damaged."""
        return self._query(sql, args)

    def with_rowids(self, rowids: Sequence[int]) -> list[Provider] | None:
        """The providers with these rowids (as :meth:`rows` gives them), in that
        order; ``None`` when the database was found damaged and rebuilt (the
        rowids then mean nothing: the caller asks again)."""
        wanted = [r for r in rowids if r not in self._memo]
        try:
            if wanted:
                rows = self._query(
                    "SELECT file_id, rowid FROM providers"
                    " WHERE rowid IN (SELECT value FROM json_each(?))",
                    (json.dumps(wanted),),
                )
                self._decode(rows)
            return [self._memo[r] for r in rowids]
        except (_Damaged, KeyError):
            self._rebuild()
            return None

    def each_decoded(self, rows: Sequence[tuple[int, int]]) -> Iterator[Provider]:
        """The providers of these ``(rowid, file_id)`` rows, in that order, decoded a
        few thousand at a time and not kept: a check that reads each once holds no
        more (at a million providers, their tenth that is confidential would hold a
        quarter of a gigabyte). A damaged database raises ``sqlite3.DatabaseError``
        (:meth:`consistently` builds it again and asks again)."""
        shown, memo = self.shown_paths(), self._memo
        for start in range(0, len(rows), DECODED_AT_ONCE):
            run = rows[start : start + DECODED_AT_ONCE]
            chunk = ",".join(str(rowid) for rowid, _ in run if rowid not in memo)
            found = self._query(f"SELECT rowid, data, crc FROM blobs WHERE rowid IN ({chunk})", ())
            stored = {rowid: (data, crc) for rowid, data, crc in found}
            try:
                with no_gc():  # those decoded already (the checks across files) not again
                    decoded = [
                        memo.get(rowid) or _decoded(*stored[rowid], shown[f]) for rowid, f in run
                    ]
            except (_Damaged, KeyError) as exc:
                raise sqlite3.DatabaseError("damaged") from exc
            yield from decoded

    def scratch(self, sql: str | None, args: Sequence[Any] = ()) -> None:
        """Keep the rows of ``sql`` (over these files' providers, as in :meth:`rows`)
        in the table ``temp.scratch``, in memory, for statements that read them
        several times; ``None`` empties it. Never retried: a damaged database
        raises, and the caller rebuilds and asks again."""
        self._db.execute("DROP TABLE IF EXISTS temp.scratch")
        if sql is not None:
            ids = ",".join(str(f.file_id) for f in self._files) or "NULL"
            self._db.execute(f"CREATE TEMP TABLE scratch AS {sql.format(files=ids)}", args)

    def scratch_rowids(self, sql: str, args: Sequence[Any] = ()) -> None:
        """Keep the rowids of ``sql`` (its one column, as in :meth:`scratch`) in
        ``temp.scratch`` as its own rowid: a statement asking ``rowid IN (SELECT
        rowid FROM temp.scratch)`` then looks each up there, instead of listing
        them all again every time it runs."""
        self._db.execute("DROP TABLE IF EXISTS temp.scratch")
        self._db.execute("CREATE TEMP TABLE scratch(rowid INTEGER PRIMARY KEY)")
        ids = ",".join(str(f.file_id) for f in self._files) or "NULL"
        self._db.execute(f"INSERT INTO temp.scratch {sql.format(files=ids)}", args)

    def scratch_table(
        self, name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """A table ``temp.<name>`` of these rows, in memory, for one search's statements."""
        self._db.execute(f"DROP TABLE IF EXISTS temp.{name}")
        self._db.execute(f"CREATE TEMP TABLE {name}({', '.join(columns)})")
        marks = ", ".join("?" * len(columns))
        self._db.executemany(f"INSERT INTO temp.{name} VALUES ({marks})", rows)

    def facts_of(self, kinds: Sequence[str]) -> dict[str, dict[int, Any]]:
        """Every shared value of these kinds (:mod:`referral_cli.index.filing`), by
        key; read once for the index's life."""
        missing = [k for k in kinds if k not in self._kinds]
        if missing:
            self._load_facts("WHERE kind IN (SELECT value FROM json_each(?))", missing, True)
            for kind in missing:
                self._kinds.setdefault(kind, {})
        return {k: self._kinds[k] for k in kinds}

    def facts(self, keys: Iterable[int]) -> dict[int, Any]:
        """The shared values with these keys."""
        wanted = sorted(set(keys))
        missing = [k for k in wanted if k not in self._facts]
        if missing:
            self._load_facts("WHERE key IN (SELECT value FROM json_each(?))", missing, False)
        return {k: self._facts[k] for k in wanted}

    def _load_facts(self, where: str, among: Sequence[Any], whole_kinds: bool) -> None:
        for attempt in (0, 1):
            rows = self._query(f"SELECT kind, key, data FROM facts {where}", (json.dumps(among),))
            try:
                with no_gc():
                    for kind, key, data in rows:
                        value = self._facts[key] = marshal.loads(data)
                        if whole_kinds:
                            self._kinds.setdefault(kind, {})[key] = value
                return
            except (ValueError, TypeError, EOFError):
                if attempt:
                    raise
                self._rebuild()

    def reaching(self) -> list[Provider]:
        """The providers whose service area reaches regions or countries."""
        return self._select(
            "AND p.rowid IN (SELECT provider FROM reach WHERE key != ?)", (ANYWHERE,)
        )

    def groups(self) -> Iterator[facets.Groups]:
        """Each file's coverage groups (:func:`referral_cli.index.facets.summarise`), read
        only when ``coverage`` asks."""
        return self._summaries("groups")

    def sizes(self) -> Iterator[facets.SizesOfGroups]:
        """The coverage groups with the sizes of their id lists only: of several
        files, summed into one set of groups (:func:`referral_cli.index.facets.summed`),
        remembered for these entries, so that a warm coverage of a folder reads one
        summary, not one per file."""
        if len(self._files) == 1:
            yield from self._summaries("sizes")
            return
        found = self.recalled("sums", "")
        if isinstance(found, dict):
            yield found
            return
        summed = self._summed_again()
        if summed is None:
            summed = facets.summed(self._summaries("sizes"))
        self.keep("sums", "", summed)
        yield summed

    def _summed_again(self) -> facets.SizesOfGroups | None:
        """The sum of these files' group sizes from the newest sum remembered for a
        set of files that differs in a few: the sizes of the files filed again
        since (kept when they were, in ``retired``) taken off, those of the files
        filed since added; ``None`` when there is none to start from."""
        current = {f.file_id for f in self._files}
        for files, found in self._recalled("sums", self._files_key()):
            were = _file_ids(files)
            gone, new = sorted(were - current), sorted(current - were)
            if not isinstance(found, dict) or len(gone) + len(new) > len(current) // 2:
                continue
            old, added = self._sizes_of("retired", gone), self._sizes_of("files", new)
            if len(old) != len(gone) or len(added) != len(new):
                continue  # filed again meanwhile: sum every file
            try:
                return facets.summed_again(found, old, added)
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # not the sum it should be: sum every file
        return None

    def _sizes_of(self, table: str, file_ids: Sequence[int]) -> list[facets.SizesOfGroups]:
        rows = self._query(
            f"SELECT sizes FROM {table} WHERE file_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(file_ids)),),
        )
        found = []
        for (data,) in rows:
            with contextlib.suppress(ValueError, TypeError, EOFError):
                found.append(marshal.loads(data))
        return found

    def recalled(self, kind: str, asked: str) -> Any:
        """What :meth:`keep` kept of ``kind`` for these very entries and ``asked``,
        or ``None``."""
        key = f"{self._files_key()}|{asked}"
        files, found = next(self._recalled(kind, key), ("", None))
        return found if files == key else None

    def keep(self, kind: str, asked: str, value: Any) -> None:
        """Remember ``value`` (plain values: :mod:`marshal`) of ``kind`` for these
        entries and ``asked`` (a value computed from them alone): any file filed
        again makes other entries, for which it is not recalled."""
        self._remember(kind, f"{self._files_key()}|{asked}", value)

    def _summaries(self, column: str) -> Iterator[Any]:
        """Each file's ``column``, one row a file: the entries another command filed
        again meanwhile (two commands filing a cold index at once) are taken up first,
        as their rows, read by file id, are gone (a count of none of them was empty)."""
        for _ in range(3):
            self._follow()
            rows = self._query(f"SELECT {column} FROM files WHERE file_id IN ({{files}})", ())
            if len(rows) == len(self._files):
                break
        else:
            raise sqlite3.DatabaseError("the index's files were filed again and again while read")
        for (data,) in rows:
            try:
                with no_gc():
                    yield marshal.loads(data)
            except (ValueError, TypeError, EOFError):
                self._rebuild()
                raise _Damaged from None

    def repeated_ids(self) -> list[str]:
        """The ids that more than one provider has (asked once: loading and coverage
        both ask). Kept in the database for these very entries (a file filed
        again gets a new file id), so that a warm command never groups every id,
        and found from the nearest set kept after an edit (:meth:`_group_repeats`)."""
        if self._repeated is None:
            self._repeated = []
            if not (len(self._files) == 1 and self.entries[0].unique):
                self._repeated = self._remembered_repeats()
        return list(self._repeated)

    def _remembered_repeats(self) -> list[str]:
        current = {f.file_id for f in self._files}
        key = self._files_key()
        nearest: tuple[set[int], list[str]] | None = None  # the remembered set least changed
        for files, found in self._recalled("repeats", key):
            if not isinstance(found, list):
                continue
            if files == key:
                return found
            were = _file_ids(files)
            if nearest is None or len(current - were) < len(current - nearest[0]):
                nearest = (were, found)
        found = self._group_repeats(nearest)
        self._remember("repeats", key, found)
        return found

    def _files_key(self) -> str:
        """These entries (their file ids, which a file filed again never keeps);
        :func:`_file_ids` reads them back."""
        return ",".join(str(i) for i in sorted(f.file_id for f in self._files))

    def _recalled(self, kind: str, key: str) -> Iterator[tuple[str, Any]]:
        """What was remembered of ``kind`` (:meth:`_remember`) as (entries, value):
        for the entries ``key`` first, then for others, newest first; each read
        only when reached, and one that cannot be read skipped."""
        sql = (
            "SELECT rowid, files FROM remembered WHERE kind = ? ORDER BY files = ? DESC, rowid DESC"
        )
        for rowid, files in self._query(sql, (kind, key)):
            for (data,) in self._query("SELECT data FROM remembered WHERE rowid = ?", (rowid,)):
                with contextlib.suppress(ValueError, TypeError, EOFError):
                    yield files, marshal.loads(data)

    def _remember(self, kind: str, files: str, value: Any) -> None:
        """Keep ``value`` (plain values) for these entries, and the last few of its
        kind only (:data:`_REMEMBERED`): a cache, where a locked database only
        costs time."""
        with contextlib.suppress(sqlite3.Error):
            self._db.execute(
                "INSERT OR REPLACE INTO remembered(kind, files, data) VALUES (?, ?, ?)",
                (kind, files, marshal.dumps(value)),
            )
            self._db.execute(
                "DELETE FROM remembered WHERE kind = ? AND rowid NOT IN (SELECT rowid"
                " FROM remembered WHERE kind = ? ORDER BY rowid DESC LIMIT ?)",
                (kind, kind, _REMEMBERED.get(kind, _REMEMBERED_OTHERWISE)),
            )

    def _group_repeats(self, known: tuple[set[int], list[str]] | None) -> list[str]:
        """The repeated ids of these entries. From a set of entries whose repeated
        ids are known, only those ids and the ids of the files filed since can be
        repeated (ids repeated among the files both share are among the known ones):
        editing one file of many looks up its ids, not every id."""
        if known is None or len(current := {f.file_id for f in self._files} - known[0]) > (
            len(self._files) // 2
        ):
            sql = (
                "SELECT id FROM providers WHERE file_id IN ({files})"
                " GROUP BY id HAVING count(*) > 1 ORDER BY id"
            )
            return [pid for (pid,) in self._query(sql, ())]
        changed = ",".join(str(i) for i in sorted(current)) or "NULL"
        sql = (
            "SELECT id FROM providers WHERE file_id IN ({files}) AND id IN"
            " (SELECT value FROM json_each(?) UNION SELECT id FROM providers"
            f" WHERE file_id IN ({changed})) GROUP BY id HAVING count(*) > 1 ORDER BY id"
        )
        return [pid for (pid,) in self._query(sql, (json.dumps(known[1]),))]

    def _query(self, sql: str, args: Sequence[Any]) -> list[Any]:
        return self._read(sql, args, sqlite3.Cursor.fetchall)

    def _read(self, sql: str, args: Sequence[Any], read: Callable[[sqlite3.Cursor], _T]) -> _T:
        """``read`` of the rows of ``sql`` over these files (``{files}``), read
        again once from a rebuilt database when the index is damaged."""
        for attempt in (0, 1):
            ids = ",".join(str(f.file_id) for f in self._files) or "NULL"
            try:
                return read(self._db.execute(sql.format(files=ids), args))
            except sqlite3.DatabaseError:
                if attempt:
                    raise
                self._rebuild()
        raise AssertionError("unreachable")

    def _follow(self) -> None:
        """Take up the entries another command filed meanwhile, when it filed one of
        these files again (its rows, read by file id, are then gone): a long call
        session never serves an emptied list after a maintainer's edit."""
        found = self._query("SELECT count(*) FROM files WHERE file_id IN ({files})", ())
        if found[0][0] != len(self._files):
            self._reread()

    def _rebuild(self) -> None:
        """Remove the database and file these files again (in memory if need be)."""
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        remove_database()
        self._db = connect()
        self._reread()

    def _reread(self) -> None:
        """These files' entries read (or filed) again: the keys and rowids read
        before mean nothing now, so what was remembered of them is forgotten."""
        self._files, self.entries = refresh(
            self._db,
            [f.path for f in self._files],
            [f.shown for f in self._files],
            [f.resolved for f in self._files],
        )
        self.generation += 1
        self._memo.clear()
        self._facts.clear()
        self._kinds.clear()
        self._repeated = None

    def consistently(self, ask: Callable[[], _T]) -> _T:
        """``ask()`` answered from one state of the database: asked again when the
        database was found damaged and rebuilt, or another command filed a file
        again, meanwhile (keys and rowids read before then mean nothing)."""
        for _ in range(3):
            self._follow()
            generation = self.generation
            try:
                answer = ask()
            except sqlite3.DatabaseError:  # damaged while a scratch table was read
                self._rebuild()
                continue
            if self.generation == generation:
                return answer
        raise sqlite3.DatabaseError("the index was rebuilt again and again while being read")

    def _select(self, where: str, args: Sequence[Any]) -> list[Provider]:
        """The providers chosen by ``where``, in directory order; each decoded once
        for the index's life (a call session asks again and again)."""
        self._follow()
        sql = (
            "SELECT p.file_id, p.rowid, p.seq FROM providers p"
            f" WHERE p.file_id IN ({{files}}) {where}"
        )
        for attempt in (0, 1):
            rows = self._query(sql, args)
            order = {f.file_id: i for i, f in enumerate(self._files)}
            rows.sort(key=lambda r: (order[r[0]], r[2]))  # rowids follow locality
            try:
                self._decode([(f, rowid) for f, rowid, _ in rows if rowid not in self._memo])
                return [self._memo[rowid] for _, rowid, _ in rows]
            except _Damaged:
                if attempt:
                    raise
                self._rebuild()
        raise AssertionError("unreachable")

    def _decode(self, wanted: list[tuple[int, int]]) -> None:
        shown = {f.file_id: f.shown for f in self._files}
        file_of = dict((rowid, f) for f, rowid in wanted)
        rowids = list(file_of)
        memo = self._memo
        for start in range(0, len(rowids), 10_000):
            chunk = ",".join(str(r) for r in rowids[start : start + 10_000])
            found = self._query(f"SELECT rowid, data, crc FROM blobs WHERE rowid IN ({chunk})", ())
            with no_gc():
                for rowid, data, crc in found:
                    memo[rowid] = _decoded(data, crc, shown[file_of[rowid]])
        if any(rowid not in memo for rowid in rowids):
            raise _Damaged


def candidate_filter(
    services: Sequence[str], areas: Sequence[str], terms: Sequence[str], near: Near | None
) -> tuple[str, list[Any]]:
    """The condition on ``providers p`` that :meth:`Index.candidates` selects by.

    Around a place, the providers there (and reaching it) are few beside those
    offering a common service anywhere: those there offering an asked service are
    listed from ``offered`` (the boxes of each service type), those reaching it
    each kept only when it offers what is asked, before its row is read, since
    reading a row is what costs; elsewhere the offering ones are listed."""
    offered = ["s:" + v for v in services]  # any of them
    listed = ["a:" + v for v in areas]  # every one
    hit: list[Any] = []  # the full-text query, for a words-only question
    if terms and not (services or areas):
        expression = words.match_expression(terms)
        if expression is None:
            return " AND 0", []
        hit = [expression]
    if near is None:
        parts = [f"SELECT provider FROM offers WHERE term IN ({','.join('?' * len(offered))})"]
        parts = parts * bool(offered) + ["SELECT provider FROM offers WHERE term = ?"] * len(listed)
        parts += ["SELECT rowid FROM words WHERE words MATCH ?"] * len(hit)
        return "".join(f" AND p.rowid IN ({part})" for part in parts), [*offered, *listed, *hit]
    keys = _reach_keys(near)
    box = "max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?"
    boxes = boxes_around(near.lat, near.lon, near.radius_km)
    check = "EXISTS (SELECT 1 FROM offers WHERE term {} AND provider = c.provider)"
    areas = [check.format("= ?")] * len(listed)
    offering = [check.format(f"IN ({','.join('?' * len(offered))})")] * bool(offered)
    # a list of rowids: those both near and reaching, or offering two asked types, count once
    selects: list[str] = []
    args: list[Any] = []
    if offered:  # where each asked type is offered
        code = "(SELECT code FROM terms WHERE term = ?)"
        there = f"SELECT provider FROM offered c WHERE min_code <= {code} AND max_code >= {code}"
        for term in offered:
            for b in boxes:
                selects.append(_where(f"{there} AND {box}", areas))
                args += [term, term, *b, *listed]
    else:
        for b in boxes:
            selects.append(_where(f"SELECT provider FROM place c WHERE {box}", areas))
            args += [*b, *listed]
    marks = ",".join("?" * len(keys))
    selects.append(_where(f"SELECT provider FROM reach c WHERE key IN ({marks})", offering + areas))
    args += [*keys, *offered, *listed]
    found = f" AND p.rowid IN ({' UNION ALL '.join(selects)})"
    # the words' hits (a whole country's, for a common word) are a list of their own
    found += " AND p.rowid IN (SELECT rowid FROM words WHERE words MATCH ?)" * len(hit)
    return found, [*args, *hit]


def _reach_keys(near: Near) -> list[str]:
    """The keys in ``reach`` of the providers whose service area covers ``near``."""
    keys = [ANYWHERE]
    keys += [] if near.region is None else ["r:" + near.region]
    keys += [] if near.country is None else ["c:" + near.country]
    return keys


def near_check(near: Near) -> tuple[str, list[Any]]:
    """:func:`candidate_filter` with ``near`` alone, as a test of each provider
    ``p`` read otherwise (a few: those taking no referrals), not a list of every
    provider around it."""
    box = "c.max_lat >= ? AND c.min_lat <= ? AND c.max_lon >= ? AND c.min_lon <= ?"
    tests: list[str] = []
    args: list[Any] = []
    for b in boxes_around(near.lat, near.lon, near.radius_km):
        tests.append(f"EXISTS (SELECT 1 FROM place c WHERE c.provider = p.rowid AND {box})")
        args += b
    keys = _reach_keys(near)
    marks = ",".join("?" * len(keys))
    tests.append(
        f"EXISTS (SELECT 1 FROM reach c WHERE c.key IN ({marks}) AND c.provider = p.rowid)"
    )
    return f" AND ({' OR '.join(tests)})", [*args, *keys]


def located(lat: float, lon: float, radius_km: float) -> tuple[str, list[Any]]:
    """A statement of the rowids of the providers whose point lies in the boxes
    around a point (:func:`boxes_around`): every provider within ``radius_km``
    of it as search measures, confidential ones too (from ``spot``, their points
    alone: a provider travelling far is not read for being near)."""
    box = "max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?"
    boxes = boxes_around(lat, lon, radius_km)
    selects = [f"SELECT provider FROM spot WHERE {box}"] * len(boxes)
    return " UNION ALL ".join(selects), [x for b in boxes for x in b]


def boxes_around(lat: float, lon: float, radius_km: float) -> list[tuple[float, ...]]:
    """The boxes (min_lat, max_lat, min_lon, max_lon) that hold every point within
    ``radius_km`` of a point, and :data:`MARGIN_KM` more (a confidential
    provider's distance is measured from its rounded point): two across the
    antimeridian."""
    r = (radius_km + MARGIN_KM) * 1.01
    dlat = r / KM_PER_DEGREE
    widest = min(89.9, abs(lat) + dlat)
    dlon = r / (KM_PER_DEGREE * math.cos(math.radians(widest)))
    lons = (-180.0, 180.0) if dlon >= 180 else (lon - dlon, lon + dlon)
    boxes: list[tuple[float, ...]] = [(lat - dlat, lat + dlat, lons[0], lons[1])]
    if lons[0] < -180:  # across the antimeridian: the other side too
        boxes.append((lat - dlat, lat + dlat, lons[0] + 360, 180.0))
    elif lons[1] > 180:
        boxes.append((lat - dlat, lat + dlat, -180.0, lons[1] - 360))
    return boxes


def _where(select: str, checks: list[str]) -> str:
    """``select`` (which has a WHERE) kept to the rows passing every check."""
    return select + "".join(f" AND {c}" for c in checks)


def _file_ids(key: str) -> set[int]:
    """The file ids of a key of :meth:`Index._files_key`, with or without the
    question after its ``|``."""
    return {int(i) for i in key.partition("|")[0].split(",") if i.isdigit()}


_AT_SOURCE = codec.AT["source"]


class _Damaged(Exception):
    """A row failed its checksum."""


def _decoded(data: bytes, crc: int, shown: str) -> Provider:
    """A stored provider, its source named as its file is shown now."""
    if zlib.crc32(data) != crc:
        raise _Damaged
    try:
        v = list(marshal.loads(data))
        v[_AT_SOURCE] = (shown, *v[_AT_SOURCE][1:])
        return codec.decode(tuple(v))
    except Exception as exc:  # noqa: BLE001 - a row that decodes wrong is damaged
        raise _Damaged from exc


# ---------------------------------------------------------------- opening


def open_index(
    files: Sequence[Path],
    shown: Sequence[str],
    resolved: Sequence[Path],
    *,
    cached: bool = True,
    warnings: bool = True,
    stats: Sequence[os.stat_result] | None = None,
) -> Index:
    """The index of ``files`` (``shown`` as in messages, ``resolved`` their real
    paths), every stale entry rebuilt first; in memory only unless ``cached``. Its
    entries carry the files' errors, and their warnings too with ``warnings`` (a
    serving command has no use for the many a large directory may have). ``stats``:
    the files' status, when the caller has just taken it."""
    for memory in (not cached, True):
        db = connect(memory=memory)
        try:
            return Index(db, *refresh(db, files, shown, resolved, warnings, stats))
        except sqlite3.DatabaseError:  # damaged, or locked too long by another command
            db.close()
            if memory:
                raise
            remove_database()
    raise AssertionError("unreachable")
