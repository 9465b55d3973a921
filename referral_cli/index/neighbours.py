"""The public providers at a confidential provider's place: published, their
street or point would show where the confidential one is. Every command asks
(``directory.load``): ``validate`` reports them as errors, and the serving
commands leave them out, as they leave out any provider with an error."""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from typing import Any

from referral_cli.geo.addresses import street_key
from referral_cli.geo.distance import PointGrid
from referral_cli.index.entries import KM_PER_DEGREE
from referral_cli.index.store import Index

# A public provider this close to a confidential one's exact point is at its
# place (points of one building differ by a few metres between sources).
NEIGHBOUR_METRES = 10.0
# What is read of a public provider found there (its point and rowid last).
COLUMNS = "p.id, p.file_id, p.line, p.col, p.lat, p.lon, p.rowid"


@dataclass(frozen=True)
class Neighbour:
    """A public provider (id, path, line, col) at the place of a confidential one
    (``secret_*``), by its ``what`` ("point", "street and postal code")."""

    id: str
    path: str
    line: int
    col: int
    secret_id: str
    secret_path: str
    secret_line: int
    secret_col: int
    what: str


def beside_confidential(index: Index, metres: float = NEIGHBOUR_METRES) -> list[Neighbour]:
    """The public providers at a confidential provider's place: the same street
    and postal code (:func:`street_key`), or a point within ``metres`` of its
    exact point. Only the confidential providers are decoded, a few thousand at a
    time, and the answer is kept for these very files (ids, file ids and lines: no place), so that a warm
    command of a large directory decodes none."""
    asked = f"{metres!r}"
    found = index.recalled("neighbours", asked)
    if not isinstance(found, list):
        found = index.consistently(lambda: _find(index, metres))
        index.keep("neighbours", asked, found)
    shown = index.shown_paths()
    return [
        Neighbour(pid, shown[fid], line, col, sid, shown[sfid], sline, scol, what)
        for pid, fid, line, col, sid, sfid, sline, scol, what in found
        if fid in shown and sfid in shown
    ]


def _find(index: Index, metres: float) -> list[tuple[str, int, int, int, str, int, int, int, str]]:
    secret = index.rows(
        "SELECT rowid, file_id FROM providers WHERE file_id IN ({files}) AND confidential", ()
    )
    out = []
    seen: set[tuple[int, int]] = set()  # one error a public provider
    for c, (_, secret_file) in zip(index.each_decoded(secret), secret, strict=True):
        a = c.address
        key = None if a is None else street_key(a.street, a.postal_code)
        rows = []
        if key is not None:
            rows += [
                (r, "street and postal code")
                for r in index.rows(
                    f"SELECT {COLUMNS} FROM providers p WHERE p.file_id IN ({{files}})"
                    " AND NOT p.confidential"
                    " AND p.street = ?",
                    (key,),
                )
            ]
        if c.lat is not None and c.lon is not None and c.placed is None:
            near = _public_within(index, c.lat, c.lon, metres)
            # a point that is the middle of a town or postal code shows nothing
            exact = index.with_rowids([r[6] for r in near])
            if exact is None:
                raise sqlite3.DatabaseError("rebuilt")
            rows += [(r, "point") for r, p in zip(near, exact, strict=True) if p.placed is None]
        src = c.source
        for (pid, file_id, line, col, *_), what in rows:
            if (file_id, line) not in seen:
                seen.add((file_id, line))
                out.append((pid, file_id, line, col, c.id, secret_file, src.line, src.col, what))
    return out


def _public_within(index: Index, lat: float, lon: float, metres: float) -> list[Any]:
    """The public providers within ``metres`` of a point, from the index of points
    (``spot``) in a box a little wider, in :class:`PointGrid` order. Neither every
    public point held at once (half a gigabyte at a million providers) nor the
    place index's area-wide boxes (met around every point: an hour at a million)."""
    grid: PointGrid[Any] = PointGrid(metres)
    dlat = 2 * metres / 1000 / KM_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(min(90.0, abs(lat) + dlat))), 1e-3)
    for r in index.rows(
        f"SELECT {COLUMNS} FROM spot s"
        " CROSS JOIN providers p ON p.rowid = s.provider"  # the box first: a few points
        " WHERE s.min_lat <= ? AND s.max_lat >= ? AND s.min_lon <= ? AND s.max_lon >= ?"
        " AND p.file_id IN ({files}) AND NOT p.confidential ORDER BY p.rowid",
        (lat + dlat, lat - dlat, lon + dlon, lon - dlon),
    ):
        grid.add(r[4], r[5], r)
    return grid.within(lat, lon)
